"""Reading one registry figure in a test, the way the dashboard does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from silvershield.geo.models import Region
from silvershield.orgs.models import User
from silvershield.stats import figures
from silvershield.stats.figures import Figure, Slice
from silvershield.stats.periods import Period
from silvershield.stats.registry import indicator, record_set

EPOCH = dt.date(2000, 1, 1)


def _slice(user: User, region: Region | None, start: dt.date | None, end: dt.date | None) -> Slice:
    period = Period(start or EPOCH, end or timezone.localdate())
    return Slice(user=user, region=region, period=period)


def stat(
    code: str,
    user: User,
    *,
    region: Region | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Figure:
    return figures.figure(indicator(code), _slice(user, region, start, end))


def behind(
    code: str,
    user: User,
    *,
    region: Region | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Any]:
    """The records the figure's link lists (its numerator's record set)."""
    return figures.records(indicator(code).numerator, _slice(user, region, start, end))


def records_of(code: str, user: User) -> QuerySet[Any]:
    return figures.records(record_set(code), _slice(user, None, None, None))
