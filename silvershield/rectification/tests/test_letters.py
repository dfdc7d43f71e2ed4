"""三书一函: refused when the recipient does not exist or the reply deadline is not after the issue
date; late replies chased on the deadline clock (warning, 催办 every 3 working days, 督办)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from conftest import World
from silvershield.orgs.models import User
from silvershield.rectification import services
from silvershield.rectification.deadlines import rect_deadlines_run
from silvershield.rectification.models import Chase, ChaseKind, Letter, LetterKind, LetterState

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


def _kinds(letter: Letter) -> list[str]:
    return list(Chase.objects.filter(letter=letter).values_list("kind", flat=True))


def test_reply_deadline_must_come_after_the_issue_date(world: World, county_a_police: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(
            actor=county_a_police,
            kind=LetterKind.POLICE,
            number="吴公提〔2026〕9号",
            recipient=world.county_a_civil,
            problem="养老机构预收费监管存在漏洞",
            issued_on=dt.date(2026, 3, 2),
            reply_due_on=dt.date(2026, 3, 2),
        )
    assert exc.value.message_dict["reply_due_on"] == ["回复期限必须晚于制发日期"]
    assert not Letter.objects.exists()


def test_a_letter_to_a_unit_that_does_not_exist_is_refused(
    client: Client, world: World, county_a_police: User
) -> None:
    client.force_login(county_a_police)
    data = {
        "kind": LetterKind.POLICE,
        "number": "吴公提〔2026〕10号",
        "recipient": "999999",
        "problem": "养老机构预收费监管存在漏洞",
        "issued_on": "2026-03-02",
        "reply_due_on": "2026-03-01",
    }
    response = client.post("/rectification/letters/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "所选单位不存在或已停用" in body
    assert "吴公提〔2026〕10号" in body  # input kept
    assert not Letter.objects.exists()


def test_service_refuses_a_missing_recipient(world: World, county_a_police: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(
            actor=county_a_police,
            kind=LetterKind.POLICE,
            number="吴公提〔2026〕11号",
            recipient=None,
            problem="养老机构预收费监管存在漏洞",
            issued_on=dt.date(2026, 3, 2),
            reply_due_on=dt.date(2026, 3, 20),
        )
    assert "recipient" in exc.value.message_dict


@pytest.fixture
def november_letter(world: World, county_a_police: User) -> Letter:
    with time_machine.travel(_at(dt.date(2026, 11, 2), 9), tick=False):  # a Monday
        return services.letter_issue(
            actor=county_a_police,
            kind=LetterKind.POLICE,
            number="吴公提〔2026〕12号",
            recipient=world.county_a_civil,
            problem="养老机构预收费监管存在漏洞",
            issued_on=dt.date(2026, 11, 2),
            reply_due_on=dt.date(2026, 11, 16),
        )


def test_an_overdue_letter_is_chased(november_letter: Letter, world: World) -> None:
    letter = november_letter
    rect_deadlines_run(now=_at(dt.date(2026, 11, 10)))
    assert _kinds(letter) == []
    rect_deadlines_run(now=_at(dt.date(2026, 11, 14), 12))  # over 80% of the time gone
    rect_deadlines_run(now=_at(dt.date(2026, 11, 14), 18))
    assert _kinds(letter) == [ChaseKind.WARNING]
    # Overdue on Tuesday the 17th: the first 催办, once however often the job runs.
    rect_deadlines_run(now=_at(dt.date(2026, 11, 17)))
    rect_deadlines_run(now=_at(dt.date(2026, 11, 17), 16))
    assert _kinds(letter).count(ChaseKind.REMINDER) == 1
    reminder = Chase.objects.get(letter=letter, kind=ChaseKind.REMINDER)
    assert reminder.to_unit == world.county_a_civil
    assert reminder.by_unit == world.county_a_police
    rect_deadlines_run(now=_at(dt.date(2026, 11, 19)))  # two working days later: nothing new
    assert _kinds(letter).count(ChaseKind.REMINDER) == 1
    rect_deadlines_run(now=_at(dt.date(2026, 11, 20)))  # three working days later
    kinds = _kinds(letter)
    assert kinds.count(ChaseKind.REMINDER) == 2
    assert kinds.count(ChaseKind.SUPERVISION) == 1
    supervision = Chase.objects.get(letter=letter, kind=ChaseKind.SUPERVISION)
    assert supervision.by_unit == world.county_a_office
    letter.refresh_from_db()
    assert letter.reminder_count == 2


def test_the_responsible_handler_is_named(november_letter: Letter, county_a_civil: User) -> None:
    rect_deadlines_run(now=_at(dt.date(2026, 11, 17)))
    reminder = Chase.objects.get(letter=november_letter, kind=ChaseKind.REMINDER)
    assert reminder.responsible_name == "郑雅琴"


def test_a_replied_letter_is_not_chased(november_letter: Letter, county_a_civil: User) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 12)), tick=False):
        services.letter_reply(
            actor=county_a_civil, letter=november_letter, reply="已开展专项检查并建立资金监管制度"
        )
    rect_deadlines_run(now=_at(dt.date(2026, 11, 20)))
    assert _kinds(november_letter) == []


def test_reply_rectify_and_rule(
    letter: Letter, county_a_civil: User, county_a_police: User
) -> None:
    from silvershield.rectification.models import RuleKind

    with pytest.raises(ValidationError):  # rectification before a reply
        services.letter_record_rectification(
            actor=county_a_civil, letter=letter, rectification="已整改到位"
        )
    services.letter_reply(actor=county_a_civil, letter=letter, reply="已收悉，正在组织整改")
    services.letter_record_rectification(
        actor=county_a_civil, letter=letter, rectification="建立资金监管账户，退还超额预收费"
    )
    rule = services.rule_create(
        actor=county_a_civil,
        title="吴兴区养老机构预收费管理办法",
        kind=RuleKind.REGULATION,
        issued_on=letter.issued_on,
        letter=letter,
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.RECTIFIED
    assert rule.unit == county_a_civil.units[0]
    assert list(letter.rules.all()) == [rule]


def test_the_management_command_runs_the_job(november_letter: Letter) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 17)), tick=False):
        call_command("run_rectification_deadlines")
    assert _kinds(november_letter) == [ChaseKind.REMINDER]


def test_the_celery_task_runs_the_job(november_letter: Letter) -> None:
    from silvershield.rectification.tasks import rect_deadlines_run_task

    with time_machine.travel(_at(dt.date(2026, 11, 17)), tick=False):
        result = rect_deadlines_run_task.delay().get()
    assert result["reminders"] == 1
