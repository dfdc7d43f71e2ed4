"""Counting the registry's record sets for a user, a region and a period.

Every count goes through one of two paths that give the same numbers (the tests hold them
equal): the daily roll-up, when the user's scope covers the whole region (offices) and the set has
a roll-up column; otherwise the raw records, restricted by ``core.access.visible``. Figures from
outside the user's scope are never counted: the roll-up path is taken only when every record of
the region is visible to the user anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count
from django.db.models.functions import Substr, TruncDate
from django.urls import reverse

from silvershield.core.access import visible
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.intake.models import Tip
from silvershield.orgs.models import Unit, User
from silvershield.stats import rollup
from silvershield.stats.periods import Period
from silvershield.stats.registry import Indicator, RecordSet, indicator, money_text, record_set

SCOPE_PERM = Perm.STATS_VIEW

GroupBy = str | None  # None, "child", "channel", "fraud_type", "day"


@dataclass(frozen=True)
class Slice:
    """Who looks, at which region (None: nationwide), over which period, optionally narrowed."""

    user: User
    region: Region | None
    period: Period
    unit: Unit | None = None
    channel: str = ""
    fraud_type: str = ""

    @property
    def prefix(self) -> str:
        return self.region.path if self.region is not None else ""

    def narrowed(self, **changes: Any) -> Slice:
        return replace(self, **changes)


def covers_region(user: User, region: Region | None) -> bool:
    """Whether every record of ``region`` lies in the user's scope (offices over their area)."""
    scope = user.scope_for(SCOPE_PERM)
    if scope.everything:
        return True
    if region is None:
        return False
    return any(region.path.startswith(p) for p in scope.region_paths)


def records(rs: RecordSet, sl: Slice) -> models.QuerySet[Any]:
    """The records behind a figure, as a queryset the user may see (the drill-down list)."""
    qs = rs.model._default_manager.filter(rs.condition())
    if sl.region is not None:
        qs = qs.filter(**{f"{rs.region_lookup}__startswith": sl.region.path})
    if rs.date_lookup is not None and rs.date_is_day:
        qs = qs.filter(
            **{f"{rs.date_lookup}__gte": sl.period.start, f"{rs.date_lookup}__lte": sl.period.end}
        )
    elif rs.date_lookup is not None:
        start, end = sl.period.bounds()
        qs = qs.filter(**{f"{rs.date_lookup}__gte": start, f"{rs.date_lookup}__lt": end})
    if sl.unit is not None:
        qs = qs.filter(rs.unit_condition(sl.unit.pk))
    if sl.channel and rs.channel_lookup:
        qs = qs.filter(**{rs.channel_lookup: sl.channel})
    if sl.fraud_type and rs.fraud_type_lookup:
        qs = qs.filter(**{rs.fraud_type_lookup: sl.fraud_type})
    if rs.scoped_through is not None:
        parent = rs.model._meta.get_field(rs.scoped_through).related_model
        assert parent is not None and not isinstance(parent, str)
        owners = visible(parent._default_manager.all(), user=sl.user, perm=SCOPE_PERM)
        return qs.filter(**{f"{rs.scoped_through}__in": owners.values("pk")})
    scoped = visible(qs, user=sl.user, perm=SCOPE_PERM)
    if rs.model is Tip:
        return scoped
    # Scope rules that pass through many-to-many relations (co-operating units) could repeat rows.
    return rs.model._default_manager.filter(pk__in=scoped.values("pk"))


def _uses_rollup(rs: RecordSet, sl: Slice) -> bool:
    return rs.rollup is not None and sl.unit is None and covers_region(sl.user, sl.region)


def _key(by: GroupBy, rs: RecordSet, sl: Slice) -> Any:
    """The grouping expression over a record set's raw records (the roll-up groups its own rows:
    ``rollup.sums``)."""
    if by == "child":
        return Substr(rs.region_lookup, 1, len(sl.prefix) + rollup.PATH_STEP)
    if by == "day":
        assert rs.date_lookup is not None
        return models.F(rs.date_lookup) if rs.date_is_day else TruncDate(rs.date_lookup)
    if by == "channel":
        return models.F(rs.channel_lookup or "pk")
    if by == "fraud_type":
        return models.F(rs.fraud_type_lookup or "pk")
    raise ValueError(by)


def counts(rs: RecordSet, sl: Slice, *, by: GroupBy = None) -> dict[Any, int]:
    """Count a record set; grouped ``by`` a dimension, the keys are child paths, days, codes.

    A set with a ``measure`` gives its sum (in fen) instead of its number of records."""
    if rs.measure is not None:
        return _measured(rs, sl, by)
    if _uses_rollup(rs, sl):
        assert rs.rollup is not None
        got = rollup_totals(sl, [rs.rollup], by=by)
        if by is None:
            return {None: got[None][rs.rollup]}
        return {k: v[rs.rollup] for k, v in got.items() if v[rs.rollup]}
    qs = records(rs, sl)
    if by is None:
        return {None: qs.count()}
    grouped = qs.order_by().annotate(k=_key(by, rs, sl)).values("k").annotate(n=Count("pk"))
    return {row["k"]: int(row["n"]) for row in grouped if row["n"]}


def _measured(rs: RecordSet, sl: Slice, by: GroupBy) -> dict[Any, int]:
    """Sums of a measured set (money): one sum per group present in the records."""
    assert rs.measure is not None
    qs = records(rs, sl)
    if by is None:
        return {None: rs.measure(qs, sl.period.end)}
    keyed = qs.order_by().annotate(k=_key(by, rs, sl))
    out: dict[Any, int] = {}
    for key in keyed.values_list("k", flat=True).distinct():
        total = rs.measure(
            records(rs, sl).filter(pk__in=keyed.filter(k=key).values("pk")), sl.period.end
        )
        if total:
            out[key] = total
    return out


def rollup_totals(
    sl: Slice, columns: Iterable[str], *, by: GroupBy = None
) -> dict[Any, dict[str, int]]:
    """Several roll-up columns at once, from the coarsest roll-up tiers that can answer (the
    dashboard's fast path; see ``stats.rollup.sums``)."""
    return rollup.sums(
        period=sl.period,
        prefix=sl.prefix,
        columns=list(columns),
        by=by,
        channel=sl.channel,
        fraud_type=sl.fraud_type,
    )


def count(rs: RecordSet, sl: Slice) -> int:
    return counts(rs, sl)[None]


# -- links to the records behind a figure ---------------------------------------------------------


def region_chain_params(region: Region | None, name: str = "region") -> list[tuple[str, str]]:
    if region is None:
        return []
    codes = [c for c in region.path.split("/") if c]
    return [(f"{name}_{i}", code) for i, code in enumerate(codes)]


def tip_list_expresses(rs: RecordSet, sl: Slice) -> bool:
    """The tip list (/tips/) shows exactly this set: all tips received, filtered by its form."""
    return rs.code == "received" and sl.unit is None


def link(rs: RecordSet, sl: Slice) -> str:
    """The list of the records behind a figure, with the same filters."""
    if tip_list_expresses(rs, sl):
        params = region_chain_params(sl.region)
        params += [
            ("date_from", sl.period.start.isoformat()),
            ("date_to", sl.period.end.isoformat()),
        ]
        if sl.channel:
            params.append(("channel", sl.channel))
        if sl.fraud_type:
            params.append(("fraud_type", sl.fraud_type))
        return f"{reverse('intake:list')}?{urlencode(params)}"
    params = []
    if sl.region is not None:
        params.append(("region", sl.region.code))
    params += [("date_from", sl.period.start.isoformat()), ("date_to", sl.period.end.isoformat())]
    if sl.unit is not None:
        params.append(("unit", str(sl.unit.pk)))
    if sl.channel:
        params.append(("channel", sl.channel))
    if sl.fraud_type:
        params.append(("fraud_type", sl.fraud_type))
    return f"{reverse('stats:records', args=[rs.code])}?{urlencode(params)}"


# -- indicator values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: float | None
    numerator: int
    denominator: int | None
    link: str
    denominator_link: str = ""
    volume_count: int | None = None  # the indicator's volume_set counted, when it has one

    @property
    def volume(self) -> int:
        if self.volume_count is not None:
            return self.volume_count
        return self.indicator.volume(self.numerator, self.denominator)

    @property
    def rankable(self) -> bool:
        return self.value is not None and self.volume >= self.indicator.min_volume

    @property
    def text(self) -> str:
        return self.indicator.format(self.value)

    @property
    def numerator_text(self) -> str:
        return money_text(self.numerator) if self.is_money_ratio else str(self.numerator)

    @property
    def denominator_text(self) -> str:
        if self.denominator is None:
            return ""
        return money_text(self.denominator) if self.is_money_ratio else str(self.denominator)

    @property
    def is_money_ratio(self) -> bool:
        return self.indicator.numerator.measure is not None


def figure(ind: Indicator, sl: Slice) -> Figure:
    num = count(ind.numerator, sl)
    den = count(ind.denominator, sl) if ind.denominator is not None else None
    return Figure(
        indicator=ind,
        value=ind.value(num, den),
        numerator=num,
        denominator=den,
        link=link(ind.numerator, sl),
        denominator_link=link(ind.denominator, sl) if ind.denominator is not None else "",
        volume_count=count(ind.volume_set, sl) if ind.volume_set is not None else None,
    )


def indicator_value(code: str, scope_user: User, region: Region | None, period: Period) -> Figure:
    """The API-ready entry point: one indicator for a user, a region and a period.

    Raises ``registry.UnknownIndicator`` for an unknown code and ``selectors.StatsInputError``
    when the region lies outside what the user may see (both carry a Chinese message).
    """
    from silvershield.stats.selectors import check_region

    ind = indicator(code)
    check_region(user=scope_user, region=region)
    return figure(ind, Slice(user=scope_user, region=region, period=period))


def day_series(rs: RecordSet, sl: Slice) -> dict[dt.date, int]:
    return {k: v for k, v in counts(rs, sl, by="day").items() if k is not None}


__all__ = ["Figure", "Slice", "count", "counts", "figure", "indicator_value", "link", "record_set"]
