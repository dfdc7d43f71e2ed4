"""The indicator registry: every figure SilverShield shows is defined here, once.

A :class:`RecordSet` is a named set of records (tips, transfers, cases, hazards …) given as a
query: the rows a figure counts and the list its link opens. A set either counts its records or,
with a ``measure``, sums money over them (in fen, 分, so that every figure is an exact integer;
shown in 元 and 万元). An :class:`Indicator` is the count or sum of one record set or the ratio of
two, with its unit, direction, description and the minimum volume below which a region or unit is
listed but not ranked. The dashboard, the rankings, the weekly report, the
bulletin and :func:`silvershield.stats.figures.indicator_value` all read the same definitions;
adding an indicator is one :func:`register` call in a module of ``stats.indicators``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import Q


class Direction(StrEnum):
    HIGHER = "higher"  # more is better (rates of work done)
    LOWER = "lower"  # less is better (overdue items)


class UnknownIndicator(LookupError):
    """An indicator or record-set code that is not registered."""


@dataclass(frozen=True)
class RecordSet:
    """A set of records one figure counts.

    model: the records (intake.Tip, workflow.Transfer, enforcement.Case, rectification.Hazard …).
    condition: the filter on top of the scope, region and period (built at query time, so it may
        depend on the clock, e.g. "overdue now").
    region_lookup: the lookup to the record's region path.
    date_lookup: the date or datetime the period applies to; ``None`` for a state that holds now
        (the period is then ignored: "overdue now").
    date_is_day: ``date_lookup`` names a DateField (compared with the period's days) rather than
        a DateTimeField (compared with the period's Beijing-time bounds).
    unit_condition: the filter that restricts the set to one unit's work (unit rankings).
    rollup: the roll-up column that counts this set (fast path), if any.
    scoped_through: for models that carry no ScopeRule of their own (a suspect, a recovery
        record): the foreign key to the scoped record they belong to (their case).
    measure: when set, the figure is not the number of records but this sum over them, in fen
        (分); it receives the records and the last day of the period.
    list_columns: which drill-down table renders the records (see ``stats.listings``).
    """

    code: str
    label: str
    model: type[models.Model]
    condition: Callable[[], Q]
    region_lookup: str
    date_lookup: str | None
    unit_condition: Callable[[int], Q]
    rollup: str | None = None
    channel_lookup: str | None = None
    fraud_type_lookup: str | None = None
    list_columns: str = "tips"
    date_is_day: bool = False
    scoped_through: str | None = None
    measure: Callable[[Any, dt.date], int] | None = None

    @property
    def period_bound(self) -> bool:
        return self.date_lookup is not None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # 件, %, 元 …
    direction: Direction
    description: str
    numerator: RecordSet
    denominator: RecordSet | None = None
    min_volume: int = 1  # below this many records (see volume_set): listed but not ranked
    group: str = "线索办理"
    tags: frozenset[str] = field(default_factory=frozenset)
    # The records whose number decides whether a figure may be ranked, when the denominator is a
    # sum of money (a recovery rate on one case is not a record); default: the denominator, else
    # the numerator.
    volume_set: RecordSet | None = None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY_UNIT

    def value(self, numerator: int, denominator: int | None) -> float | None:
        if self.denominator is None:
            return numerator / 100 if self.is_money else float(numerator)
        if not denominator:
            return None
        return round(100.0 * numerator / denominator, 1)

    def volume(self, numerator: int, denominator: int | None) -> int:
        return numerator if self.denominator is None else int(denominator or 0)

    def format(self, value: float | None) -> str:
        """How a value of this indicator is written on pages and in documents."""
        if value is None:
            return "—"
        if self.is_rate:
            return f"{value:.1f}%"
        if self.is_money:
            return money_text(round(value * 100))
        return str(int(value))


MONEY_UNIT = "元"
_FEN = Decimal("0.01")


def yuan_of(fen: int) -> Decimal:
    """An amount in fen (how money figures are counted) as exact 元."""
    return (Decimal(fen) * _FEN).quantize(_FEN)


def money_text(fen: int) -> str:
    """12345678 fen → "12.35万元"; below 10,000 元 → "1,234.50元"."""
    amount = yuan_of(fen)
    if abs(amount) >= 10000:
        wan = (amount / 10000).quantize(_FEN, rounding=ROUND_HALF_UP)
        return f"{wan:,}万元"
    return f"{amount:,}元"


_record_sets: dict[str, RecordSet] = {}
_indicators: dict[str, Indicator] = {}


def register_set(record_set: RecordSet) -> RecordSet:
    existing = _record_sets.get(record_set.code)
    if existing is not None and existing != record_set:
        raise ValueError(f"record set {record_set.code} defined twice")
    _record_sets[record_set.code] = record_set
    return record_set


def register(indicator: Indicator) -> Indicator:
    existing = _indicators.get(indicator.code)
    if existing is not None and existing != indicator:
        raise ValueError(f"indicator {indicator.code} defined twice")
    register_set(indicator.numerator)
    if indicator.denominator is not None:
        register_set(indicator.denominator)
    _indicators[indicator.code] = indicator
    return indicator


def indicator(code: str) -> Indicator:
    try:
        return _indicators[code]
    except KeyError:
        raise UnknownIndicator(f"未知的指标“{code[:40]}”") from None


def record_set(code: str) -> RecordSet:
    try:
        return _record_sets[code]
    except KeyError:
        raise UnknownIndicator(f"未知的统计口径“{code[:40]}”") from None


def indicators() -> list[Indicator]:
    return list(_indicators.values())


def rankable() -> list[Indicator]:
    """Indicators that rank regions and units (each says which way is better)."""
    return [i for i in _indicators.values() if "no_rank" not in i.tags]
