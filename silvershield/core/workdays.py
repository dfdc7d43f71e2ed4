"""The working-day calendar for deadlines (DESIGN.md, "The tip (线索) and its life").

A transfer's deadline is 24:00 Asia/Shanghai on the Nth working day after the day of transfer:
the transfer day itself does not count, day 1 is the next working day. Official holidays (放假)
and make-up working days (调休上班) are respected for the years the calendar knows; a year it does
not know yet counts Monday–Friday and every deadline that examines one of its days is flagged
provisional. An absolute deadline (办理时限) handed down from above wins if it is earlier.

Everything above :func:`calendar_now` is pure: it takes a :class:`Calendar` and never touches the
database, the clock or the settings. :func:`calendar_now` builds the calendar in force from
``chinese-calendar`` (the years it ships) and the administrators' holiday table (the years entered
in :mod:`silvershield.core.holidays`; the table wins for a year it contains).
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.core.cache import cache as django_cache

from silvershield.core.models import HolidayDay, HolidayKind, HolidayYear

# Deadlines are defined in Beijing time whatever the server's TIME_ZONE (DESIGN.md).
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Calendar:
    """Which days are working days.

    known_years: the years whose official arrangement is known (their days follow the special
    days below; a known year without special days is plain Monday–Friday).
    off_days: days off (放假), weekends included or not; work_days: make-up working days (调休上班).
    Every special day must lie in a known year.
    """

    known_years: frozenset[int]
    off_days: frozenset[dt.date] = frozenset()
    work_days: frozenset[dt.date] = frozenset()
    _special: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        both = self.off_days & self.work_days
        if both:
            raise ValueError(f"days both off and working: {sorted(both)}")
        stray = {d for d in self.off_days | self.work_days if d.year not in self.known_years}
        if stray:
            raise ValueError(f"special days outside the known years: {sorted(stray)}")
        object.__setattr__(self, "_special", tuple(sorted(self.off_days | self.work_days)))

    def is_known(self, day: dt.date) -> bool:
        """Whether ``day``'s year has a known official arrangement."""
        return day.year in self.known_years

    def is_working_day(self, day: dt.date) -> bool:
        """Make-up days work, days off rest, otherwise Monday–Friday (also in unknown years)."""
        if day in self.work_days:
            return True
        if day in self.off_days:
            return False
        return day.weekday() < 5

    def special_days_between(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The special days in (start, end]."""
        lo = bisect.bisect_right(self._special, start)
        hi = bisect.bisect_right(self._special, end)
        return self._special[lo:hi]


class DeadlineSource(StrEnum):
    WORKING_DAYS = "working_days"
    ABSOLUTE = "absolute"


@dataclass(frozen=True)
class Deadline:
    """``due_at``: the instant the time runs out (00:00 of the day after the last working day,
    i.e. its 24:00, Asia/Shanghai). ``provisional``: may still move once an unknown year's
    arrangement is entered."""

    due_at: dt.datetime
    provisional: bool
    source: DeadlineSource


def _nth_day(start: dt.date, n: int, is_working: Callable[[dt.date], bool]) -> dt.date:
    if n < 0:
        raise ValueError("the number of working days cannot be negative")
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working(day):
            remaining -= 1
    return day


def add_working_days(start: dt.date, n: int, cal: Calendar) -> tuple[dt.date, bool]:
    """The ``n``-th working day after ``start`` (``start`` itself never counts) and whether it is
    provisional, i.e. whether any day examined lies in a year the calendar does not know.

    ``n == 0`` gives ``start`` itself (nothing examined, never provisional).
    """
    day = _nth_day(start, n, cal.is_working_day)
    if n == 0:
        return day, False
    first = start + dt.timedelta(days=1)
    provisional = any(year not in cal.known_years for year in range(first.year, day.year + 1))
    return day, provisional


def _end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in Beijing time, i.e. 00:00 of the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def deadline_for(
    transferred_at: dt.datetime,
    working_days: int,
    cal: Calendar,
    absolute: dt.datetime | None = None,
) -> Deadline:
    """The deadline of a transfer made at ``transferred_at`` with ``working_days`` to act.

    The transfer day is the Beijing date of ``transferred_at``. An ``absolute`` deadline wins when
    it is not later than the working-day one; it is then provisional only if the working-day
    deadline, once the unknown years are entered, could still turn out earlier than it (make-up
    working days can only pull a deadline earlier by turning weekend days into working days).
    """
    _require_aware(transferred_at, "transferred_at")
    day = transferred_at.astimezone(SHANGHAI).date()
    last_day, provisional = add_working_days(day, working_days, cal)
    due_at = _end_of_day(last_day)
    if absolute is None:
        return Deadline(due_at, provisional, DeadlineSource.WORKING_DAYS)
    _require_aware(absolute, "absolute")
    if absolute > due_at:
        return Deadline(due_at, provisional, DeadlineSource.WORKING_DAYS)
    absolute_provisional = False
    if provisional:
        # The earliest the working-day deadline could become: every unknown day a working day.
        earliest_day = _nth_day(
            day, working_days, lambda d: cal.is_working_day(d) if cal.is_known(d) else True
        )
        absolute_provisional = absolute > _end_of_day(earliest_day)
    return Deadline(absolute.astimezone(SHANGHAI), absolute_provisional, DeadlineSource.ABSOLUTE)


def _weekdays_through(day: dt.date) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday, ordinal 1) through ``day``."""
    ordinal = day.toordinal()
    return ordinal // 7 * 5 + min(ordinal % 7, 5)


def working_days_between(start: dt.date, end: dt.date, cal: Calendar) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``).

    E.g. how many working days a transfer due on ``start`` is overdue on ``end``.
    """
    if end <= start:
        return 0
    count = _weekdays_through(end) - _weekdays_through(start)
    for day in cal.special_days_between(start, end):
        count += int(cal.is_working_day(day)) - int(day.weekday() < 5)
    return count


def elapsed_fraction(start: dt.datetime, due: dt.datetime, now: dt.datetime) -> float:
    """The plain fraction of the time from ``start`` to ``due`` that has passed at ``now``
    (0 before the start, above 1 once overdue), for the 80% warning."""
    total = (due - start).total_seconds()
    if total <= 0:
        return 1.0 if now >= due else 0.0
    return max(0.0, (now - start).total_seconds() / total)


# --- the calendar in force -------------------------------------------------------------------


@dataclass(frozen=True)
class YearArrangement:
    """One year's official arrangement: its days off and make-up working days, with names."""

    year: int
    off_days: dict[dt.date, str]
    work_days: dict[dt.date, str]


_HOLIDAY_NAMES_ZH = {
    member.value: str(getattr(member, "chinese", member.value))
    for member in chinese_calendar.Holiday
}


def _zh(name: object) -> str:
    return _HOLIDAY_NAMES_ZH.get(name, str(name))


@cache
def builtin_arrangements() -> dict[int, YearArrangement]:
    """The years shipped with ``chinese-calendar`` (2004–2026 in version 1.11).

    A year is covered when its days off appear in the package's data (every published year has
    at least New Year's Day); the package's own range check uses the same data.
    """
    holidays: dict[dt.date, object] = chinese_calendar.holidays
    workdays: dict[dt.date, object] = chinese_calendar.workdays
    years = {d.year for d in holidays}
    arrangements = {
        year: YearArrangement(year=year, off_days={}, work_days={}) for year in sorted(years)
    }
    for day, name in holidays.items():
        arrangements[day.year].off_days[day] = _zh(name)
    for day, name in workdays.items():
        if day.year in arrangements:
            arrangements[day.year].work_days[day] = _zh(name)
    return arrangements


def build_calendar(arrangements: Iterable[YearArrangement]) -> Calendar:
    arrangements = list(arrangements)
    return Calendar(
        known_years=frozenset(a.year for a in arrangements),
        off_days=frozenset(d for a in arrangements for d in a.off_days),
        work_days=frozenset(d for a in arrangements for d in a.work_days),
    )


def arrangements_now() -> dict[int, YearArrangement]:
    """Built-in years merged with the holiday table (the table wins for a year it contains)."""
    merged = dict(builtin_arrangements())
    table = {
        year: YearArrangement(year=year, off_days={}, work_days={})
        for year in HolidayYear.objects.values_list("year", flat=True)
    }
    rows = HolidayDay.objects.values_list("year__year", "date", "kind", "name")
    for year, day, kind, name in rows:
        target = table[year].off_days if kind == HolidayKind.OFF else table[year].work_days
        target[day] = name
    merged.update(table)
    return merged


_VERSION_KEY = "core:holiday-calendar:version"
_cached: tuple[str, Calendar] | None = None


def _table_version() -> str:
    version = django_cache.get(_VERSION_KEY)
    if version is None:
        # First use, or the key was evicted: start a new version so no process keeps a stale copy.
        django_cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = django_cache.get(_VERSION_KEY)
    return str(version)


def calendar_now() -> Calendar:
    """The calendar in force. Cached per process; the version stamp in the shared cache (Redis
    in production) tells every process when the holiday table changed."""
    global _cached
    version = _table_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    calendar = build_calendar(arrangements_now().values())
    _cached = (version, calendar)
    return calendar


def calendar_invalidate() -> None:
    """Forget the cached calendar in every process (call after the holiday table changed)."""
    global _cached
    django_cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cached = None
