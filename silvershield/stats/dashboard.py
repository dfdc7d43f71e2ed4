"""The dashboard of a region for a period: every number is a registry figure with its link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from silvershield.core.choices import FraudType
from silvershield.geo.models import Region
from silvershield.intake.models import Channel
from silvershield.stats import figures
from silvershield.stats.figures import Figure, Slice
from silvershield.stats.layout import tile_positions
from silvershield.stats.periods import Period
from silvershield.stats.registry import Direction, Indicator, RecordSet, indicator, record_set
from silvershield.stats.selectors import child_regions
from silvershield.workflow.deadlines import overdue_working_days, responsible_person
from silvershield.workflow.models import Transfer

COUNT_CODES = (
    "tips_received",
    "tips_screened",
    "tips_valid",
    "tips_transferred",
    "tips_verified_on_time",
    "overdue_now",
    "tips_closed",
    "tips_feedback",
)
RATE_CODES = (
    "valid_rate",
    "transfer_rate",
    "on_time_rate",
    "close_rate",
    "feedback_rate",
    "overdue_rate",
)
OVERDUE_LIST_SIZE = 50


@dataclass
class Bar:
    label: str
    count: int
    link: str


@dataclass
class Tile:
    region: Region
    figure: Figure
    row: int
    col: int
    heat: str


@dataclass
class OverdueRow:
    transfer: Transfer
    responsible: str
    overdue_days: int


@dataclass
class Dashboard:
    slice: Slice
    counts: list[Figure]
    rates: list[Figure]
    by_channel: list[Bar]
    by_type: list[Bar]
    weeks: list[dict[str, Any]]
    tiles: list[Tile]
    tile_indicator: Indicator
    overdue: list[OverdueRow]
    overdue_total: int
    extra: dict[str, Any] = field(default_factory=dict)

    def chart_data(self) -> dict[str, Any]:
        """What dashboard.js draws (read from a json_script block)."""
        return {
            "channels": [
                {"name": b.label, "value": b.count, "link": b.link} for b in self.by_channel
            ],
            "types": [{"name": b.label, "value": b.count, "link": b.link} for b in self.by_type],
            "weeks": self.weeks,
        }


def _sets_counts(sets: list[RecordSet], sl: Slice, by: str | None) -> dict[str, dict[Any, int]]:
    """Counts of several record sets, in one roll-up query when they all have a column."""
    rolled = [rs for rs in sets if rs.rollup is not None]
    out: dict[str, dict[Any, int]] = {}
    if rolled and sl.unit is None and figures.covers_region(sl.user, sl.region):
        totals = figures.rollup_totals(sl, [rs.rollup for rs in rolled if rs.rollup], by=by)
        for rs in rolled:
            assert rs.rollup is not None
            out[rs.code] = {k: v[rs.rollup] for k, v in totals.items() if v[rs.rollup]}
            if by is None:
                out[rs.code] = {None: totals[None][rs.rollup]}
    for rs in sets:
        if rs.code not in out:
            out[rs.code] = figures.counts(rs, sl, by=by)
    return out


def _figure_from(ind: Indicator, sl: Slice, got: dict[str, dict[Any, int]], key: Any) -> Figure:
    num = got[ind.numerator.code].get(key, 0)
    den = got[ind.denominator.code].get(key, 0) if ind.denominator is not None else None
    return Figure(
        indicator=ind,
        value=ind.value(num, den),
        numerator=num,
        denominator=den,
        link=figures.link(ind.numerator, sl),
        denominator_link=figures.link(ind.denominator, sl) if ind.denominator else "",
    )


def heat_classes(tiles_figs: list[Figure]) -> list[str]:
    """Five colour steps from worst (1) to best (5) among the ranked tiles; "heat-na" otherwise."""
    values = [f.value for f in tiles_figs if f.rankable and f.value is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    out = []
    for f in tiles_figs:
        if not f.rankable or f.value is None:
            out.append("heat-na")
            continue
        share = 1.0 if hi == lo else (f.value - lo) / (hi - lo)
        if f.indicator.direction == Direction.LOWER:
            share = 1.0 - share
        out.append(f"heat-{1 + min(4, int(share * 5))}")
    return out


def dashboard_build(
    *, user: Any, region: Region | None, period: Period, tile_code: str = "close_rate"
) -> Dashboard:
    sl = Slice(user=user, region=region, period=period)
    count_inds = [indicator(c) for c in COUNT_CODES]
    rate_inds = [indicator(c) for c in RATE_CODES]
    tile_ind = indicator(tile_code)
    sets: dict[str, RecordSet] = {}
    for ind in [*count_inds, *rate_inds, tile_ind]:
        for rs in (ind.numerator, ind.denominator):
            if rs is not None:
                sets[rs.code] = rs
    totals = _sets_counts(list(sets.values()), sl, None)
    counts = [_figure_from(i, sl, totals, None) for i in count_inds]
    rates = [_figure_from(i, sl, totals, None) for i in rate_inds]

    received = record_set("received")
    channel_labels = dict(Channel.choices)
    by_channel = [
        Bar(str(channel_labels.get(k, k)), n, figures.link(received, sl.narrowed(channel=k)))
        for k, n in sorted(figures.counts(received, sl, by="channel").items(), key=lambda i: -i[1])
        if k
    ]
    type_labels = dict(FraudType.choices)
    by_type = [
        Bar(
            str(type_labels.get(k, "未甄别")) if k else "未甄别",
            n,
            figures.link(received, sl.narrowed(fraud_type=k)) if k else "",
        )
        for k, n in sorted(
            figures.counts(received, sl, by="fraud_type").items(), key=lambda i: -i[1]
        )
    ]

    closed = record_set("closed")
    days = _sets_counts([received, closed], sl, "day")
    weeks = []
    for week in period.weeks():
        span = [week.start + dt.timedelta(days=i) for i in range(week.days)]
        week_slice = sl.narrowed(period=week)
        weeks.append(
            {
                "label": f"{week.start:%m-%d}",
                "received": sum(_day(days["received"], d) for d in span),
                "closed": sum(_day(days["closed"], d) for d in span),
                "received_link": figures.link(received, week_slice),
                "closed_link": figures.link(closed, week_slice),
            }
        )

    children = child_regions(region=region)
    tile_sets = [tile_ind.numerator] + ([tile_ind.denominator] if tile_ind.denominator else [])
    by_child = _sets_counts(tile_sets, sl, "child")
    child_figs = [
        _figure_from(tile_ind, sl.narrowed(region=child), by_child, child.path)
        for child in children
    ]
    positions = tile_positions(region.code if region else None, [c.code for c in children])
    tiles = [
        Tile(child, fig, *positions[child.code], heat)
        for child, fig, heat in zip(children, child_figs, heat_classes(child_figs), strict=True)
    ]

    overdue_qs: QuerySet[Transfer] = figures.records(record_set("overdue_now"), sl)
    overdue_qs = overdue_qs.select_related("tip", "tip__region", "lead_unit", "signed_by").order_by(
        "due_at", "id"
    )
    now = timezone.now()
    overdue = [
        OverdueRow(t, responsible_person(t), overdue_working_days(t, now))
        for t in overdue_qs[:OVERDUE_LIST_SIZE]
    ]
    overdue_total = next(f for f in counts if f.indicator.code == "overdue_now").numerator
    return Dashboard(
        slice=sl,
        counts=counts,
        rates=rates,
        by_channel=by_channel,
        by_type=by_type,
        weeks=weeks,
        tiles=tiles,
        tile_indicator=tile_ind,
        overdue=overdue,
        overdue_total=overdue_total,
    )


def _day(series: dict[Any, int], day: dt.date) -> int:
    value = series.get(day)
    if value is None and day is not None:
        value = series.get(day.isoformat())
    return int(value or 0)
