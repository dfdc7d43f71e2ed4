"""The holiday table: years of official holiday arrangements entered by administrators.

``chinese-calendar`` ships the years up to 2026; each later year is entered here once the State
Council publishes it (each autumn). Writes are services (one transaction, audited, permission
checked); after commit they refresh the working-day calendar in every process and announce the
change (``holiday_table_changed``) so higher layers can recompute provisional deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from silvershield.core.access import require
from silvershield.core.audit import audit_record
from silvershield.core.models import HolidayDay, HolidayKind, HolidayYear
from silvershield.core.permissions import Perm
from silvershield.core.workdays import builtin_arrangements, calendar_invalidate

# Sent after commit with ``year`` (int) whenever a year is saved or deleted; receivers recompute
# deadlines that depend on it (e.g. the workflow's provisional transfer deadlines).
holiday_table_changed = Signal()

MIN_YEAR = 2000
MAX_YEAR = 2100
NAME_MAX = 50
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

DayEntry = tuple[dt.date, str, str]  # (date, HolidayKind value, name)


# --- services --------------------------------------------------------------------------------


def _validate(
    *, year: int, days: Sequence[DayEntry], published_on: dt.date | None, source: str
) -> None:
    errors: dict[str, list[str]] = {}
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.setdefault("year", []).append(f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
    if published_on is None:
        errors.setdefault("published_on", []).append("请填写国务院办公厅通知的发布日期")
    elif published_on > timezone.localdate():
        errors.setdefault("published_on", []).append("发布日期不能晚于今天")
    if len(source) > 300:
        errors.setdefault("source", []).append("依据不能超过300字")
    day_errors: list[str] = []
    seen: set[dt.date] = set()
    for day, kind, name in days:
        label = f"{day:%Y-%m-%d}（{WEEKDAYS_ZH[day.weekday()]}）"
        if day.year != year:
            day_errors.append(f"{label}不在 {year} 年内")
        if day in seen:
            day_errors.append(f"{label}重复出现，每个日期只能写一行")
        seen.add(day)
        if kind not in HolidayKind.values:
            day_errors.append(f"{label}的类别应为“放假”或“上班”")
        elif kind == HolidayKind.WORK and day.weekday() < 5:
            day_errors.append(f"{label}本来就是工作日，调休上班日只能是星期六或星期日")
        if len(name) > NAME_MAX:
            day_errors.append(f"{label}的名称不能超过{NAME_MAX}字")
    if day_errors:
        errors["days"] = day_errors
    if errors:
        raise ValidationError(errors)


def _announce(year: int) -> None:
    calendar_invalidate()
    holiday_table_changed.send(sender=HolidayYear, year=year)


def holiday_year_save(
    *,
    actor: Any,
    year: int,
    days: Sequence[DayEntry],
    published_on: dt.date | None,
    source: str,
) -> HolidayYear:
    """Enter (or replace) one year's arrangement: its days off and make-up working days.

    A day off may fall on a weekend; a make-up working day must be a Saturday or Sunday.
    Replaces all the year's days in one transaction.
    """
    require(actor, Perm.CAMPAIGN_MANAGE)
    source = source.strip()
    days = [(d, str(kind), name.strip()) for d, kind, name in days]
    _validate(year=year, days=days, published_on=published_on, source=source)
    assert published_on is not None  # checked above
    with transaction.atomic():
        holiday_year = HolidayYear.objects.select_for_update().filter(year=year).first()
        replaced = holiday_year is not None
        if holiday_year is None:
            holiday_year = HolidayYear(year=year)
        holiday_year.published_on = published_on
        holiday_year.source = source
        holiday_year.entered_by = str(actor.get_username())
        holiday_year.entered_at = timezone.now()
        if replaced:
            holiday_year.save(update_fields=["published_on", "source", "entered_by", "entered_at"])
            holiday_year.days.all().delete()
        else:
            holiday_year.save(force_insert=True)
        HolidayDay.objects.bulk_create(
            HolidayDay(year=holiday_year, date=d, kind=kind, name=name)
            for d, kind, name in sorted(days)
        )
        off = sum(1 for _, kind, _ in days if kind == HolidayKind.OFF)
        work = len(days) - off
        builtin = " （覆盖内置数据）" if year in builtin_arrangements() else ""
        audit_record(
            actor=actor,
            action="holiday_year.replaced" if replaced else "holiday_year.created",
            obj=holiday_year,
            summary=(
                f"{'修改' if replaced else '录入'} {year} 年节假日安排：放假 {off} 天，"
                f"调休上班 {work} 天{builtin}"
            ),
            data={
                "year": year,
                "off": off,
                "work": work,
                "published_on": published_on.isoformat(),
                "source": source,
            },
        )
        transaction.on_commit(lambda: _announce(year))
    return holiday_year


def holiday_year_delete(*, actor: Any, year: int) -> None:
    """Remove a year from the table (its days count Monday–Friday again, or the built-in data)."""
    require(actor, Perm.CAMPAIGN_MANAGE)
    with transaction.atomic():
        holiday_year = HolidayYear.objects.select_for_update().filter(year=year).first()
        if holiday_year is None:
            raise ValidationError({"year": f"表中没有 {year} 年的节假日安排"})
        count = holiday_year.days.count()
        object_id = str(holiday_year.pk)
        holiday_year.delete()
        audit_record(
            actor=actor,
            action="holiday_year.deleted",
            object_type=HolidayYear._meta.label_lower,
            object_id=object_id,
            summary=f"删除 {year} 年节假日安排（{count} 个特殊日期）",
            data={"year": year, "days": count},
        )
        transaction.on_commit(lambda: _announce(year))


# --- selectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    builtin: bool  # shipped with chinese-calendar and not overridden by the table
    overrides_builtin: bool
    off_count: int
    work_count: int
    published_on: dt.date | None = None
    source: str = ""
    entered_by: str = ""
    entered_at: dt.datetime | None = None

    @property
    def editable(self) -> bool:
        return not self.builtin


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    kind: HolidayKind
    name: str

    @property
    def weekday(self) -> str:
        return WEEKDAYS_ZH[self.date.weekday()]


def holiday_year_list() -> list[YearRow]:
    """Every known year, newest first: the table's years and the built-in ones."""
    builtin = builtin_arrangements()
    rows: dict[int, YearRow] = {
        year: YearRow(
            year=year,
            builtin=True,
            overrides_builtin=False,
            off_count=len(arr.off_days),
            work_count=len(arr.work_days),
        )
        for year, arr in builtin.items()
    }
    counts: dict[tuple[int, str], int] = {}
    for year_id, kind in HolidayDay.objects.values_list("year_id", "kind"):
        counts[(year_id, kind)] = counts.get((year_id, kind), 0) + 1
    for hy in HolidayYear.objects.all():
        rows[hy.year] = YearRow(
            year=hy.year,
            builtin=False,
            overrides_builtin=hy.year in builtin,
            off_count=counts.get((hy.pk, HolidayKind.OFF), 0),
            work_count=counts.get((hy.pk, HolidayKind.WORK), 0),
            published_on=hy.published_on,
            source=hy.source,
            entered_by=hy.entered_by,
            entered_at=hy.entered_at,
        )
    return [rows[year] for year in sorted(rows, reverse=True)]


def holiday_year_days(*, year: int) -> list[DayRow] | None:
    """A known year's special days in date order (the table's, else the built-in ones);
    ``None`` for a year nobody has entered."""
    holiday_year = HolidayYear.objects.filter(year=year).first()
    if holiday_year is not None:
        return [
            DayRow(d.date, HolidayKind(d.kind), d.name) for d in holiday_year.days.order_by("date")
        ]
    arrangement = builtin_arrangements().get(year)
    if arrangement is None:
        return None
    rows = [DayRow(d, HolidayKind.OFF, n) for d, n in arrangement.off_days.items()]
    rows += [DayRow(d, HolidayKind.WORK, n) for d, n in arrangement.work_days.items()]
    return sorted(rows, key=lambda r: r.date)


# --- the text form administrators type ----------------------------------------------------------

KIND_WORDS = {
    "放假": HolidayKind.OFF,
    "休": HolidayKind.OFF,
    "休息": HolidayKind.OFF,
    "off": HolidayKind.OFF,
    "上班": HolidayKind.WORK,
    "班": HolidayKind.WORK,
    "调休上班": HolidayKind.WORK,
    "work": HolidayKind.WORK,
}
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:\s*(?:~|～|至|到|—|--)\s*(?P<end>{_DATE}))?"
    r"[\s,，、;；]+(?P<kind>\S+)(?:[\s,，、;；]+(?P<name>.*))?$"
)
LINE_HELP = (
    "每行一个日期或一段日期：日期、“放假”或“上班”、名称，以空格分隔。"
    "例如：2027-01-01 放假 元旦；2027-10-01~2027-10-07 放假 国庆节；2027-02-07 上班 春节调休。"
)


def _parse_date(text: str) -> dt.date:
    year, month, day = (int(n) for n in re.findall(r"\d+", text))
    return dt.date(year, month, day)


def holiday_lines_parse(text: str) -> list[DayEntry]:
    """Parse the administrator's lines ("2027-01-01 放假 元旦", ranges with "~" or "至").

    Blank lines and lines starting with "#" are ignored. Raises ``ValidationError`` with one
    Chinese message per bad line, naming the line and repeating what was typed.
    """
    entries: list[DayEntry] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        where = f"第 {number} 行“{line}”"
        match = _LINE.match(line)
        if match is None:
            errors.append(f"{where}：格式不对，应写作“2027-01-01 放假 元旦”")
            continue
        kind = KIND_WORDS.get(match["kind"].lower())
        if kind is None:
            errors.append(f"{where}：第二项应为“放假”或“上班”，而不是“{match['kind']}”")
            continue
        try:
            start = _parse_date(match["start"])
            end = _parse_date(match["end"]) if match["end"] else start
        except ValueError:
            errors.append(f"{where}：日期不存在，请检查年月日")
            continue
        if end < start:
            errors.append(f"{where}：结束日期早于开始日期")
            continue
        if (end - start).days > 31:
            errors.append(f"{where}：一段日期不能超过一个月，请分行填写")
            continue
        name = (match["name"] or "").strip()
        day = start
        while day <= end:
            entries.append((day, kind.value, name))
            day += dt.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return entries


def holiday_lines_format(days: Sequence[DayRow]) -> str:
    """The inverse of :func:`holiday_lines_parse`, one line per day (to edit a saved year)."""
    words = {HolidayKind.OFF: "放假", HolidayKind.WORK: "上班"}
    return "\n".join(f"{r.date:%Y-%m-%d} {words[r.kind]} {r.name}".rstrip() for r in days)
