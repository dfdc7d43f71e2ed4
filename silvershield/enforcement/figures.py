"""The crackdown figures, each defined once as a query over records (nothing typed in).

Every figure takes the same keyword arguments:

- ``user``: whose scope applies (``core.access.visible`` with ``Perm.CASE_VIEW``: an office sees
  its jurisdiction, a member unit the cases it owns, registered or was passed);
- ``region``: only cases whose region lies in this region (``None``: the whole scope);
- ``date_from`` / ``date_to``: the period, both days included (``None``: open-ended).

and has a ``*_records`` companion returning the queryset behind it (drill-down). Counting figures
return ``int``; money figures ``Decimal`` in 元; rates a ``Decimal`` fraction (0.4567 = 45.67%) or
``None`` when the losses are zero.

Which date puts a record in the period:

| figure | records | date |
|---|---|---|
| cases_filed | Case | filed_on |
| cases_solved | Case | solved_on |
| suspects_arrested | Suspect arrested or fugitive caught | caught_on |
| fugitives_caught | Suspect with status fugitive_caught | caught_on |
| gangs_broken | Gang | broken_on |
| recovered_amount | RecoveryRecord | on (secured + returned − released by returns in the period) |
| returned_amount | RecoveryRecord of kind return | on |
| recovery_rate / returned_rate | Case filed in the period | filed_on; money dated up to date_to |
| cold_cases_reviewed | ColdCaseReview completed | reviewed_on |

``recovered_amount`` is additive over periods: money frozen in March and returned in April counts
in March (secured) and not again in April (the return releases it). The rates follow the cohort of
cases filed in the period: their recovered (or returned) money up to the end of the period ÷ their
victims' losses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from silvershield.core.access import visible
from silvershield.core.permissions import Perm
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
from silvershield.geo.models import Region


def _period(field: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    cond = Q()
    if date_from is not None:
        cond &= Q(**{f"{field}__gte": date_from})
    if date_to is not None:
        cond &= Q(**{f"{field}__lte": date_to})
    return cond


def scoped_cases(*, user: Any, region: Region | None = None) -> QuerySet[Case]:
    """The cases a figure counts over: the user's scope, optionally one region."""
    qs = visible(Case.objects.all(), user=user, perm=Perm.CASE_VIEW)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


# -- cases --------------------------------------------------------------------------------------------


def cases_filed_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Case]:
    """Cases filed (立案) in the period."""
    return scoped_cases(user=user, region=region).filter(_period("filed_on", date_from, date_to))


def cases_filed(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return cases_filed_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


def cases_solved_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Case]:
    """Cases solved (破案) in the period (whatever stage they reached since)."""
    return scoped_cases(user=user, region=region).filter(
        Q(solved_on__isnull=False) & _period("solved_on", date_from, date_to)
    )


def cases_solved(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return cases_solved_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


# -- suspects and gangs -------------------------------------------------------------------------------


def suspects_arrested_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Suspect]:
    """Suspects arrested (抓获), fugitives caught included, by the day they were caught."""
    return Suspect.objects.filter(
        Q(case__in=scoped_cases(user=user, region=region), status__in=CAUGHT_STATUSES)
        & _period("caught_on", date_from, date_to)
    )


def suspects_arrested(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return suspects_arrested_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


def fugitives_caught_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Suspect]:
    """Suspects who were at large and were caught (追逃到案)."""
    return Suspect.objects.filter(
        Q(
            case__in=scoped_cases(user=user, region=region),
            status=SuspectStatus.FUGITIVE_CAUGHT,
        )
        & _period("caught_on", date_from, date_to)
    )


def fugitives_caught(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return fugitives_caught_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


def gangs_broken_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Gang]:
    """Gangs broken up (打掉) in the period, in the user's scope for gangs."""
    qs = visible(Gang.objects.all(), user=user, perm=Perm.CASE_VIEW)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs.filter(Q(broken_on__isnull=False) & _period("broken_on", date_from, date_to))


def gangs_broken(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return gangs_broken_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


# -- money --------------------------------------------------------------------------------------------


def recovered_amount_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[RecoveryRecord]:
    """Recovery records (freezes, seizures, returns) dated in the period."""
    return RecoveryRecord.objects.filter(
        Q(case__in=scoped_cases(user=user, region=region)) & _period("on", date_from, date_to)
    )


def _releases_in(records: QuerySet[RecoveryRecord]) -> QuerySet[RecoveryRelease]:
    return RecoveryRelease.objects.filter(
        return_record__in=records.filter(kind=RecoveryKind.RETURN)
    )


def recovered_amount(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Decimal:
    """追赃挽损金额: secured + returned − released by those returns; each yuan once."""
    records = recovered_amount_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    )
    return money.recovery_of(
        records=records, releases=_releases_in(records), losses=money.ZERO
    ).recovered


def returned_amount_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[RecoveryRecord]:
    """Returns (返还) to victims dated in the period."""
    return recovered_amount_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).filter(kind=RecoveryKind.RETURN)


def returned_amount(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Decimal:
    records = recovered_amount_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    )
    return money.recovery_of(
        records=records, releases=_releases_in(records), losses=money.ZERO
    ).returned


def recovery_rate_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Case]:
    """The cohort behind the rates: cases filed in the period."""
    return cases_filed_records(user=user, region=region, date_from=date_from, date_to=date_to)


returned_rate_records = recovery_rate_records


def cohort_recovery(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> money.Recovery:
    """Losses and money of the cases filed in the period, money dated up to ``date_to``."""
    cases = recovery_rate_records(user=user, region=region, date_from=date_from, date_to=date_to)
    total = money.sum_money(cases, "victim_loss")
    records = RecoveryRecord.objects.filter(Q(case__in=cases) & _period("on", None, date_to))
    return money.recovery_of(records=records, releases=_releases_in(records), losses=total)


def recovery_rate(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Decimal | None:
    """追赃挽损率 = recovered ÷ victims' losses (the cohort of cases filed in the period)."""
    return cohort_recovery(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).recovery_rate


def returned_rate(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Decimal | None:
    """返还率 = returned ÷ victims' losses (same cohort), shown beside the recovery rate."""
    return cohort_recovery(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).returned_rate


# -- cold cases ---------------------------------------------------------------------------------------


def cold_cases_reviewed_records(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ColdCaseReview]:
    """Cold-case reviews (回头看) completed in the period."""
    return ColdCaseReview.objects.filter(
        Q(case__in=scoped_cases(user=user, region=region), reviewed_on__isnull=False)
        & _period("reviewed_on", date_from, date_to)
    )


def cold_cases_reviewed(
    *,
    user: Any,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    return cold_cases_reviewed_records(
        user=user, region=region, date_from=date_from, date_to=date_to
    ).count()


FIGURES = {
    "cases_filed": (cases_filed, cases_filed_records, "立案数"),
    "cases_solved": (cases_solved, cases_solved_records, "破案数"),
    "suspects_arrested": (suspects_arrested, suspects_arrested_records, "抓获犯罪嫌疑人"),
    "fugitives_caught": (fugitives_caught, fugitives_caught_records, "抓获逃犯"),
    "gangs_broken": (gangs_broken, gangs_broken_records, "打掉犯罪团伙"),
    "recovered_amount": (recovered_amount, recovered_amount_records, "追赃挽损金额"),
    "returned_amount": (returned_amount, returned_amount_records, "返还受害人金额"),
    "recovery_rate": (recovery_rate, recovery_rate_records, "追赃挽损率"),
    "returned_rate": (returned_rate, returned_rate_records, "返还率"),
    "cold_cases_reviewed": (
        cold_cases_reviewed,
        cold_cases_reviewed_records,
        "陈案积案完成回头看",
    ),
}
"""name → (figure, drill-down, label): the stats registry reads this."""
