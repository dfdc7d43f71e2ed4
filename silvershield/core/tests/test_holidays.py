"""The holiday table: entering a year, its validation, its page, and the calendar in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silvershield.core.holidays import (
    holiday_lines_parse,
    holiday_table_changed,
    holiday_year_delete,
    holiday_year_save,
)
from silvershield.core.models import AuditEvent, HolidayDay, HolidayKind, HolidayYear
from silvershield.core.workdays import SHANGHAI, calendar_invalidate, calendar_now, deadline_for
from silvershield.orgs.models import User

D = dt.date
OFF = HolidayKind.OFF.value
WORK = HolidayKind.WORK.value
# 2027 as an administrator might enter it before the real notice (only New Year's Day matters
# for the tests below; 02-06 is a Saturday, 02-08 a Monday).
DAYS_2027 = [
    (D(2027, 1, 1), OFF, "元旦"),
    (D(2027, 1, 2), OFF, "元旦"),
    (D(2027, 1, 3), OFF, "元旦"),
    (D(2027, 2, 6), WORK, "春节调休"),
]
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    """The calendar cache outlives each test's rolled-back transaction: start and end clean."""
    calendar_invalidate()
    yield
    calendar_invalidate()


def published() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=20)


def save_2027(actor: User, days: list[tuple[dt.date, str, str]] = DAYS_2027) -> HolidayYear:
    return holiday_year_save(
        actor=actor, year=2027, days=days, published_on=published(), source="国办发明电〔2026〕7号"
    )


def at(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def test_entering_2027_confirms_and_moves_a_provisional_deadline(
    sysadmin: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    before = deadline_for(at(2026, 12, 24, 10), 15, calendar_now())
    assert (before.due_at, before.provisional) == (at(2027, 1, 15), True)

    with django_capture_on_commit_callbacks(execute=True):
        save_2027(sysadmin)

    after = deadline_for(at(2026, 12, 24, 10), 15, calendar_now())
    assert (after.due_at, after.provisional) == (at(2027, 1, 16), False)
    assert calendar_now().is_working_day(D(2027, 2, 6))  # the Saturday make-up day


def test_saving_records_the_year_its_days_and_an_audit_event(sysadmin: User) -> None:
    holiday_year = save_2027(sysadmin)
    assert holiday_year.entered_by == "sysadmin"
    assert holiday_year.source == "国办发明电〔2026〕7号"
    assert list(holiday_year.days.values_list("date", "kind", "name")) == DAYS_2027
    event = AuditEvent.objects.get(action="holiday_year.created")
    assert event.object_id == str(holiday_year.pk)
    assert event.actor_name == "sysadmin"
    assert event.summary == "录入 2027 年节假日安排：放假 3 天，调休上班 1 天"


def test_saving_again_replaces_the_days(sysadmin: User) -> None:
    save_2027(sysadmin)
    save_2027(sysadmin, days=[(D(2027, 1, 1), OFF, "元旦")])
    assert HolidayYear.objects.count() == 1
    assert list(HolidayDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert AuditEvent.objects.filter(action="holiday_year.replaced").count() == 1


def test_a_year_without_special_days_is_known(
    sysadmin: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        holiday_year_save(actor=sysadmin, year=2028, days=[], published_on=published(), source="")
    assert calendar_now().is_known(D(2028, 6, 1))


def test_the_table_wins_over_the_built_in_data(
    sysadmin: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    assert not calendar_now().is_working_day(D(2026, 10, 7))
    with django_capture_on_commit_callbacks(execute=True):
        holiday_year_save(
            actor=sysadmin,
            year=2026,
            days=[(D(2026, 10, 1), OFF, "国庆节")],
            published_on=published(),
            source="更正",
        )
    calendar = calendar_now()
    assert calendar.is_working_day(D(2026, 10, 7))
    assert not calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 10, 10))  # no longer a make-up day


def test_deleting_a_year_makes_it_unknown_again(
    sysadmin: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        save_2027(sysadmin)
    assert calendar_now().is_known(D(2027, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        holiday_year_delete(actor=sysadmin, year=2027)
    assert not calendar_now().is_known(D(2027, 1, 1))
    assert not HolidayDay.objects.exists()
    assert AuditEvent.objects.get(action="holiday_year.deleted").summary == (
        "删除 2027 年节假日安排（4 个特殊日期）"
    )
    with pytest.raises(ValidationError) as exc:
        holiday_year_delete(actor=sysadmin, year=2027)
    assert exc.value.message_dict == {"year": ["表中没有 2027 年的节假日安排"]}


def test_the_change_is_announced_after_commit_only(
    sysadmin: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    heard: list[int] = []

    def receiver(sender: object, year: int, **kwargs: object) -> None:
        heard.append(year)

    holiday_table_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            save_2027(sysadmin)
        assert heard == []
        for callback in callbacks:
            callback()
        assert heard == [2027]
    finally:
        holiday_table_changed.disconnect(receiver)


def test_the_calendar_is_cached_until_the_table_changes(
    sysadmin: User,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    first = calendar_now()
    with django_assert_num_queries(0):
        assert calendar_now() is first
    with django_capture_on_commit_callbacks(execute=True):
        save_2027(sysadmin)
    assert calendar_now() is not first


def test_validation_names_each_bad_day(sysadmin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        save_2027(
            sysadmin,
            days=[
                (D(2027, 1, 1), OFF, "元旦"),
                (D(2027, 1, 1), OFF, "元旦"),
                (D(2028, 1, 1), OFF, "元旦"),
                (D(2027, 2, 8), WORK, "春节调休"),
                (D(2027, 1, 2), OFF, "元旦"),  # a Saturday off: allowed
                (D(2027, 2, 6), WORK, "春节调休"),  # a Saturday worked: allowed
            ],
        )
    assert exc.value.message_dict == {
        "days": [
            "2027-01-01（星期五）重复出现，每个日期只能写一行",
            "2028-01-01（星期六）不在 2027 年内",
            "2027-02-08（星期一）本来就是工作日，调休上班日只能是星期六或星期日",
        ]
    }
    assert not HolidayYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="holiday_year").exists()


def test_validation_of_year_and_publication_date(sysadmin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        holiday_year_save(
            actor=sysadmin,
            year=1999,
            days=[],
            published_on=timezone.localdate() + dt.timedelta(days=1),
            source="",
        )
    assert exc.value.message_dict == {
        "year": ["年份应在 2000–2100 之间"],
        "published_on": ["发布日期不能晚于今天"],
    }


def test_only_holders_of_campaign_manage_may_enter_a_year(city_office: User) -> None:
    with pytest.raises(PermissionDenied):
        save_2027(city_office)
    with pytest.raises(PermissionDenied):
        holiday_year_delete(actor=city_office, year=2027)
    assert not HolidayYear.objects.exists()


def test_lines_are_parsed_with_ranges_and_chinese_dates() -> None:
    text = (
        "# 2027 年安排\n"
        "2027-01-01 放假 元旦\n"
        "\n"
        "2027-10-01~2027-10-03 放假 国庆节\n"
        "2027年2月6日\u3000上班\u3000春节调休\n"
        "2027/5/1 休\n"
    )
    assert holiday_lines_parse(text) == [
        (D(2027, 1, 1), OFF, "元旦"),
        (D(2027, 10, 1), OFF, "国庆节"),
        (D(2027, 10, 2), OFF, "国庆节"),
        (D(2027, 10, 3), OFF, "国庆节"),
        (D(2027, 2, 6), WORK, "春节调休"),
        (D(2027, 5, 1), OFF, ""),
    ]


def test_bad_lines_each_get_a_message() -> None:
    text = "2027-01-01 放假 元旦\n2027-02-30 放假 春节\n元旦 2027-01-01\n2027-02-06 加班 春节\n"
    with pytest.raises(ValidationError) as exc:
        holiday_lines_parse(text)
    assert exc.value.messages == [
        "第 2 行“2027-02-30 放假 春节”：日期不存在，请检查年月日",
        "第 3 行“元旦 2027-01-01”：格式不对，应写作“2027-01-01 放假 元旦”",
        "第 4 行“2027-02-06 加班 春节”：第二项应为“放假”或“上班”，而不是“加班”",
    ]


def test_page_requires_campaign_manage(city_office: User, client: Client) -> None:
    client.force_login(city_office)
    assert client.get(reverse("core:calendar_list")).status_code == 403
    assert client.get(reverse("core:calendar_edit")).status_code == 403
    assert client.get(reverse("core:calendar_year", args=[2026])).status_code == 403
    response = client.post(reverse("core:calendar_delete", args=[2026]))
    assert response.status_code == 403


def test_page_redirects_anonymous_visitors_to_login(client: Client, db: None) -> None:
    response = client.get(reverse("core:calendar_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_page_lists_built_in_and_entered_years(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    page = client.get(reverse("core:calendar_list")).content.decode()
    assert "2026" in page
    assert "内置（只读）" in page
    save_2027(sysadmin)
    page = client.get(reverse("core:calendar_list")).content.decode()
    assert "管理员录入" in page
    assert f"{reverse('core:calendar_edit')}?year=2027" in page


def test_list_page_queries_do_not_grow_with_the_years(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    save_2027(sysadmin)
    client.get(reverse("core:calendar_list"))  # warm the session
    with CaptureQueriesContext(connection) as one_year:
        client.get(reverse("core:calendar_list"))
    for year in (2028, 2029, 2030):
        holiday_year_save(actor=sysadmin, year=year, days=[], published_on=published(), source="")
    with CaptureQueriesContext(connection) as four_years:
        response = client.get(reverse("core:calendar_list"))
    assert "2030" in response.content.decode()
    assert len(four_years) == len(one_year)


def test_year_page_shows_built_in_days_read_only(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    page = client.get(reverse("core:calendar_year", args=[2026])).content.decode()
    assert "2026-10-10" in page
    assert "调休上班" in page
    assert "删除本年安排" not in page
    assert client.get(reverse("core:calendar_year", args=[2031])).status_code == 404


def test_form_shows_each_bad_line_and_keeps_what_was_typed(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    typed = "2027-01-01 放假 元旦\n2027-13-01 放假 元旦"
    response = client.post(
        reverse("core:calendar_edit"),
        {"year": "2027", "published_on": published().isoformat(), "source": "", "days": typed},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行“2027-13-01 放假 元旦”：日期不存在，请检查年月日" in page
    assert "2027-01-01 放假 元旦\n2027-13-01 放假 元旦</textarea>" in page
    assert not HolidayYear.objects.exists()


def test_form_shows_the_service_errors_on_the_days_field(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    response = client.post(
        reverse("core:calendar_edit"),
        {
            "year": "2027",
            "published_on": published().isoformat(),
            "source": "",
            "days": "2027-02-08 上班 春节调休",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["days"] == ["2027-02-08（星期一）本来就是工作日，调休上班日只能是星期六或星期日"]


def test_form_saves_a_year(
    sysadmin: User, client: Client, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    client.force_login(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:calendar_edit"),
            {
                "year": "2027",
                "published_on": published().isoformat(),
                "source": "国办发明电〔2026〕7号",
                "days": "2027-01-01~2027-01-03 放假 元旦\n2027-02-06 上班 春节调休",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:calendar_year", args=[2027])
    assert HolidayDay.objects.count() == 4
    assert not calendar_now().is_working_day(D(2027, 1, 1))
    # The edit form is pre-filled with what was saved, one line per day.
    edit = client.get(reverse("core:calendar_edit") + "?year=2027").content.decode()
    assert "2027-01-03 放假 元旦\n2027-02-06 上班 春节调休</textarea>" in edit


def test_form_deletes_a_year(sysadmin: User, client: Client) -> None:
    client.force_login(sysadmin)
    save_2027(sysadmin)
    response = client.post(reverse("core:calendar_delete", args=[2027]))
    assert response.status_code == 302
    assert not HolidayYear.objects.exists()
