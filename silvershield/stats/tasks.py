"""Background work: rebuilding the roll-up (a safety net for writes that bypass signals)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from silvershield.stats.periods import Period
from silvershield.stats.rollup import rollup_rebuild


@shared_task(name="stats.rollup_rebuild")
def rollup_rebuild_task(start: str | None = None, end: str | None = None) -> int:
    period = (
        Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) if start and end else None
    )
    return rollup_rebuild(period=period)
