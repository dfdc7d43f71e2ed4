"""Rectification tasks: no closure without evidence and the office's check (no 纸面整改);
staged goals for tasks that cannot finish in time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silvershield.orgs.models import User
from silvershield.rectification import services
from silvershield.rectification.models import Task, TaskState, end_of_day
from silvershield.rectification.tests.conftest import png_file

pytestmark = pytest.mark.django_db


def test_a_task_cannot_close_without_evidence(
    task: Task, county_a_civil: User, county_a_office: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.task_close(actor=county_a_civil, task=task)
    assert "没有整改佐证材料" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.task_submit(actor=county_a_civil, task=task, summary="已全部整改完毕")
    assert "佐证材料" in str(exc.value)
    services.task_progress_add(actor=county_a_civil, task=task, text="已完成排查，未附材料")
    with pytest.raises(ValidationError):
        services.task_submit(actor=county_a_civil, task=task, summary="已全部整改完毕")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_a_task_cannot_close_before_the_office_checks(
    task: Task, county_a_civil: User, county_a_office: User
) -> None:
    services.task_progress_add(
        actor=county_a_civil, task=task, text="资金监管账户已开立", files=[png_file()]
    )
    with pytest.raises(ValidationError) as exc:
        services.task_close(actor=county_a_civil, task=task)
    assert "核验" in str(exc.value)
    services.task_submit(actor=county_a_civil, task=task, summary="全部机构已开立监管账户")
    with pytest.raises(PermissionDenied):  # the lead unit cannot check its own work
        services.task_check(actor=county_a_civil, task=task, accept=True)
    with pytest.raises(ValidationError):
        services.task_close(actor=county_a_civil, task=task)
    services.task_check(actor=county_a_office, task=task, accept=True, note="抽查3家属实")
    services.task_close(actor=county_a_civil, task=task)
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    assert task.closed_at is not None


def test_a_failed_check_returns_the_task(
    task: Task, county_a_civil: User, county_a_office: User
) -> None:
    services.task_progress_add(
        actor=county_a_civil, task=task, text="已整改到位", files=[png_file()]
    )
    services.task_submit(actor=county_a_civil, task=task, summary="全部整改完毕")
    services.task_check(actor=county_a_office, task=task, accept=False, note="仍有2家未开立账户")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert task.checked_at is None


def test_co_operating_unit_reports_progress_but_another_unit_cannot(
    task: Task, county_a_police: User, county_b_office: User
) -> None:
    services.task_progress_add(actor=county_a_police, task=task, text="已配合排查涉诈线索")
    with pytest.raises(PermissionDenied):
        services.task_progress_add(actor=county_b_office, task=task, text="越权报送进展")


def test_staged_goals_move_the_clock(task: Task, county_a_civil: User) -> None:
    today = timezone.localdate()
    first, second = today + dt.timedelta(days=20), today + dt.timedelta(days=120)
    services.task_set_stage_goals(
        actor=county_a_civil,
        task=task,
        goals=[("完成一期整改", first), ("全面完成整改", second)],
        reason="涉及机构多，需分批整改",
    )
    task.refresh_from_db()
    assert task.due_on == second
    assert task.due_at == end_of_day(first)  # the clock runs on the first staged goal
    stage = task.milestones.get(title="完成一期整改")
    services.milestone_done(actor=county_a_civil, milestone=stage, note="一期完成")
    task.refresh_from_db()
    assert task.due_at == end_of_day(second)


def test_staged_goals_need_a_reason_and_goals(task: Task, county_a_civil: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.task_set_stage_goals(actor=county_a_civil, task=task, goals=[], reason="")
    assert set(exc.value.message_dict) == {"reason", "goals"}
    assert not task.milestones.exists()


def test_no_staged_goals_once_completion_is_reported(task: Task, county_a_civil: User) -> None:
    """A later deadline after the report would make a late task count as on time."""
    services.task_progress_add(
        actor=county_a_civil, task=task, text="已整改到位", files=[png_file()]
    )
    services.task_submit(actor=county_a_civil, task=task, summary="全部整改完毕")
    task.refresh_from_db()
    due_on = task.due_on
    with pytest.raises(ValidationError) as exc:
        services.task_set_stage_goals(
            actor=county_a_civil,
            task=task,
            goals=[("补充整改", due_on + dt.timedelta(days=90))],
            reason="需要更多时间",
        )
    assert "已报送完成" in str(exc.value)
    task.refresh_from_db()
    assert task.due_on == due_on and not task.milestones.exists()


def test_a_task_with_a_past_deadline_is_refused(county_a_office: User, world: object) -> None:
    from conftest import World
    from silvershield.rectification.models import TaskSource

    assert isinstance(world, World)
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            actor=county_a_office,
            title="过期任务",
            source=TaskSource.OTHER,
            lead_unit=world.county_a_civil,
            measures="这是一个已经过期的任务",
            responsible_name="某某",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "due_on" in exc.value.message_dict
    assert not Task.objects.exists()
