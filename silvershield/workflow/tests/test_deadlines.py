"""Deadlines run by themselves: warning at 80%, 催办 when overdue and every 3 working days,
督办 after 2 催办, seriously overdue after 10 working days; takeover and reassignment."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import World
from silvershield.core.workdays import add_working_days, calendar_now
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.workflow import deadlines, services
from silvershield.workflow.models import ChaseAction, ChaseKind, Transfer, TransferState

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


def _kinds(transfer: Transfer) -> list[str]:
    return list(ChaseAction.objects.filter(transfer=transfer).values_list("kind", flat=True))


@pytest.fixture
def transfer_on_monday(screened_tip: Tip, city_office: User, world: World) -> Transfer:
    with time_machine.travel(_at(dt.date(2026, 11, 2), 9), tick=False):  # a Monday, known calendar
        (t,) = services.tips_transfer(
            actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police, working_days=10
        )
    return t


def test_deadline_is_midnight_after_the_nth_working_day(transfer_on_monday: Transfer) -> None:
    # 10 working days after Mon 2 Nov 2026: 3,4,5,6, 9,10,11,12,13, 16 → ends 24:00 on 16 Nov.
    assert transfer_on_monday.due_at == dt.datetime(2026, 11, 17, 0, 0, tzinfo=SH)
    assert transfer_on_monday.due_provisional is False
    letter = transfer_on_monday.letter
    assert letter is not None and letter.deadline_text == "2026年11月16日24时前"


def test_the_chasing_schedule_over_simulated_days(
    transfer_on_monday: Transfer, county_a_police: User
) -> None:
    t = transfer_on_monday
    cal = calendar_now()
    # 70% of the time gone: nothing yet.
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 11), 12))
    assert _kinds(t) == []
    # 85%: a warning, once.
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 14), 12))
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 14), 18))
    assert _kinds(t) == [ChaseKind.WARNING]
    # Overdue on the 17th: first 催办; running again the same day adds nothing.
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 17)))
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 17), 16))
    assert _kinds(t).count(ChaseKind.REMINDER) == 1
    # Two working days later: still one reminder.
    two_later, _ = add_working_days(dt.date(2026, 11, 17), 2, cal)
    deadlines.deadlines_run(now=_at(two_later))
    assert _kinds(t).count(ChaseKind.REMINDER) == 1
    # Three working days after the first reminder: the second, and with it the 督办 from above.
    three_later, _ = add_working_days(dt.date(2026, 11, 17), 3, cal)
    deadlines.deadlines_run(now=_at(three_later))
    kinds = _kinds(t)
    assert kinds.count(ChaseKind.REMINDER) == 2
    assert kinds.count(ChaseKind.SUPERVISION) == 1
    assert ChaseKind.SERIOUS not in kinds
    # More than 10 working days overdue: seriously overdue (flagged once).
    eleven_over, _ = add_working_days(dt.date(2026, 11, 16), 11, cal)
    deadlines.deadlines_run(now=_at(eleven_over))
    deadlines.deadlines_run(now=_at(eleven_over, 15))
    assert _kinds(t).count(ChaseKind.SERIOUS) == 1
    refreshed = Transfer.objects.get(pk=t.pk)
    assert refreshed.reminder_count >= 3
    assert refreshed.seriously_overdue_at is not None
    late = deadlines.chronically_late(transfers=Transfer.objects.all())
    assert [x.pk for x in late] == [t.pk]
    # the accountability list names the unit and, before signing, says nobody signed
    first_reminder = ChaseAction.objects.filter(transfer=t, kind=ChaseKind.REMINDER).first()
    assert first_reminder is not None
    assert first_reminder.responsible_name == "周海峰（未签收）"  # the lead unit's handler


def test_policy_values_come_from_the_campaign(
    screened_tip: Tip, city_office: User, world: World
) -> None:
    from silvershield.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        name="测试专项",
        code="t",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 1, 1),
        transfer_working_days=5,
        reminders_before_supervision=1,
    )
    Tip.objects.filter(pk=screened_tip.pk).update(campaign=campaign)
    screened_tip.refresh_from_db()
    with time_machine.travel(_at(dt.date(2026, 11, 2), 9), tick=False):
        (t,) = services.tips_transfer(
            actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police
        )
    assert t.working_days == 5
    assert t.due_at == dt.datetime(2026, 11, 10, 0, 0, tzinfo=SH)
    deadlines.deadlines_run(now=_at(dt.date(2026, 11, 10)))
    assert _kinds(t).count(ChaseKind.SUPERVISION) == 1  # after a single reminder, per this campaign


def test_beyond_the_known_calendar_deadlines_are_provisional(
    screened_tip: Tip, city_office: User, world: World
) -> None:
    with time_machine.travel(_at(dt.date(2026, 12, 24), 9), tick=False):
        (t,) = services.tips_transfer(
            actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police, working_days=15
        )
    assert t.due_provisional is True
    assert t.due_at.astimezone(SH).year == 2027
    assert t.letter is not None and "可能调整" in t.letter.deadline_text


def test_an_earlier_deadline_from_above_wins(
    screened_tip: Tip, city_office: User, world: World
) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 2), 9), tick=False):
        absolute = dt.datetime(2026, 11, 6, 0, 0, tzinfo=SH)
        (t,) = services.tips_transfer(
            actor=city_office,
            tips=[screened_tip],
            lead_unit=world.county_a_police,
            working_days=15,
            absolute_due_at=absolute,
        )
    assert t.due_at == absolute


def test_extension_granted_moves_the_deadline(
    transfer_on_monday: Transfer, county_a_police: User, city_office: User
) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 10)), tick=False):
        services.transfer_sign(actor=county_a_police, transfer=transfer_on_monday)
        request = deadlines.extension_request(
            actor=county_a_police,
            transfer=Transfer.objects.get(pk=transfer_on_monday.pk),
            extra_working_days=5,
            reason="需调取银行流水",
        )
        with pytest.raises(ValidationError):
            deadlines.extension_request(
                actor=county_a_police,
                transfer=transfer_on_monday,
                extra_working_days=5,
                reason="再来一次",
            )
        deadlines.extension_decide(actor=city_office, request=request, grant=True)
    t = Transfer.objects.get(pk=transfer_on_monday.pk)
    # five more working days after 16 Nov: 17,18,19,20,23 → 24:00 on 23 Nov
    assert t.due_at == dt.datetime(2026, 11, 24, 0, 0, tzinfo=SH)


def test_refused_extension_needs_a_reason(
    transfer_on_monday: Transfer, county_a_police: User, city_office: User
) -> None:
    request = deadlines.extension_request(
        actor=county_a_police, transfer=transfer_on_monday, extra_working_days=3, reason="人手不足"
    )
    with pytest.raises(ValidationError) as exc:
        deadlines.extension_decide(actor=city_office, request=request, grant=False)
    assert "note" in exc.value.message_dict
    deadlines.extension_decide(
        actor=city_office, request=request, grant=False, note="时限内可以完成"
    )
    assert Transfer.objects.get(pk=transfer_on_monday.pk).due_at == transfer_on_monday.due_at


def test_takeover_only_once_overdue_and_by_the_office_above(
    transfer_on_monday: Transfer, city_office: User, county_a_office: User
) -> None:
    with (
        time_machine.travel(_at(dt.date(2026, 11, 12)), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        deadlines.transfer_take_over(
            actor=city_office, transfer=transfer_on_monday, note="久拖不办"
        )
    assert "尚未超期" in " ".join(exc.value.messages)
    with time_machine.travel(_at(dt.date(2026, 11, 20)), tick=False):
        takeover = deadlines.transfer_take_over(
            actor=city_office, transfer=transfer_on_monday, note="逾期未签收，市级兜底"
        )
    assert Transfer.objects.get(pk=transfer_on_monday.pk).state == TransferState.WITHDRAWN
    assert takeover.lead_unit == transfer_on_monday.from_unit
    assert takeover.state == TransferState.SIGNED
    assert Tip.objects.get(pk=transfer_on_monday.tip_id).state == TipState.VERIFYING
    assert ChaseAction.objects.filter(transfer=transfer_on_monday, kind=ChaseKind.TAKEOVER).exists()


def test_reassignment_of_an_overdue_item(
    transfer_on_monday: Transfer, city_office: User, world: World
) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 20)), tick=False):
        new = deadlines.transfer_reassign(
            actor=city_office,
            transfer=transfer_on_monday,
            to_unit=world.county_a_civil,
            note="公安未签收，改由民政核查",
        )
    assert new.lead_unit == world.county_a_civil
    assert Transfer.objects.get(pk=transfer_on_monday.pk).state == TransferState.WITHDRAWN
    assert Tip.objects.get(pk=transfer_on_monday.tip_id).state == TipState.TRANSFERRED


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_runs_the_deadline_job(
    celery_queue: str, screened_tip: Tip, city_office: User, world: World
) -> None:
    from silvershield.workflow.tasks import deadlines_run_task

    (t,) = services.tips_transfer(
        actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police, working_days=1
    )
    Transfer.objects.filter(pk=t.pk).update(
        created_at=t.created_at - dt.timedelta(days=30), due_at=t.created_at - dt.timedelta(days=20)
    )
    result = deadlines_run_task.apply_async(queue=celery_queue, ignore_result=False)
    counts = result.get(timeout=90)
    assert counts["reminders"] == 1
    assert ChaseAction.objects.filter(transfer=t, kind=ChaseKind.REMINDER).count() == 1


def test_entering_next_years_holidays_makes_provisional_deadlines_definite(
    screened_tip: Tip,
    city_office: User,
    world: World,
    sysadmin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from silvershield.core.holidays import holiday_year_save

    with time_machine.travel(_at(dt.date(2026, 12, 24), 9), tick=False):
        (t,) = services.tips_transfer(
            actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police, working_days=15
        )
    assert t.due_provisional
    assert t.due_at == dt.datetime(2027, 1, 15, 0, 0, tzinfo=SH)  # Mon–Fri counting, 1 Jan counted
    with (
        time_machine.travel(_at(dt.date(2026, 12, 28), 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        holiday_year_save(
            actor=sysadmin,
            year=2027,
            days=[(dt.date(2027, 1, 1), "off", "元旦")],
            published_on=dt.date(2026, 11, 1),
            source="国务院办公厅通知",
        )
    t.refresh_from_db()
    assert t.due_provisional is False
    assert t.due_at == dt.datetime(2027, 1, 16, 0, 0, tzinfo=SH)


def test_an_extension_never_passes_the_limit_set_from_above(
    screened_tip: Tip, city_office: User, county_a_police: User, world: World
) -> None:
    with time_machine.travel(_at(dt.date(2026, 11, 2), 9), tick=False):
        absolute = dt.datetime(2026, 11, 13, 0, 0, tzinfo=SH)
        (t,) = services.tips_transfer(
            actor=city_office,
            tips=[screened_tip],
            lead_unit=world.county_a_police,
            working_days=8,
            absolute_due_at=absolute,
        )
        request = deadlines.extension_request(
            actor=county_a_police, transfer=t, extra_working_days=10, reason="需要调取银行流水"
        )
        with pytest.raises(ValidationError) as exc:
            deadlines.extension_decide(actor=city_office, request=request, grant=True)
    assert "上级规定的办理时限" in " ".join(exc.value.messages)
    assert Transfer.objects.get(pk=t.pk).due_at == t.due_at


def test_a_retransferred_item_is_not_reassigned_around_its_parent(
    signed: Transfer, city_office: User, county_a_police: User, world: World
) -> None:
    from silvershield.orgs.models import Sector, Unit, UnitKind

    station = Unit.objects.create(
        name="织里派出所", kind=UnitKind.MEMBER, sector=Sector.POLICE, region=world.town_a
    )
    child = services.transfer_retransfer(actor=county_a_police, transfer=signed, to_unit=station)
    Transfer.objects.filter(pk=child.pk).update(due_at=child.created_at - dt.timedelta(days=1))
    child.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        deadlines.transfer_reassign(
            actor=city_office, transfer=child, to_unit=world.county_a_civil, note="派出所逾期"
        )
    assert "下转事项" in " ".join(exc.value.messages)
    assert Transfer.objects.get(pk=child.pk).state == TransferState.PENDING
