"""Rectification indicators (整治): hazards, 三书一函, rectification tasks, rules, 黑机构.

Which date puts a record in the period:

| record set | records | date |
|---|---|---|
| hazards_found | Hazard | found_on |
| hazards_found_rectified | Hazard found in the period, rectified since | found_on |
| hazards_rectified / hazards_verified | Hazard rectified / checked | rectified_at / verified_at |
| letters_issued | Letter | issued_on |
| letters_due | Letter issued in the period, replied or past its reply deadline | issued_on |
| letters_replied_on_time | … of which replied by the deadline | issued_on |
| letters_replied / letters_rectified | Letter replied / rectified | replied_at / rectified_at |
| letters_overdue | Letter still unanswered after its deadline (now) | issued_on |
| tasks_closed / tasks_closed_on_time | Task closed (销号) / … reported done by the deadline | closed_at |
| tasks_overdue | Task still open after its deadline (now) | created_at |
| rules_made | Rule | issued_on |
| institutions_unlicensed | Institution flagged unlicensed (黑机构) | created_at |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from silvershield.rectification.models import (
    Hazard,
    HazardState,
    Institution,
    Letter,
    LetterState,
    LicenceStatus,
    Rule,
    Task,
    TaskState,
)
from silvershield.stats.registry import Direction, Indicator, RecordSet, register

GROUP = "行业整治"
DONE_HAZARD = (HazardState.RECTIFIED, HazardState.VERIFIED)
REPLIED = (LetterState.REPLIED, LetterState.RECTIFIED)


def _set(
    code: str,
    label: str,
    model: type[Any],
    condition: Callable[[], Q],
    date: str,
    *,
    day: bool,
    unit_field: str,
    list_columns: str,
) -> RecordSet:
    return RecordSet(
        code=code,
        label=label,
        model=model,
        condition=condition,
        region_lookup="region__path",
        date_lookup=date,
        date_is_day=day,
        unit_condition=lambda unit_id: Q(**{unit_field: unit_id}),
        list_columns=list_columns,
    )


def _always() -> Q:
    return Q()


HAZARDS_FOUND = _set(
    "hazards_found",
    "排查发现问题隐患",
    Hazard,
    _always,
    "found_on",
    day=True,
    unit_field="unit_id",
    list_columns="hazards",
)
HAZARDS_FOUND_RECTIFIED = _set(
    "hazards_found_rectified",
    "发现的问题隐患中已整治",
    Hazard,
    lambda: Q(state__in=DONE_HAZARD),
    "found_on",
    day=True,
    unit_field="unit_id",
    list_columns="hazards",
)
HAZARDS_RECTIFIED = _set(
    "hazards_rectified",
    "已整治问题隐患",
    Hazard,
    lambda: Q(state__in=DONE_HAZARD),
    "rectified_at",
    day=False,
    unit_field="unit_id",
    list_columns="hazards",
)
HAZARDS_VERIFIED = _set(
    "hazards_verified",
    "复核通过问题隐患",
    Hazard,
    lambda: Q(state=HazardState.VERIFIED),
    "verified_at",
    day=False,
    unit_field="unit_id",
    list_columns="hazards",
)
LETTERS_ISSUED = _set(
    "letters_issued",
    "制发三书一函",
    Letter,
    _always,
    "issued_on",
    day=True,
    unit_field="issuer_id",
    list_columns="letters",
)
LETTERS_DUE = _set(
    "letters_due",
    "已回复或已到回复期限的三书一函",
    Letter,
    lambda: Q(state__in=REPLIED) | Q(due_at__lte=timezone.now()),
    "issued_on",
    day=True,
    unit_field="recipient_id",
    list_columns="letters",
)
LETTERS_REPLIED_ON_TIME = _set(
    "letters_replied_on_time",
    "按期回复的三书一函",
    Letter,
    lambda: Q(state__in=REPLIED, replied_at__lte=F("due_at")),
    "issued_on",
    day=True,
    unit_field="recipient_id",
    list_columns="letters",
)
LETTERS_REPLIED = _set(
    "letters_replied",
    "三书一函已回复",
    Letter,
    lambda: Q(state__in=REPLIED),
    "replied_at",
    day=False,
    unit_field="recipient_id",
    list_columns="letters",
)
LETTERS_RECTIFIED = _set(
    "letters_rectified",
    "三书一函已整改",
    Letter,
    lambda: Q(state=LetterState.RECTIFIED),
    "rectified_at",
    day=False,
    unit_field="recipient_id",
    list_columns="letters",
)
LETTERS_OVERDUE = _set(
    "letters_overdue",
    "三书一函逾期未回复",
    Letter,
    lambda: Q(state=LetterState.ISSUED, due_at__lte=timezone.now()),
    "issued_on",
    day=True,
    unit_field="recipient_id",
    list_columns="letters",
)
TASKS_CLOSED = _set(
    "tasks_closed",
    "整改任务已销号",
    Task,
    lambda: Q(state=TaskState.CLOSED),
    "closed_at",
    day=False,
    unit_field="lead_unit_id",
    list_columns="tasks",
)
TASKS_CLOSED_ON_TIME = _set(
    "tasks_closed_on_time",
    "整改任务按期完成",
    Task,
    lambda: Q(state=TaskState.CLOSED, submitted_at__lt=F("due_at")),
    "closed_at",
    day=False,
    unit_field="lead_unit_id",
    list_columns="tasks",
)
TASKS_OVERDUE = _set(
    "tasks_overdue",
    "整改任务超期未完成",
    Task,
    lambda: Q(state=TaskState.OPEN, due_at__lte=timezone.now()),
    "created_at",
    day=False,
    unit_field="lead_unit_id",
    list_columns="tasks",
)
RULES_MADE = _set(
    "rules_made",
    "建章立制",
    Rule,
    _always,
    "issued_on",
    day=True,
    unit_field="unit_id",
    list_columns="rules",
)
INSTITUTIONS_UNLICENSED = _set(
    "institutions_unlicensed",
    "登记无证无照机构（黑机构）",
    Institution,
    lambda: Q(licence_status=LicenceStatus.UNLICENSED),
    "created_at",
    day=False,
    unit_field="regulator_id",
    list_columns="institutions",
)


def _count(
    code: str,
    name: str,
    unit: str,
    description: str,
    rs: RecordSet,
    *,
    rank: bool = False,
    direction: Direction = Direction.HIGHER,
) -> None:
    register(
        Indicator(
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            description=description,
            numerator=rs,
            group=GROUP,
            min_volume=0,
            tags=frozenset({"count"} if rank else {"count", "no_rank"}),
        )
    )


def _rate(code: str, name: str, description: str, num: RecordSet, den: RecordSet) -> None:
    register(
        Indicator(
            code=code,
            name=name,
            unit="%",
            direction=Direction.HIGHER,
            description=description,
            numerator=num,
            denominator=den,
            group=GROUP,
            min_volume=3,
        )
    )


_count(
    "hazards_found",
    "发现问题隐患数",
    "个",
    "统计期内行业排查发现的问题隐患（按发现日期）。",
    HAZARDS_FOUND,
)
_count(
    "hazards_rectified",
    "整治问题隐患数",
    "个",
    "统计期内整治完成（含已复核通过）的问题隐患（按整治完成时间）。",
    HAZARDS_RECTIFIED,
)
_count("hazards_verified", "复核通过隐患数", "个", "统计期内复核通过的问题隐患。", HAZARDS_VERIFIED)
_count(
    "letters_issued",
    "三书一函制发数",
    "份",
    "统计期内制发的三书一函（按制发日期）。",
    LETTERS_ISSUED,
    rank=True,
)
_count(
    "letters_replied",
    "三书一函回复数",
    "份",
    "统计期内主送单位回复的三书一函（按回复时间）。",
    LETTERS_REPLIED,
)
_count(
    "letters_rectified",
    "三书一函整改数",
    "份",
    "统计期内主送单位完成整改的三书一函。",
    LETTERS_RECTIFIED,
)
_count(
    "letters_overdue",
    "三书一函逾期未回复数",
    "份",
    "统计期内制发、现已超过回复期限仍未回复的三书一函（按当前状态）。",
    LETTERS_OVERDUE,
    direction=Direction.LOWER,
)
_count(
    "tasks_closed", "整改任务销号数", "项", "统计期内经专项办核验后销号的整改任务。", TASKS_CLOSED
)
_count(
    "tasks_overdue",
    "整改任务超期数",
    "项",
    "统计期内建立、现已超过整改期限仍在整改的任务（按当前状态）。",
    TASKS_OVERDUE,
    direction=Direction.LOWER,
)
_count("rules_made", "建章立制数", "项", "统计期内印发的制度机制（按印发日期）。", RULES_MADE)
_count(
    "institutions_unlicensed",
    "黑机构登记数",
    "家",
    "统计期内登记、证照状态为无证无照的机构。",
    INSTITUTIONS_UNLICENSED,
)
_rate(
    "hazard_rectify_rate",
    "隐患整治率",
    "统计期内发现的问题隐患中已整治（含复核通过）的 ÷ 统计期内发现的问题隐患。",
    HAZARDS_FOUND_RECTIFIED,
    HAZARDS_FOUND,
)
_rate(
    "letter_reply_rate",
    "三书一函按期回复率",
    "统计期内制发的三书一函中按期回复的 ÷ 其中已回复或已到回复期限的。",
    LETTERS_REPLIED_ON_TIME,
    LETTERS_DUE,
)
_rate(
    "task_on_time_rate",
    "整改任务按期完成率",
    "统计期内销号的整改任务中在期限内报送完成的 ÷ 统计期内销号的整改任务。",
    TASKS_CLOSED_ON_TIME,
    TASKS_CLOSED,
)
