"""Statistical periods: inclusive date ranges in Asia/Shanghai, weeks Monday–Sunday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


class PeriodError(ValueError):
    """A period that cannot be counted (the message is for the user, in Chinese)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("结束日期不能早于开始日期")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (a week → the week before)."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, day after end 00:00) as aware datetimes."""
        return day_start(self.start), day_start(self.end + dt.timedelta(days=1))

    def is_closed(self, today: dt.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    def label(self) -> str:
        return f"{self.start:%Y年%-m月%-d日}至{self.end:%Y年%-m月%-d日}"

    def weeks(self) -> list[Period]:
        """The Monday–Sunday weeks the period touches, cut to the period."""
        out: list[Period] = []
        monday = week_of(self.start).start
        while monday <= self.end:
            sunday = monday + dt.timedelta(days=6)
            out.append(Period(max(monday, self.start), min(sunday, self.end)))
            monday += dt.timedelta(days=7)
        return out


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    return Period(monday, monday + dt.timedelta(days=6))


def last_full_week(today: dt.date | None = None) -> Period:
    return week_of((today or timezone.localdate()) - dt.timedelta(days=7))


def checked(start: dt.date | None, end: dt.date | None, *, today: dt.date | None = None) -> Period:
    """A period the user asked for, refused in plain Chinese when it cannot be counted."""
    today = today or timezone.localdate()
    if start is None or end is None:
        raise PeriodError("请选择统计期的开始和结束日期")
    if end < start:
        raise PeriodError("结束日期不能早于开始日期")
    if start > today:
        raise PeriodError("统计期不能在将来：开始日期晚于今天")
    if end > today:
        raise PeriodError("统计期不能在将来：结束日期晚于今天，请选到今天为止")
    if (end - start).days > 3660:
        raise PeriodError("统计期不能超过十年")
    return Period(start, end)


def default_period(today: dt.date | None = None) -> Period:
    """From the first of the month to today."""
    today = today or timezone.localdate()
    return Period(today.replace(day=1), today)
