"""Figures of the rectification ledger, each with the records behind it (drill-down).

Every function takes the viewer (scoping through core.access.visible), an optional period
(inclusive dates, Beijing time) and an optional region, and returns a :class:`Figure` whose
``records`` queryset is exactly what ``value`` counts. Nothing is typed in (RULES.md: 一张表).
The stats registry wires these in; :data:`FIGURES` lists them by key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from silvershield.core.access import visible
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
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
from silvershield.rectification.models import end_of_day as _end_of_day


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    records: QuerySet[Any]
    unit: str = "个"


def _start(day: dt.date) -> dt.datetime:
    return _end_of_day(day - dt.timedelta(days=1))


def _scoped(qs: QuerySet[Any], user: Any, region: Region | None) -> QuerySet[Any]:
    qs = visible(qs, user=user, perm=Perm.RECTIFICATION_VIEW)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def _period(field: str, start: dt.date | None, end: dt.date | None, *, instant: bool) -> Q:
    cond = Q()
    if start is not None:
        cond &= Q(**{f"{field}__gte": _start(start) if instant else start})
    if end is not None:
        cond &= Q(
            **{f"{field}__lt" if instant else f"{field}__lte": _end_of_day(end) if instant else end}
        )
    return cond


def _figure(key: str, label: str, qs: QuerySet[Any], unit: str = "个") -> Figure:
    return Figure(key=key, label=label, value=qs.count(), records=qs, unit=unit)


def hazards_found(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Hazard.objects.all(), user, region).filter(
        _period("found_on", start, end, instant=False)
    )
    return _figure("hazards_found", "排查发现问题隐患", qs)


def hazards_rectified(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Hazard.objects.all(), user, region).filter(
        Q(state__in=(HazardState.RECTIFIED, HazardState.VERIFIED)),
        _period("rectified_at", start, end, instant=True),
    )
    return _figure("hazards_rectified", "已整治问题隐患", qs)


def hazards_verified(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Hazard.objects.all(), user, region).filter(
        Q(state=HazardState.VERIFIED), _period("verified_at", start, end, instant=True)
    )
    return _figure("hazards_verified", "复核通过问题隐患", qs)


def letters_issued(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Letter.objects.all(), user, region).filter(
        _period("issued_on", start, end, instant=False)
    )
    return _figure("letters_issued", "制发三书一函", qs, "份")


def letters_replied(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Letter.objects.all(), user, region).filter(
        Q(state__in=(LetterState.REPLIED, LetterState.RECTIFIED)),
        _period("replied_at", start, end, instant=True),
    )
    return _figure("letters_replied", "三书一函已回复", qs, "份")


def letters_replied_on_time(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = letters_replied(user=user, start=start, end=end, region=region).records.filter(
        replied_at__lte=F("due_at")
    )
    return _figure("letters_replied_on_time", "三书一函按期回复", qs, "份")


def letters_rectified(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Letter.objects.all(), user, region).filter(
        Q(state=LetterState.RECTIFIED), _period("rectified_at", start, end, instant=True)
    )
    return _figure("letters_rectified", "三书一函已整改", qs, "份")


def letters_overdue(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    """Letters still awaiting a reply after their deadline (as of now; the period filters the
    issue date)."""
    qs = _scoped(Letter.objects.all(), user, region).filter(
        Q(state=LetterState.ISSUED, due_at__lte=timezone.now()),
        _period("issued_on", start, end, instant=False),
    )
    return _figure("letters_overdue", "三书一函逾期未回复", qs, "份")


def tasks_created(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Task.objects.all(), user, region).filter(
        _period("created_at", start, end, instant=True)
    )
    return _figure("tasks_created", "建立整改任务", qs, "项")


def tasks_closed(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Task.objects.all(), user, region).filter(
        Q(state=TaskState.CLOSED), _period("closed_at", start, end, instant=True)
    )
    return _figure("tasks_closed", "整改任务已销号", qs, "项")


def tasks_closed_on_time(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    """Closed tasks whose completion was reported by the deadline in force (staged goals count:
    the deadline is the last staged goal's)."""
    qs = tasks_closed(user=user, start=start, end=end, region=region).records.filter(
        submitted_at__lt=F("due_at")
    )
    return _figure("tasks_closed_on_time", "整改任务按期完成", qs, "项")


def tasks_overdue(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    """Open tasks past their deadline (as of now; the period filters the creation date)."""
    qs = _scoped(Task.objects.all(), user, region).filter(
        Q(state=TaskState.OPEN, due_at__lte=timezone.now()),
        _period("created_at", start, end, instant=True),
    )
    return _figure("tasks_overdue", "整改任务超期未完成", qs, "项")


def rules_made(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Rule.objects.all(), user, region).filter(
        _period("issued_on", start, end, instant=False)
    )
    return _figure("rules_made", "建章立制", qs, "项")


def institutions_unlicensed(
    *,
    user: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region: Region | None = None,
) -> Figure:
    qs = _scoped(Institution.objects.all(), user, region).filter(
        Q(licence_status=LicenceStatus.UNLICENSED), _period("created_at", start, end, instant=True)
    )
    return _figure("institutions_unlicensed", "登记无证无照机构（黑机构）", qs, "家")


FigureFunction = Callable[..., Figure]

FIGURES: dict[str, FigureFunction] = {
    "hazards_found": hazards_found,
    "hazards_rectified": hazards_rectified,
    "hazards_verified": hazards_verified,
    "letters_issued": letters_issued,
    "letters_replied": letters_replied,
    "letters_replied_on_time": letters_replied_on_time,
    "letters_rectified": letters_rectified,
    "letters_overdue": letters_overdue,
    "tasks_created": tasks_created,
    "tasks_closed": tasks_closed,
    "tasks_closed_on_time": tasks_closed_on_time,
    "tasks_overdue": tasks_overdue,
    "rules_made": rules_made,
    "institutions_unlicensed": institutions_unlicensed,
}
