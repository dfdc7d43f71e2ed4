"""The indicator registry: every figure SilverShield shows is defined here, once.

A :class:`RecordSet` is a named set of records (tips or transfers) given as a query: the rows a
figure counts and the list its link opens. An :class:`Indicator` is a count of one record set or
the ratio of two, with its unit, direction, description and the minimum volume below which a
region or unit is listed but not ranked. The dashboard, the rankings, the weekly report, the
bulletin and :func:`silvershield.stats.figures.indicator_value` all read the same definitions;
adding an indicator is one :func:`register` call in a module of ``stats.indicators``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

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

    model: the records (intake.Tip, workflow.Transfer, or a later app's model).
    condition: the filter on top of the scope, region and period (built at query time, so it may
        depend on the clock, e.g. "overdue now").
    region_lookup: the lookup to the record's region path.
    date_lookup: the datetime the period applies to; ``None`` for a state that holds now
        (the period is then ignored: "overdue now").
    unit_condition: the filter that restricts the set to one unit's work (unit rankings).
    rollup: the roll-up column that counts this set (fast path), if any.
    scoped_through: an extra lookup for models that carry no ScopeRule of their own: the
        records are restricted to those whose ``scoped_through`` is visible.
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
    list_columns: str = "tips"  # which drill-down table renders it: "tips" or "transfers" …

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
    min_volume: int = 1  # below this many records (the denominator, else the numerator): not ranked
    group: str = "线索办理"
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def value(self, numerator: int, denominator: int | None) -> float | None:
        if self.denominator is None:
            return float(numerator)
        if not denominator:
            return None
        return round(100.0 * numerator / denominator, 1)

    def volume(self, numerator: int, denominator: int | None) -> int:
        return numerator if self.denominator is None else int(denominator or 0)


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
