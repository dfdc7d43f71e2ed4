"""Rectification tasks (整改台账): progress with evidence, milestones and staged goals, submit,
the office's check, 销号; evidence download."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from silvershield.api.auth import actor_of
from silvershield.api.routers.rectification.shared import (
    MANAGE,
    TASK_FIELDS,
    VIEW,
    active_unit,
    checked_uploads,
    events_of,
    ledger_filters,
    ledger_page,
    no_store,
    visible_hazard,
    visible_letter,
)
from silvershield.api.routers.workflow import api_fields
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId
from silvershield.api.schemas.rectification import (
    MilestoneDoneIn,
    MilestoneOut,
    ProgressOut,
    RectChaseOut,
    StageGoalsIn,
    TaskCheckIn,
    TaskCloseIn,
    TaskCreateIn,
    TaskDetail,
    TaskFiltersIn,
    TaskOut,
    TaskPage,
    TaskProgressIn,
    TaskSubmitIn,
)
from silvershield.core.access import require
from silvershield.orgs.models import User
from silvershield.rectification import deadlines, selectors, services
from silvershield.rectification.models import Milestone, Task

router = Router(tags=["整治"])


def _task(user: User, task_id: int) -> Task:
    require(user, VIEW)
    return selectors.access_task(user=user, pk=task_id)


def _task_out(user: User, task_id: int) -> TaskOut:
    task = _task(user, task_id)
    return TaskOut.of(task)


def _may_work(user: User, task: Task) -> bool:
    """The caller may report progress (as the task page decides its progress form)."""
    try:
        services._task_worker(user, task)
    except PermissionDenied:
        return False
    return True


@router.get(
    "/rectification/tasks",
    response={200: TaskPage, **WRITE_ERRORS},
    operation_id="rect_tasks_list",
    summary="整改台账",
)
def rect_tasks_list(
    request: HttpRequest, response: HttpResponse, filters: Query[TaskFiltersIn]
) -> TaskPage:
    """Tasks the caller leads, co-operates on, created or oversees; dates filter the deadline;
    ``sector`` the lead unit's sector."""
    user = actor_of(request)
    require(user, VIEW)
    f = ledger_filters(filters, state=filters.state or "", kind=filters.source or "")
    qs = selectors.tasks_visible_to(user=user, filters=f).prefetch_related("co_units")
    page = ledger_page(qs.select_related("checked_by"), filters)
    no_store(response)
    return TaskPage(items=[TaskOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.post(
    "/rectification/tasks",
    response={201: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_create",
    summary="建立整改任务",
)
def rect_tasks_create(request: HttpRequest, payload: TaskCreateIn) -> Status[TaskOut]:
    """A task from a supervision finding, a hazard or a letter, with the lead unit, co-operating
    units, measures, the person responsible, the deadline and milestones."""
    user = actor_of(request)
    require(user, MANAGE)
    hazard = visible_hazard(user, payload.hazard_id)
    letter = visible_letter(user, payload.letter_id)
    lead_unit = active_unit(payload.lead_unit_id, field="lead_unit_id")
    co_units = [active_unit(i, field="co_unit_ids") for i in dict.fromkeys(payload.co_unit_ids)]
    with api_fields(TASK_FIELDS):
        task = services.task_create(
            actor=user,
            title=payload.title,
            source=payload.source,
            source_note=payload.source_note,
            hazard=hazard,
            letter=letter,
            lead_unit=lead_unit,
            co_units=co_units,
            measures=payload.measures,
            responsible_name=payload.responsible_name,
            due_on=payload.due_on,
            milestones=[(m.title, m.due_on) for m in payload.milestones],
        )
    return Status(201, _task_out(user, task.pk))


@router.get(
    "/rectification/tasks/{task_id}",
    response={200: TaskDetail, **DETAIL_ERRORS},
    operation_id="rect_tasks_get",
    summary="整改任务详情（进展、佐证材料、节点、催办、时间线）",
)
def rect_tasks_get(request: HttpRequest, response: HttpResponse, task_id: ObjectId) -> TaskDetail:
    """The task with its milestones, progress and evidence, chasing, and timeline."""
    user = actor_of(request)
    task = _task(user, task_id)
    progress = task.progress.select_related("unit", "written_by").prefetch_related("evidence")
    no_store(response)
    return TaskDetail(
        **TaskOut.of(task).dict(),
        overdue_working_days=(
            deadlines.overdue_working_days(task, timezone.now()) if task.is_open else 0
        ),
        milestones=[MilestoneOut.of(m) for m in task.milestones.all()],
        progress=[ProgressOut.of(p) for p in progress],
        evidence_count=services.evidence_count(task),
        chases=[RectChaseOut.of(c) for c in selectors.chases_of(task)],
        may_work=_may_work(user, task),
        timeline=events_of(task),
    )


@router.post(
    "/rectification/tasks/{task_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    operation_id="rect_tasks_progress",
    summary="报送进展（可附佐证材料）",
)
def rect_tasks_progress(
    request: HttpRequest,
    task_id: ObjectId,
    payload: Form[TaskProgressIn],
    attachments: File[list[UploadedFile] | None] = None,
) -> Status[ProgressOut]:
    """multipart/form-data: ``text`` and files ``attachments`` (PDF, JPEG or PNG recognised by
    their content, at most 10 MB each and 10 per update). By the lead unit, a co-operating unit
    or an office over the lead unit."""
    user = actor_of(request)
    task = _task(user, task_id)
    checked = checked_uploads(attachments)
    progress = services.task_progress_add(actor=user, task=task, text=payload.text, files=checked)
    return Status(201, ProgressOut.of(progress))


@router.post(
    "/rectification/tasks/{task_id}/milestones/{milestone_id}/done",
    response={200: MilestoneOut, **WRITE_ERRORS},
    operation_id="rect_tasks_milestone_done",
    summary="完成整改节点或阶段目标",
)
def rect_tasks_milestone_done(
    request: HttpRequest, task_id: ObjectId, milestone_id: ObjectId, payload: MilestoneDoneIn
) -> MilestoneOut:
    """Mark a milestone done; for a staged goal the clock moves on to the next one."""
    user = actor_of(request)
    task = _task(user, task_id)
    milestone: Milestone | None = task.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    done = services.milestone_done(actor=user, milestone=milestone, note=payload.note)
    return MilestoneOut.of(done)


@router.post(
    "/rectification/tasks/{task_id}/stage-goals",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_stage_goals",
    summary="不能按期完成：设定阶段目标",
)
def rect_tasks_stage_goals(
    request: HttpRequest, task_id: ObjectId, payload: StageGoalsIn
) -> TaskOut:
    """Staged goals with a reason (lead unit or an office over it); the last goal becomes the
    deadline and the clock runs on the earliest unfinished one."""
    user = actor_of(request)
    task = services.task_set_stage_goals(
        actor=user,
        task=_task(user, task_id),
        goals=[(g.title, g.due_on) for g in payload.goals],
        reason=payload.reason,
    )
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/submit",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_submit",
    summary="报请核验",
)
def rect_tasks_submit(request: HttpRequest, task_id: ObjectId, payload: TaskSubmitIn) -> TaskOut:
    """整改中 → 待核验 by the lead unit; refused while no evidence file is on record."""
    user = actor_of(request)
    task = services.task_submit(actor=user, task=_task(user, task_id), summary=payload.summary)
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/check",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_check",
    summary="专项办核验",
)
def rect_tasks_check(request: HttpRequest, task_id: ObjectId, payload: TaskCheckIn) -> TaskOut:
    """待核验 → 核验通过, or back to 整改中 with the reason; only an office with the check
    permission over the lead unit."""
    user = actor_of(request)
    task = services.task_check(
        actor=user, task=_task(user, task_id), accept=payload.accept, note=payload.note
    )
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/close",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_close",
    summary="销号",
)
def rect_tasks_close(request: HttpRequest, task_id: ObjectId, payload: TaskCloseIn) -> TaskOut:
    """销号 by the lead unit: refused without evidence on file or before the office's check (no
    纸面整改)."""
    user = actor_of(request)
    task = services.task_close(actor=user, task=_task(user, task_id), note=payload.note)
    return _task_out(user, task.pk)


@router.get(
    "/rectification/evidence/{evidence_id}",
    response={200: None, **DETAIL_ERRORS},
    operation_id="rect_evidence_get",
    summary="下载佐证材料或制度文件",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件（PDF、JPEG 或 PNG）",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def rect_evidence_get(request: HttpRequest, evidence_id: ObjectId) -> HttpResponse:
    """A file of a task's progress or of a rule, only to those who may see that task or rule."""
    user = actor_of(request)
    require(user, VIEW)
    evidence = selectors.access_evidence(user=user, pk=evidence_id)
    try:
        with evidence.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=evidence.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    no_store(response)
    return response
