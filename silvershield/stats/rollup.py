"""The daily roll-up: per received day × region × channel × fraud type, how many tips are, now,
in each condition the tip record sets of the registry describe; and its coarser tiers.

It is updated incrementally: any change to a tip (its own row, its audit events — every workflow
transition writes one —, its transfers, reports and feedback) marks the tip's (day, region)
bucket; after the transaction commits the bucket is recomputed from the raw rows, and the
difference between its old and new rows is added to the coarser tiers (:data:`TIERS`) in the same
transaction. A rebuild (``manage.py stats_rollup_rebuild``, or the ``stats.rollup_rebuild`` task)
recomputes any range, calendar month by calendar month, tiers included.

:func:`sums` answers a count from the coarsest tiers that can: whole months of a period from a
monthly tier, the days at its edges from a daily one, and the finest rows only when a query needs
both a channel or fraud type and regions below the county.
"""

from __future__ import annotations

import calendar
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncDate

from silvershield.intake.models import Tip
from silvershield.stats.models import CoarseRollup, DailyRollup, RollupTier
from silvershield.stats.periods import Period, day_start
from silvershield.stats.registry import RecordSet, indicators

Bucket = tuple[dt.date, int]  # (received day, region id)
PATH_STEP = 13  # one level of a region path: a 12-digit code and "/"
AREA_DEPTH = 3  # the area tiers cut region paths to the county
TierKey = tuple[int, dt.date, str, str, str]  # (tier, day or month, path, channel, fraud type)


@dataclass(frozen=True)
class Tier:
    """A coarser roll-up tier: which part of the daily key it keeps."""

    tier: RollupTier
    monthly: bool  # one row per calendar month (``day`` is the first) instead of per day
    area: bool  # region paths cut to the county instead of the tip's own region
    split: bool  # keeps channel and fraud type (else both are "" and summed over)

    def key(self, row: DailyRollup) -> TierKey:
        return (
            self.tier,
            row.day.replace(day=1) if self.monthly else row.day,
            row.region_path[: AREA_DEPTH * PATH_STEP] if self.area else row.region_path,
            row.channel if self.split else "",
            row.fraud_type if self.split else "",
        )

    def usable(self, *, depth: int, split: bool, by_day: bool) -> bool:
        """Whether the tier can count regions ``depth`` levels deep, split by channel or type."""
        return (
            (self.split or not split)
            and (not self.area or depth <= AREA_DEPTH)
            and not (self.monthly and by_day)
        )


# Coarsest first: a query takes the first usable monthly and the first usable daily tier.
TIERS = (
    Tier(RollupTier.REGION_MONTH, monthly=True, area=False, split=False),
    Tier(RollupTier.AREA_MONTH, monthly=True, area=True, split=True),
    Tier(RollupTier.REGION_DAY, monthly=False, area=False, split=False),
    Tier(RollupTier.AREA_DAY, monthly=False, area=True, split=True),
)


def measures() -> dict[str, RecordSet]:
    """Roll-up column → the tip record set it counts (from the registry)."""
    out: dict[str, RecordSet] = {}
    for ind in indicators():
        for rs in (ind.numerator, ind.denominator):
            if rs is not None and rs.rollup is not None:
                out[rs.rollup] = rs
    return out


def _aggregate(tips: Any) -> list[DailyRollup]:
    cols = measures()
    annotated = tips.order_by()
    aggregates: dict[str, Any] = {}
    for col, rs in cols.items():
        cond = rs.condition()
        if col == "received" or not cond:
            aggregates[col] = Count("pk")
        else:
            annotated = annotated.alias(**{f"f_{col}": _as_bool(cond)})
            aggregates[col] = Count("pk", filter=Q(**{f"f_{col}": True}))
    rows = (
        annotated.annotate(d=TruncDate("received_at"))
        .values("d", "region_id", "region__path", "channel", "fraud_type")
        .annotate(**aggregates)
    )
    return [
        DailyRollup(
            day=r["d"],
            region_id=r["region_id"],
            region_path=r["region__path"],
            channel=r["channel"],
            fraud_type=r["fraud_type"],
            **{col: r[col] for col in cols},
        )
        for r in rows
    ]


def _as_bool(cond: Q) -> Any:
    from django.db.models import BooleanField, Case, Value, When

    return Case(When(cond, then=Value(True)), default=Value(False), output_field=BooleanField())


# -- the coarser tiers -----------------------------------------------------------------------------


def _tiers_add(old: Sequence[DailyRollup], new: Sequence[DailyRollup]) -> None:
    """Add the difference between a bucket's old and new daily rows to every coarser tier.

    Differences commute, so concurrent recomputes of other buckets feeding the same tier rows
    cannot lose each other's updates; a tier row created concurrently raises IntegrityError and
    the caller retries the bucket.
    """
    cols = list(measures())
    deltas: dict[TierKey, list[int]] = defaultdict(lambda: [0] * len(cols))
    for sign, rows in ((-1, old), (1, new)):
        for row in rows:
            for tier in TIERS:
                delta = deltas[tier.key(row)]
                for i, col in enumerate(cols):
                    delta[i] += sign * getattr(row, col)
    emptied: set[TierKey] = set()  # rows that lost tips and may be empty now
    for (tier_id, day, path, channel, fraud_type), delta in deltas.items():
        if not any(delta):
            continue
        key = {
            "tier": tier_id,
            "day": day,
            "region_path": path,
            "channel": channel,
            "fraud_type": fraud_type,
        }
        changes = {col: F(col) + d for col, d in zip(cols, delta, strict=True) if d}
        if CoarseRollup.objects.filter(**key).update(**changes):
            if delta[cols.index("received")] < 0:
                emptied.add((tier_id, day, path, channel, fraud_type))
        else:  # a new row: count it from the daily rows (right even if the tier had lost it)
            _tier_row_recount(next(t for t in TIERS if t.tier == tier_id), key)
    if emptied:
        keys = Q()
        for tier_id, day, path, channel, fraud_type in emptied:
            keys |= Q(
                tier=tier_id, day=day, region_path=path, channel=channel, fraud_type=fraud_type
            )
        CoarseRollup.objects.filter(keys, received=0).delete()


def _tier_row_recount(tier: Tier, key: dict[str, Any]) -> None:
    day: dt.date = key["day"]
    path: str = key["region_path"]
    last = _month_end(day) if tier.monthly else day
    daily = DailyRollup.objects.filter(day__gte=day, day__lte=last)
    if tier.area and len(path) == AREA_DEPTH * PATH_STEP:  # a county: its own rows and its towns'
        daily = daily.filter(region_path__startswith=path)
    else:  # a region above the counties keeps its own rows in the area tiers too
        daily = daily.filter(region_path=path)
    if tier.split:
        daily = daily.filter(channel=key["channel"], fraud_type=key["fraud_type"])
    cols = list(measures())
    got = daily.aggregate(**{c: Sum(c) for c in cols})
    if got["received"]:
        CoarseRollup.objects.create(**key, **{c: int(got[c] or 0) for c in cols})


def _tiers_rebuild(first: dt.date, last: dt.date) -> int:
    """Derive every coarser tier of the days ``first``–``last`` (one calendar month) from the
    daily rows. Returns rows written."""
    assert first.day == 1 and last == _month_end(first)
    cols = list(measures())
    CoarseRollup.objects.filter(day__gte=first, day__lte=last).delete()
    daily = DailyRollup.objects.filter(day__gte=first, day__lte=last).order_by()
    rows: list[CoarseRollup] = []
    for tier in TIERS:
        keys: dict[str, Any] = {
            "p": Substr("region_path", 1, AREA_DEPTH * PATH_STEP) if tier.area else F("region_path")
        }
        if not tier.monthly:
            keys["d"] = F("day")
        if tier.split:
            keys.update(c=F("channel"), t=F("fraud_type"))
        for r in daily.values(**keys).annotate(**{c: Sum(c) for c in cols}):
            rows.append(
                CoarseRollup(
                    tier=tier.tier,
                    day=first if tier.monthly else r["d"],
                    region_path=r["p"],
                    channel=r.get("c", ""),
                    fraud_type=r.get("t", ""),
                    **{c: int(r[c] or 0) for c in cols},
                )
            )
    CoarseRollup.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# -- recomputing -----------------------------------------------------------------------------------


def buckets_recompute(buckets: Iterable[Bucket]) -> int:
    """Recompute the roll-up rows of these (day, region) buckets from the tips, and carry the
    change into the coarser tiers. Returns daily rows written."""
    written = 0
    for day, region_id in sorted(set(buckets)):
        start, end = day_start(day), day_start(day + dt.timedelta(days=1))
        for attempt in range(3):
            try:
                with transaction.atomic():
                    old = list(
                        DailyRollup.objects.select_for_update().filter(day=day, region_id=region_id)
                    )
                    DailyRollup.objects.filter(pk__in=[r.pk for r in old]).delete()
                    rows = _aggregate(
                        Tip.objects.filter(
                            region_id=region_id, received_at__gte=start, received_at__lt=end
                        )
                    )
                    DailyRollup.objects.bulk_create(rows)
                    _tiers_add(old, rows)
                written += len(rows)
                break
            except IntegrityError:  # a concurrent recompute created the same row first
                if attempt == 2:
                    raise
    return written


def rollup_rebuild(*, period: Period | None = None) -> int:
    """Recompute the roll-up for a period (default: every day that has tips), one calendar month
    per transaction, the coarser tiers of each month with it. Returns daily rows written."""
    if period is None:
        span = Tip.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
        if span["first"] is None:
            DailyRollup.objects.all().delete()
            CoarseRollup.objects.all().delete()
            return 0
        from django.utils import timezone

        period = Period(timezone.localdate(span["first"]), timezone.localdate(span["last"]))
        DailyRollup.objects.exclude(day__gte=period.start, day__lte=period.end).delete()
        CoarseRollup.objects.exclude(
            day__gte=period.start.replace(day=1), day__lte=_month_end(period.end)
        ).delete()
    written = 0
    month = period.start.replace(day=1)
    while month <= period.end:
        month_end = _month_end(month)
        first, last = max(month, period.start), min(month_end, period.end)
        start, end = day_start(first), day_start(last + dt.timedelta(days=1))
        with transaction.atomic():
            DailyRollup.objects.filter(day__gte=first, day__lte=last).delete()
            rows = _aggregate(Tip.objects.filter(received_at__gte=start, received_at__lt=end))
            DailyRollup.objects.bulk_create(rows, batch_size=5000)
            _tiers_rebuild(month, month_end)
        written += len(rows)
        month = month_end + dt.timedelta(days=1)
    return written


# -- reading ---------------------------------------------------------------------------------------


def sums(
    *,
    period: Period,
    prefix: str,
    columns: Sequence[str],
    by: str | None = None,
    channel: str = "",
    fraud_type: str = "",
) -> dict[Any, dict[str, int]]:
    """Sums of roll-up columns over the tips received in ``period`` in the regions under
    ``prefix`` (all: ""), optionally of one channel or fraud type, grouped ``by`` None, "child"
    (the path of the child region of ``prefix``), "day", "channel" or "fraud_type".

    Whole calendar months come from a monthly tier, the days at the edges from a daily tier; the
    finest rows serve what no tier can (a channel or type below the county).
    """
    depth = prefix.count("/") + (1 if by == "child" else 0)
    split = bool(channel or fraud_type) or by in ("channel", "fraud_type")
    usable = [t for t in TIERS if t.usable(depth=depth, split=split, by_day=by == "day")]
    monthly = next((t for t in usable if t.monthly), None)
    daily = next((t for t in usable if not t.monthly), None)
    months, days = _split(period) if monthly is not None else (None, [(period.start, period.end)])
    parts: list[QuerySet[Any]] = []
    if months is not None and monthly is not None:
        parts.append(_tier_rows(monthly, [months]))
    if days:
        parts.append(_tier_rows(daily, days))
    cols = list(columns)
    total = {c: Sum(c) for c in cols}
    out: dict[Any, dict[str, int]] = {}
    for qs in parts:
        qs = qs.filter(region_path__startswith=prefix) if prefix else qs
        qs = qs.filter(channel=channel) if channel else qs
        qs = qs.filter(fraud_type=fraud_type) if fraud_type else qs
        if by is None:
            rows: Iterable[dict[str, Any]] = [{"k": None, **qs.aggregate(**total)}]
        else:
            rows = qs.values(k=_group_key(by, prefix)).annotate(**total).order_by()
        for r in rows:
            acc = out.setdefault(r["k"], dict.fromkeys(cols, 0))
            for c in cols:
                acc[c] += int(r[c] or 0)
    if by is None:
        out.setdefault(None, dict.fromkeys(cols, 0))
    return out


def _split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole calendar months of a period (first and last month, by their first days) and the
    day ranges left at its edges."""
    first = period.start
    if first.day != 1:
        first = _month_end(first) + dt.timedelta(days=1)
    end = period.end
    if end != _month_end(end):
        end = end.replace(day=1) - dt.timedelta(days=1)
    if first > end:
        return None, [(period.start, period.end)]
    days = []
    if period.start < first:
        days.append((period.start, first - dt.timedelta(days=1)))
    if end < period.end:
        days.append((end + dt.timedelta(days=1), period.end))
    return (first, end.replace(day=1)), days


def _tier_rows(tier: Tier | None, ranges: list[tuple[dt.date, dt.date]]) -> QuerySet[Any]:
    when = Q()
    for a, b in ranges:
        when |= Q(day__gte=a, day__lte=b)
    if tier is None:
        return DailyRollup.objects.filter(when)
    return CoarseRollup.objects.filter(when, tier=tier.tier)


def _group_key(by: str, prefix: str) -> Any:
    if by == "child":
        return Substr("region_path", 1, len(prefix) + PATH_STEP)
    if by in ("day", "channel", "fraud_type"):
        return F(by)
    raise ValueError(by)


# -- incremental updates ---------------------------------------------------------------------------

_pending = threading.local()


def _state() -> tuple[set[int], set[Bucket]]:
    if not hasattr(_pending, "tips"):
        _pending.tips, _pending.buckets = set(), set()
    return _pending.tips, _pending.buckets


def mark_tip(tip_id: int) -> None:
    tips, _ = _state()
    tips.add(int(tip_id))
    transaction.on_commit(flush)


def mark_bucket(day: dt.date, region_id: int) -> None:
    _, buckets = _state()
    buckets.add((day, region_id))
    transaction.on_commit(flush)


def flush() -> None:
    """Recompute every marked bucket (runs after commit; later callbacks find nothing to do)."""
    from django.utils import timezone

    tips, buckets = _state()
    if not tips and not buckets:
        return
    tip_ids, todo = set(tips), set(buckets)
    tips.clear()
    buckets.clear()
    for received_at, region_id in Tip.objects.filter(pk__in=tip_ids).values_list(
        "received_at", "region_id"
    ):
        todo.add((timezone.localdate(received_at), region_id))
    buckets_recompute(todo)
