"""Crackdown indicators (打击): cases, suspects, gangs, money recovered (追赃挽损), cold cases.

Which date puts a record in the period:

| record set | records | date |
|---|---|---|
| cases_filed | Case | filed_on |
| cases_solved | Case solved | solved_on |
| suspects_arrested | Suspect arrested or fugitive caught | caught_on |
| fugitives_caught | Suspect with status fugitive_caught | caught_on |
| gangs_broken | Gang broken up | broken_on |
| recovered | RecoveryRecord (freezes, seizures, returns) | on |
| returned | RecoveryRecord of kind return | on |
| cohort_* | Case filed in the period (money dated up to the period's end) | filed_on |
| cold_cases_reviewed | ColdCaseReview completed | reviewed_on |

Money is counted once as it moves (``enforcement.money``): the recovered amount of a period is
money secured in it plus money returned in it, less what those returns released from earlier
freezes or seizures — so money frozen in March and returned in April counts in March only. The
rates follow the cohort of cases filed in the period: their recovered (or returned) money up to
the end of the period ÷ their victims' losses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from silvershield.enforcement import money
from silvershield.enforcement.models import (
    CAUGHT_STATUSES,
    Case,
    ColdCaseReview,
    Gang,
    RecoveryKind,
    RecoveryRecord,
    RecoveryRelease,
    Suspect,
    SuspectStatus,
)
from silvershield.stats.registry import MONEY_UNIT, Direction, Indicator, RecordSet, register

GROUP = "打击犯罪"


def fen(amount: Decimal) -> int:
    """Exact 元 as an integer number of fen (how money figures are counted)."""
    return int((amount * 100).to_integral_value())


def _recovery(records: QuerySet[RecoveryRecord]) -> money.Recovery:
    releases = RecoveryRelease.objects.filter(
        return_record__in=records.filter(kind=RecoveryKind.RETURN).values("pk")
    )
    return money.recovery_of(records=records, releases=releases, losses=money.ZERO)


def _recovered(records: QuerySet[RecoveryRecord], _end: dt.date) -> int:
    return fen(_recovery(records).recovered)


def _returned(records: QuerySet[RecoveryRecord], _end: dt.date) -> int:
    return fen(money.sum_money(records.filter(kind=RecoveryKind.RETURN)))


def _cohort_money(cases: QuerySet[Case], end: dt.date) -> money.Recovery:
    return _recovery(RecoveryRecord.objects.filter(case__in=cases.values("pk"), on__lte=end))


def _cohort_recovered(cases: QuerySet[Case], end: dt.date) -> int:
    return fen(_cohort_money(cases, end).recovered)


def _cohort_returned(cases: QuerySet[Case], end: dt.date) -> int:
    return fen(_cohort_money(cases, end).returned)


def _cohort_losses(cases: QuerySet[Case], _end: dt.date) -> int:
    return fen(money.sum_money(cases, "victim_loss"))


def _case_set(code: str, label: str, condition: Q, date: str, **extra: Any) -> RecordSet:
    return RecordSet(
        code=code,
        label=label,
        model=Case,
        condition=lambda: condition,
        region_lookup="region__path",
        date_lookup=date,
        date_is_day=True,
        unit_condition=lambda unit_id: Q(owner_unit_id=unit_id),
        fraud_type_lookup="fraud_type",
        list_columns="cases",
        **extra,
    )


def _through_case(
    code: str,
    label: str,
    model: type[Any],
    condition: Q,
    date: str,
    list_columns: str,
    **extra: Any,
) -> RecordSet:
    """A set of records that belong to a case and are scoped through it."""
    return RecordSet(
        code=code,
        label=label,
        model=model,
        condition=lambda: condition,
        region_lookup="case__region__path",
        date_lookup=date,
        date_is_day=True,
        unit_condition=extra.pop("unit_condition", lambda unit_id: Q(case__owner_unit_id=unit_id)),
        fraud_type_lookup="case__fraud_type",
        scoped_through="case",
        list_columns=list_columns,
        **extra,
    )


CASES_FILED = _case_set("cases_filed", "立案", Q(), "filed_on")
CASES_SOLVED = _case_set("cases_solved", "破案", Q(solved_on__isnull=False), "solved_on")
COHORT_RECOVERED = _case_set(
    "cohort_recovered", "立案案件追赃挽损", Q(), "filed_on", measure=_cohort_recovered
)
COHORT_RETURNED = _case_set(
    "cohort_returned", "立案案件返还受害人", Q(), "filed_on", measure=_cohort_returned
)
COHORT_LOSSES = _case_set(
    "cohort_losses", "立案案件受害人损失", Q(), "filed_on", measure=_cohort_losses
)
SUSPECTS_ARRESTED = _through_case(
    "suspects_arrested",
    "抓获犯罪嫌疑人",
    Suspect,
    Q(status__in=CAUGHT_STATUSES),
    "caught_on",
    "suspects",
)
FUGITIVES_CAUGHT = _through_case(
    "fugitives_caught",
    "抓获逃犯",
    Suspect,
    Q(status=SuspectStatus.FUGITIVE_CAUGHT),
    "caught_on",
    "suspects",
)
RECOVERED = _through_case(
    "recovered",
    "追赃挽损措施",
    RecoveryRecord,
    Q(),
    "on",
    "recoveries",
    measure=_recovered,
    unit_condition=lambda unit_id: Q(unit_id=unit_id),
)
RETURNED = _through_case(
    "returned",
    "返还受害人",
    RecoveryRecord,
    Q(kind=RecoveryKind.RETURN),
    "on",
    "recoveries",
    measure=_returned,
    unit_condition=lambda unit_id: Q(unit_id=unit_id),
)
COLD_REVIEWED = _through_case(
    "cold_cases_reviewed",
    "陈案积案完成回头看",
    ColdCaseReview,
    Q(reviewed_on__isnull=False),
    "reviewed_on",
    "reviews",
)
GANGS_BROKEN = RecordSet(
    code="gangs_broken",
    label="打掉犯罪团伙",
    model=Gang,
    condition=lambda: Q(broken_on__isnull=False),
    region_lookup="region__path",
    date_lookup="broken_on",
    date_is_day=True,
    unit_condition=lambda unit_id: Q(owner_unit_id=unit_id),
    list_columns="gangs",
)


def _count(code: str, name: str, unit: str, description: str, rs: RecordSet, **kw: Any) -> None:
    register(
        Indicator(
            code=code,
            name=name,
            unit=unit,
            direction=Direction.HIGHER,
            description=description,
            numerator=rs,
            group=GROUP,
            min_volume=kw.pop("min_volume", 0),
            tags=frozenset(kw.pop("tags", {"count", "no_rank"})),
            **kw,
        )
    )


_count(
    "cases_filed",
    "立案数",
    "件",
    "统计期内立案的养老诈骗刑事案件（按立案日期）。",
    CASES_FILED,
    tags={"count"},
)
_count(
    "cases_solved",
    "破案数",
    "件",
    "统计期内破案的案件（按破案日期，不论此后诉讼阶段）。",
    CASES_SOLVED,
)
_count(
    "suspects_arrested",
    "抓获犯罪嫌疑人数",
    "人",
    "统计期内抓获的犯罪嫌疑人（含追逃到案，按抓获/到案日期）。",
    SUSPECTS_ARRESTED,
    tags={"count"},
)
_count(
    "fugitives_caught", "抓获逃犯数", "人", "统计期内在逃后追捕到案的犯罪嫌疑人。", FUGITIVES_CAUGHT
)
_count("gangs_broken", "打掉团伙数", "个", "统计期内打掉的犯罪团伙（按打掉日期）。", GANGS_BROKEN)
_count(
    "recovered_amount",
    "追赃挽损金额",
    MONEY_UNIT,
    "统计期内止付冻结、查封扣押和返还的金额；返还时释放的此前冻结扣押款不重复计算"
    "（每一元只计一次）。",
    RECOVERED,
    tags={"count"},
)
_count("returned_amount", "返还受害人金额", MONEY_UNIT, "统计期内返还受害人的金额。", RETURNED)
_count(
    "cold_cases_reviewed",
    "陈案积案回头看数",
    "件",
    "统计期内完成回头看的陈案积案（按完成日期）。",
    COLD_REVIEWED,
)

RECOVERY_RATE = register(
    Indicator(
        code="recovery_rate",
        name="追赃挽损率",
        unit="%",
        direction=Direction.HIGHER,
        description="统计期内立案案件截至期末的追赃挽损金额 ÷ 其受害人损失。",
        numerator=COHORT_RECOVERED,
        denominator=COHORT_LOSSES,
        volume_set=CASES_FILED,
        min_volume=3,
        group=GROUP,
    )
)
RETURNED_RATE = register(
    Indicator(
        code="returned_rate",
        name="返还率",
        unit="%",
        direction=Direction.HIGHER,
        description="统计期内立案案件截至期末已返还受害人的金额 ÷ 其受害人损失（与追赃挽损率并列）。",
        numerator=COHORT_RETURNED,
        denominator=COHORT_LOSSES,
        volume_set=CASES_FILED,
        min_volume=3,
        group=GROUP,
        tags=frozenset({"no_rank"}),
    )
)
