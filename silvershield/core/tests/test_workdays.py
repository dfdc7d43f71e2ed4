"""Deadline arithmetic on the working-day calendar (pure: no database).

Expected dates are hand-checked against the State Council's 2026 arrangement as shipped by
chinese-calendar: 国庆节 10-01 (Thu)–10-07 (Wed) off with Sunday 09-20 and Saturday 10-10 worked;
中秋 09-25 (Fri)–09-27 off; 清明 04-04 (Sat)–04-06 off; 春节 02-15 (Sun)–02-23 off with Saturdays
02-14 and 02-28 worked; 元旦 01-01–01-03 off with Sunday 01-04 worked.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from silvershield.core.workdays import (
    SHANGHAI,
    Calendar,
    DeadlineSource,
    YearArrangement,
    add_working_days,
    build_calendar,
    builtin_arrangements,
    deadline_for,
    elapsed_fraction,
    working_days_between,
)

D = dt.date


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Beijing-time instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def builtin() -> Calendar:
    return build_calendar(builtin_arrangements().values())


@pytest.fixture(scope="module")
def with_2027() -> Calendar:
    """The built-in years plus 2027 as an administrator would enter it (元旦 01-01–01-03 off)."""
    year_2027 = YearArrangement(
        year=2027,
        off_days={D(2027, 1, 1): "元旦", D(2027, 1, 2): "元旦", D(2027, 1, 3): "元旦"},
        work_days={},
    )
    return build_calendar([*builtin_arrangements().values(), year_2027])


def test_builtin_years_are_2004_to_2026(builtin: Calendar) -> None:
    assert min(builtin.known_years) == 2004
    assert max(builtin.known_years) == 2026
    assert builtin.known_years == frozenset(range(2004, 2027))
    assert builtin.is_known(D(2026, 12, 31))
    assert not builtin.is_known(D(2027, 1, 1))


def test_builtin_2026_national_day(builtin: Calendar) -> None:
    assert [d.day for d in _days(D(2026, 9, 30), D(2026, 10, 12)) if builtin.is_working_day(d)] == [
        30,
        8,
        9,
        10,  # Saturday make-up day
        12,
    ]
    assert builtin.is_working_day(D(2026, 9, 20))  # Sunday make-up day
    assert not builtin.is_working_day(D(2026, 10, 11))  # an ordinary Sunday


def test_builtin_calendar_agrees_with_chinese_calendar_on_every_day(builtin: Calendar) -> None:
    disagreements = [
        d
        for d in _days(D(2004, 1, 1), D(2026, 12, 31))
        if builtin.is_working_day(d) != chinese_calendar.is_workday(d)
    ]
    assert disagreements == []


def test_transfer_just_before_national_day(builtin: Calendar) -> None:
    # Wed 09-30; 10-01..07 off; Thu 08 (1), Fri 09 (2), Sat 10 worked (3), Mon 12 (4), Tue 13 (5).
    deadline = deadline_for(at(2026, 9, 30, 10), 5, builtin)
    assert deadline.due_at == at(2026, 10, 14)
    assert not deadline.provisional
    assert deadline.source == DeadlineSource.WORKING_DAYS


def test_the_transfer_day_is_the_beijing_date(builtin: Calendar) -> None:
    # 16:30 UTC on Thu 10-08 is 00:30 on Fri 10-09 in Beijing: the next working day is the
    # Saturday make-up day 10-10 (counting from the UTC date would give Fri 10-09).
    transferred_at = dt.datetime(2026, 10, 8, 16, 30, tzinfo=dt.UTC)
    assert deadline_for(transferred_at, 1, builtin).due_at == at(2026, 10, 11)
    # 15:30 UTC is still 23:30 on 10-08 in Beijing.
    assert deadline_for(transferred_at.replace(hour=15), 1, builtin).due_at == at(2026, 10, 10)


def test_transfer_on_a_holiday(builtin: Calendar) -> None:
    # Transferred on 10-01 itself: the first working day is Thu 10-08.
    assert deadline_for(at(2026, 10, 1, 9), 1, builtin).due_at == at(2026, 10, 9)


def test_due_at_is_24_00_beijing_time(builtin: Calendar) -> None:
    due = deadline_for(at(2026, 9, 30, 23, 59), 5, builtin).due_at
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 10, 13, 16, 0, tzinfo=dt.UTC)


def test_friday_before_tomb_sweeping_day(builtin: Calendar) -> None:
    # Fri 04-03; Sat 04..Mon 06 off; Tue 07 (1), Wed 08 (2), Thu 09 (3).
    assert add_working_days(D(2026, 4, 3), 3, builtin) == (D(2026, 4, 9), False)
    assert deadline_for(at(2026, 4, 3, 17, 30), 3, builtin).due_at == at(2026, 4, 10)


def test_friday_before_spring_festival_counts_both_make_up_saturdays(builtin: Calendar) -> None:
    # Fri 02-13; Sat 14 worked (1); 15..23 off; Tue 24 (2) .. Fri 27 (5); Sat 28 worked (6).
    assert add_working_days(D(2026, 2, 13), 1, builtin) == (D(2026, 2, 14), False)
    assert add_working_days(D(2026, 2, 13), 2, builtin) == (D(2026, 2, 24), False)
    assert add_working_days(D(2026, 2, 13), 5, builtin) == (D(2026, 2, 27), False)
    assert add_working_days(D(2026, 2, 13), 6, builtin) == (D(2026, 2, 28), False)
    assert add_working_days(D(2026, 2, 13), 7, builtin) == (D(2026, 3, 2), False)


def test_friday_before_a_sunday_make_up_day(builtin: Calendar) -> None:
    # Fri 09-18; Sat 19 off; Sun 20 worked (1); Mon 21 (2); Tue 22 (3).
    assert deadline_for(at(2026, 9, 18, 16), 3, builtin).due_at == at(2026, 9, 23)


def test_zero_working_days_ends_with_the_transfer_day(builtin: Calendar) -> None:
    assert add_working_days(D(2026, 10, 1), 0, builtin) == (D(2026, 10, 1), False)
    assert deadline_for(at(2026, 10, 1, 9), 0, builtin).due_at == at(2026, 10, 2)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 10, 1), -1, builtin)


def test_across_the_end_of_the_known_calendar_is_provisional(builtin: Calendar) -> None:
    # Thu 12-24: Fri 25 (1), Mon 28..Thu 31 (2..5), Fri 2027-01-01 counted (6) since 2027 is
    # unknown, Mon 04..Fri 08 (7..11), Mon 11..Thu 14 (12..15).
    assert add_working_days(D(2026, 12, 24), 15, builtin) == (D(2027, 1, 14), True)
    deadline = deadline_for(at(2026, 12, 24, 10), 15, builtin)
    assert deadline.due_at == at(2027, 1, 15)
    assert deadline.provisional
    # Ending on the last known day is not provisional; one more day is.
    assert add_working_days(D(2026, 12, 24), 5, builtin) == (D(2026, 12, 31), False)
    assert add_working_days(D(2026, 12, 24), 6, builtin) == (D(2027, 1, 1), True)


def test_entering_2027_moves_the_deadline_and_confirms_it(with_2027: Calendar) -> None:
    # 2027-01-01 is now a day off: the 15th working day is Fri 01-15.
    deadline = deadline_for(at(2026, 12, 24, 10), 15, with_2027)
    assert deadline.due_at == at(2027, 1, 16)
    assert not deadline.provisional


def test_an_unknown_year_counts_monday_to_friday() -> None:
    empty = Calendar(known_years=frozenset())
    # Fri 2030-05-31 + 5: Mon 06-03 .. Fri 06-07, nothing known.
    assert add_working_days(D(2030, 5, 31), 5, empty) == (D(2030, 6, 7), True)
    assert working_days_between(D(2030, 5, 31), D(2030, 6, 9), empty) == 5


def test_a_known_year_without_special_days_is_not_provisional() -> None:
    plain = Calendar(known_years=frozenset({2030}))
    assert add_working_days(D(2030, 5, 31), 5, plain) == (D(2030, 6, 7), False)


def test_absolute_deadline_wins_when_earlier(builtin: Calendar) -> None:
    absolute = at(2026, 10, 10, 18)
    deadline = deadline_for(at(2026, 9, 30, 10), 5, builtin, absolute=absolute)
    assert deadline.due_at == absolute
    assert deadline.source == DeadlineSource.ABSOLUTE
    assert not deadline.provisional


def test_absolute_deadline_in_utc_is_returned_in_beijing_time(builtin: Calendar) -> None:
    absolute = dt.datetime(2026, 10, 10, 10, 0, tzinfo=dt.UTC)
    deadline = deadline_for(at(2026, 9, 30, 10), 5, builtin, absolute=absolute)
    assert deadline.due_at == absolute
    assert deadline.due_at.utcoffset() == dt.timedelta(hours=8)


def test_later_absolute_deadline_does_not_extend_the_working_days(builtin: Calendar) -> None:
    deadline = deadline_for(at(2026, 9, 30, 10), 5, builtin, absolute=at(2026, 10, 20))
    assert deadline.due_at == at(2026, 10, 14)
    assert deadline.source == DeadlineSource.WORKING_DAYS


def test_absolute_deadline_equal_to_working_days_wins(builtin: Calendar) -> None:
    deadline = deadline_for(at(2026, 9, 30, 10), 5, builtin, absolute=at(2026, 10, 14))
    assert deadline.source == DeadlineSource.ABSOLUTE


def test_absolute_deadline_beyond_the_known_calendar(builtin: Calendar) -> None:
    # Provisional working-day deadline 2027-01-15 00:00. Had every unknown day been worked
    # (make-up days could only make it earlier), the 15th day would be Sun 2027-01-10.
    well_before = deadline_for(at(2026, 12, 24, 10), 15, builtin, absolute=at(2027, 1, 8, 12))
    assert well_before.source == DeadlineSource.ABSOLUTE
    assert not well_before.provisional
    close_call = deadline_for(at(2026, 12, 24, 10), 15, builtin, absolute=at(2027, 1, 14, 12))
    assert close_call.source == DeadlineSource.ABSOLUTE
    assert close_call.provisional


def test_naive_datetimes_are_refused(builtin: Calendar) -> None:
    with pytest.raises(ValueError, match="aware"):
        deadline_for(dt.datetime(2026, 9, 30, 10), 5, builtin)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        deadline_for(at(2026, 9, 30), 5, builtin, absolute=dt.datetime(2026, 10, 1))  # noqa: DTZ001


def test_working_days_between(builtin: Calendar) -> None:
    # After Wed 09-30 through Tue 10-13: 08, 09, Sat 10, 12, 13.
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13), builtin) == 5
    # Overdue: last day Tue 10-13, on Fri 10-16 three working days late.
    assert working_days_between(D(2026, 10, 13), D(2026, 10, 16), builtin) == 3
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7), builtin) == 0
    assert working_days_between(D(2026, 10, 13), D(2026, 10, 13), builtin) == 0
    assert working_days_between(D(2026, 10, 16), D(2026, 10, 13), builtin) == 0
    # Into the unknown year: Fri 2027-01-01 counts.
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 1), builtin) == 1


def test_working_days_between_is_the_inverse_of_add_working_days(
    builtin: Calendar, with_2027: Calendar
) -> None:
    for cal in (builtin, with_2027):
        for start in _days(D(2026, 1, 1), D(2027, 1, 31)):
            for n in (1, 2, 3, 5, 10, 15):
                end, _ = add_working_days(start, n, cal)
                assert working_days_between(start, end, cal) == n, (start, n)
                assert working_days_between(start, end - dt.timedelta(days=1), cal) == n - 1


def test_working_days_between_matches_counting_day_by_day(builtin: Calendar) -> None:
    start = D(2025, 12, 20)
    for end in _days(start, D(2027, 1, 10)):
        expected = sum(builtin.is_working_day(d) for d in _days(start, end)[1:])
        assert working_days_between(start, end, builtin) == expected, end


def test_elapsed_fraction() -> None:
    start, due = at(2026, 10, 1), at(2026, 10, 11)
    assert elapsed_fraction(start, due, at(2026, 10, 9)) == pytest.approx(0.8)
    assert elapsed_fraction(start, due, at(2026, 10, 8, 23)) < 0.8
    assert elapsed_fraction(start, due, at(2026, 9, 30)) == 0.0
    assert elapsed_fraction(start, due, at(2026, 10, 16)) == pytest.approx(1.5)
    assert elapsed_fraction(due, due, due) == 1.0
    assert elapsed_fraction(due, start, at(2026, 9, 30)) == 0.0


def test_calendar_refuses_inconsistent_days() -> None:
    with pytest.raises(ValueError, match="outside the known years"):
        Calendar(known_years=frozenset({2026}), off_days=frozenset({D(2027, 1, 1)}))
    with pytest.raises(ValueError, match="both off and working"):
        Calendar(
            known_years=frozenset({2027}),
            off_days=frozenset({D(2027, 2, 6)}),
            work_days=frozenset({D(2027, 2, 6)}),
        )


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
