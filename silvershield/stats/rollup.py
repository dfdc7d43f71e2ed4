"""The daily roll-up: per received day × region × channel × fraud type, how many tips are, now,
in each condition the tip record sets of the registry describe.

It is updated incrementally: any change to a tip (its own row, its audit events — every workflow
transition writes one —, its transfers, reports and feedback) marks the tip's (day, region)
bucket; after the transaction commits the bucket is recomputed from the raw rows. A rebuild
(``manage.py stats_rollup_rebuild``, or the ``stats.rollup_rebuild`` task) recomputes any range.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate

from silvershield.intake.models import Tip
from silvershield.stats.models import DailyRollup
from silvershield.stats.periods import Period, day_start
from silvershield.stats.registry import RecordSet, indicators

Bucket = tuple[dt.date, int]  # (received day, region id)


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


def buckets_recompute(buckets: Iterable[Bucket]) -> int:
    """Recompute the roll-up rows of these (day, region) buckets from the tips. Returns rows written."""
    written = 0
    for day, region_id in sorted(set(buckets)):
        start, end = day_start(day), day_start(day + dt.timedelta(days=1))
        for attempt in range(3):
            try:
                with transaction.atomic():
                    DailyRollup.objects.filter(day=day, region_id=region_id).delete()
                    rows = _aggregate(
                        Tip.objects.filter(
                            region_id=region_id, received_at__gte=start, received_at__lt=end
                        )
                    )
                    DailyRollup.objects.bulk_create(rows)
                written += len(rows)
                break
            except IntegrityError:  # a concurrent recompute of the same bucket won the race
                if attempt == 2:
                    raise
    return written


def rollup_rebuild(*, period: Period | None = None, batch_days: int = 31) -> int:
    """Recompute the roll-up for a period (default: every day that has tips). Returns rows."""
    if period is None:
        span = Tip.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
        if span["first"] is None:
            DailyRollup.objects.all().delete()
            return 0
        from django.utils import timezone

        period = Period(timezone.localdate(span["first"]), timezone.localdate(span["last"]))
        DailyRollup.objects.exclude(day__gte=period.start, day__lte=period.end).delete()
    written = 0
    chunk_start = period.start
    while chunk_start <= period.end:
        chunk_end = min(period.end, chunk_start + dt.timedelta(days=batch_days - 1))
        start, end = day_start(chunk_start), day_start(chunk_end + dt.timedelta(days=1))
        with transaction.atomic():
            DailyRollup.objects.filter(day__gte=chunk_start, day__lte=chunk_end).delete()
            rows = _aggregate(Tip.objects.filter(received_at__gte=start, received_at__lt=end))
            DailyRollup.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
        chunk_start = chunk_end + dt.timedelta(days=1)
    return written


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
