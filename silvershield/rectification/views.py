"""Staff pages of the rectification ledger: thin views over services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core.access import has_perm
from silvershield.core.audit import audit_record, timeline
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm, role_has
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.geo.models import Region
from silvershield.intake.selectors import tip_list_visible_to
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import User
from silvershield.rectification import deadlines, exports, files, selectors, services
from silvershield.rectification import forms as rf
from silvershield.rectification.models import (
    Hazard,
    HazardState,
    Institution,
    Letter,
    LetterState,
    Milestone,
    Rule,
    Task,
    TaskState,
)
from silvershield.rectification.selectors import Filters

EXPORT_LIMIT = 50000
MANAGE, CHECK, VIEW = Perm.RECTIFICATION_MANAGE, Perm.RECTIFICATION_CHECK, Perm.RECTIFICATION_VIEW


def _home_region(user: User) -> Region | None:
    regions = {
        m.unit.region
        for m in user.memberships.select_related("unit__region")
        if role_has(m.role, VIEW)
    }
    return regions.pop() if len(regions) == 1 else None


# -- lists and exports -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    title: str
    selector: Callable[..., QuerySet[Any]]
    export: Callable[..., bytes]
    create_url: str


LEDGERS: dict[str, Ledger] = {
    "institutions": Ledger(
        "机构名录", selectors.institutions_visible_to, exports.institutions_xlsx, "institution_new"
    ),
    "hazards": Ledger("问题隐患", selectors.hazards_visible_to, exports.hazards_xlsx, "hazard_new"),
    "letters": Ledger("三书一函", selectors.letters_visible_to, exports.letters_xlsx, "letter_new"),
    "tasks": Ledger("整改台账", selectors.tasks_visible_to, exports.tasks_xlsx, "task_new"),
    "rules": Ledger("建章立制", selectors.rules_visible_to, exports.rules_xlsx, "rule_new"),
}


def _filters(request: AuthedRequest, kind: str) -> tuple[rf.FilterForm, Filters, str]:
    form = rf.FilterForm(request.GET or None, **rf.FILTER_OPTIONS[kind])
    form.fields["region"].root = _home_region(request.user)  # type: ignore[attr-defined]
    if not (form.is_bound and form.is_valid()):
        return form, Filters(), ""
    data = form.cleaned_data
    parts = []
    for name, value in data.items():
        if value:
            field = form.fields[name]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            parts.append(f"{field.label}：{'是' if value is True else shown}")
    return (
        form,
        Filters(
            region=data.get("region"),
            state=data.get("state") or "",
            sector=data.get("sector") or "",
            kind=data.get("kind") or "",
            q=(data.get("q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            overdue=bool(data.get("overdue")),
        ),
        "；".join(parts),
    )


def _ledger(kind: str) -> Ledger:
    if kind not in LEDGERS:
        raise Http404
    return LEDGERS[kind]


@staff_view(VIEW)
def ledger_list(request: AuthedRequest, kind: str) -> HttpResponse:
    ledger = _ledger(kind)
    form, filters, _ = _filters(request, kind)
    qs = ledger.selector(user=request.user, filters=filters)
    page = keyset_page(qs, order=("created_at", "id"), cursor=request.GET.get("cursor"), size=50)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "kind": kind,
        "ledger": ledger,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "now": timezone.now(),
        "can_manage": has_perm(request.user, MANAGE),
        "can_check": has_perm(request.user, CHECK),
        "rows_template": f"rectification/_rows_{kind}.html",
        "list_url": reverse(f"rectification:{kind}_list"),
        "export_url": reverse(f"rectification:{kind}_export"),
        "create_url": reverse(f"rectification:{ledger.create_url}"),
    }
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, f"rectification/_rows_{kind}.html", context)
    return render(request, "rectification/list.html", context)


@staff_view(VIEW)
def ledger_export(request: AuthedRequest, kind: str) -> HttpResponse:
    ledger = _ledger(kind)
    _form, filters, label = _filters(request, kind)
    qs = ledger.selector(user=request.user, filters=filters).order_by("-created_at", "-id")
    count = qs.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            f"符合条件的记录有{count}条，超过单次导出上限{EXPORT_LIMIT}条，请缩小筛选范围。",
        )
        return redirect(f"{reverse(f'rectification:{kind}_list')}?{request.GET.urlencode()}")
    content = ledger.export(
        rows=qs.iterator(chunk_size=2000), office=request.user.unit_label(), context=label
    )
    audit_record(
        actor=request.user,
        action=f"rectification.{kind}_exported",
        summary=f"导出{ledger.title}台账（{count}条）",
        data={"count": count, "filters": label},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{kind}-{stamp}.xlsx"
    return response


@require_POST
@staff_view(CHECK)
def hazards_batch_check(request: AuthedRequest) -> HttpResponse:
    """Batch action: the office passes the selected 已整治 hazards it may check."""
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][:200]
    hazards = list(
        selectors.hazards_to_check(user=request.user)
        .filter(pk__in=ids)
        .select_related("unit__region")
    )
    try:
        with transaction.atomic():
            for hazard in hazards:
                services.hazard_check(
                    actor=request.user, hazard=hazard, accept=True, note="批量复核通过"
                )
    except (ValidationError, PermissionDenied, StaleRecordError):
        messages.error(
            request, "批量复核未完成：部分隐患状态已变化或不在您的复核范围内，请刷新后重试。"
        )
    else:
        if hazards:
            messages.success(request, f"已复核通过{len(hazards)}条问题隐患")
        else:
            messages.error(request, "请先勾选待复核（已整治）的隐患")
    return redirect(f"{reverse('rectification:hazards_list')}?state={HazardState.RECTIFIED}")


# -- create pages -----------------------------------------------------------------------------------


def _form_page(
    request: AuthedRequest, form: dj_forms.Form, title: str, back: str, *, multipart: bool = False
) -> HttpResponse:
    return render(
        request,
        "rectification/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
    )


def _run(form: dj_forms.Form, call: Callable[[], Model]) -> Model | None:
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied:
        form.add_error(None, "您无权为该单位登记")
    return None


@staff_view(MANAGE)
def institution_new(request: AuthedRequest) -> HttpResponse:
    form = rf.InstitutionForm(request.POST or None)
    form.fields["region"].root = _home_region(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        obj = _run(
            form,
            lambda: services.institution_create(
                actor=request.user,
                name=d["name"],
                kind=d["kind"],
                sector=d["sector"],
                region=d["region"],
                licence_status=d["licence_status"],
                uscc=d["uscc"],
                address=d["address"],
                regulator=d["regulator"],
                note=d["note"],
            ),
        )
        if obj is not None:
            messages.success(request, f"已登记机构：{obj}")
            return redirect("rectification:institution", pk=obj.pk)
    return _form_page(request, form, "登记机构", "institutions")


@staff_view(MANAGE)
def hazard_new(request: AuthedRequest) -> HttpResponse:
    initial: dict[str, Any] = {"found_on": timezone.localdate()}
    institution: Institution | None = None
    inst_id = request.GET.get("institution") or request.POST.get("institution")
    if inst_id:
        institution = selectors.access_institution(user=request.user, pk=inst_id)
        initial.update(institution=institution.pk, sector=institution.sector)
    form = rf.HazardForm(request.POST or None, initial=initial)
    form.fields["region"].root = _home_region(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        obj = _run(
            form,
            lambda: services.hazard_create(
                actor=request.user,
                institution=institution,
                sector=d["sector"],
                region=d["region"],
                problem=d["problem"],
                unit=d["unit"],
                found_on=d["found_on"],
                found_by_name=d["found_by_name"],
                due_on=d["due_on"],
                measures=d["measures"],
            ),
        )
        if obj is not None:
            messages.success(request, f"已登记问题隐患 {obj}")
            return redirect("rectification:hazard", pk=obj.pk)
    title = f"登记问题隐患（{institution}）" if institution else "登记问题隐患"
    return _form_page(request, form, title, "hazards")


@staff_view(MANAGE)
def letter_new(request: AuthedRequest) -> HttpResponse:
    institution: Institution | None = None
    inst_id = request.GET.get("institution") or request.POST.get("institution")
    if inst_id:
        institution = selectors.access_institution(user=request.user, pk=inst_id)
    form = rf.LetterForm(
        request.POST or None, initial={"institution": institution.pk if institution else None}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        obj = _run(
            form,
            lambda: services.letter_issue(
                actor=request.user,
                institution=institution,
                kind=d["kind"],
                number=d["number"],
                recipient=d["recipient"],
                case_number=d["case_number"],
                problem=d["problem"],
                suggestions=d["suggestions"],
                issued_on=d["issued_on"],
                reply_due_on=d["reply_due_on"],
            ),
        )
        if obj is not None:
            messages.success(request, f"已登记 {obj}")
            return redirect("rectification:letter", pk=obj.pk)
    title = f"登记三书一函（涉及{institution}）" if institution else "登记三书一函"
    return _form_page(request, form, title, "letters")


def _source_hazard(user: User, number: str) -> Hazard | None:
    if not number.strip():
        return None
    found = selectors.hazards_visible_to(user=user).filter(number=number.strip()).first()
    if found is None:
        raise ValidationError({"hazard": "在您的范围内找不到该编号的隐患"})
    return found


def _source_letter(user: User, number: str) -> Letter | None:
    if not number.strip():
        return None
    found = selectors.letters_visible_to(user=user).filter(number=number.strip()).first()
    if found is None:
        raise ValidationError({"letter": "在您的范围内找不到该文号的文书"})
    return found


@staff_view(MANAGE)
def task_new(request: AuthedRequest) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("source", "hazard", "letter") if k in request.GET}
    form = rf.TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = request.user
        obj = _run(
            form,
            lambda: services.task_create(
                actor=user,
                title=d["title"],
                source=d["source"],
                source_note=d["source_note"],
                hazard=_source_hazard(user, d["hazard"]),
                letter=_source_letter(user, d["letter"]),
                lead_unit=d["lead_unit"],
                co_units=list(d["co_units"]),
                measures=d["measures"],
                responsible_name=d["responsible_name"],
                due_on=d["due_on"],
                milestones=d["milestones"],
            ),
        )
        if obj is not None:
            messages.success(request, f"已建立整改任务 {obj}")
            return redirect("rectification:task", pk=obj.pk)
    return _form_page(request, form, "建立整改任务", "tasks")


@staff_view(MANAGE)
def rule_new(request: AuthedRequest) -> HttpResponse:
    letter: Letter | None = None
    letter_id = request.GET.get("letter") or request.POST.get("letter")
    if letter_id and letter_id.isdigit():
        letter = selectors.access_letter(user=request.user, pk=letter_id)
    form = rf.RuleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        obj = _run(
            form,
            lambda: services.rule_create(
                actor=request.user,
                title=d["title"],
                kind=d["kind"],
                doc_number=d["doc_number"],
                issued_on=d["issued_on"],
                summary=d["summary"],
                letter=letter,
                unit=letter.recipient if letter is not None else None,
                files=files.check_uploads(d["attachments"], field="attachments"),
            ),
        )
        if obj is not None:
            messages.success(request, f"已登记制度：{obj}")
            return redirect("rectification:rule", pk=obj.pk)
    title = f"登记建章立制（对应{letter}）" if letter else "登记建章立制"
    return _form_page(request, form, title, "rules", multipart=True)


# -- detail pages and their actions ------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: str
    form: type[dj_forms.Form]
    allowed: Callable[[User, Any], bool]
    run: Callable[[User, Any, dict[str, Any]], object]
    button: str = "提交"
    multipart: bool = False


def _may(user: User, unit: Any, perm: Perm = MANAGE) -> bool:
    return services.acts_for(user, unit, perm)


def _checker(user: User, unit: Any) -> bool:
    try:
        services.checking_office(user, unit)
    except PermissionDenied:
        return False
    return True


def _task_worker(user: User, task: Task) -> bool:
    try:
        services._task_worker(user, task)
    except PermissionDenied:
        return False
    return True


def _milestone(task: Task, pk: int) -> Milestone:
    found = task.milestones.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"__all__": "找不到该节点"})
    return found


ACTIONS: dict[str, dict[str, Action]] = {
    "hazard": {
        "start": Action(
            "开始整治",
            rf.MeasuresForm,
            lambda u, h: h.state == HazardState.FOUND and _may(u, h.unit),
            lambda u, h, d: services.hazard_start(
                actor=u, hazard=h, measures=d["measures"], expected_version=d["version"]
            ),
        ),
        "rectified": Action(
            "报整治完成",
            rf.NoteForm,
            lambda u, h: h.state == HazardState.RECTIFYING and _may(u, h.unit),
            lambda u, h, d: services.hazard_mark_rectified(
                actor=u, hazard=h, note=d["note"], expected_version=d["version"]
            ),
        ),
        "check": Action(
            "复核",
            rf.CheckForm,
            lambda u, h: h.state == HazardState.RECTIFIED and _checker(u, h.unit),
            lambda u, h, d: services.hazard_check(
                actor=u, hazard=h, accept=d["accept"], note=d["note"], expected_version=d["version"]
            ),
        ),
    },
    "letter": {
        "reply": Action(
            "登记回复",
            rf.ReplyForm,
            lambda u, lt: lt.state == LetterState.ISSUED and _may(u, lt.recipient),
            lambda u, lt, d: services.letter_reply(actor=u, letter=lt, reply=d["reply"]),
        ),
        "rectify": Action(
            "登记整改情况",
            rf.RectificationForm,
            lambda u, lt: lt.state == LetterState.REPLIED and _may(u, lt.recipient),
            lambda u, lt, d: services.letter_record_rectification(
                actor=u, letter=lt, rectification=d["rectification"]
            ),
        ),
    },
    "task": {
        "progress": Action(
            "报送进展（含佐证材料）",
            rf.ProgressForm,
            lambda u, t: t.state != TaskState.CLOSED and _task_worker(u, t),
            lambda u, t, d: services.task_progress_add(
                actor=u,
                task=t,
                text=d["text"],
                files=files.check_uploads(d["attachments"], field="attachments"),
            ),
            multipart=True,
        ),
        "milestone": Action(
            "完成节点",
            rf.MilestoneDoneForm,
            lambda u, t: False,  # offered per milestone on the page, not as a block
            lambda u, t, d: services.milestone_done(
                actor=u, milestone=_milestone(t, d["milestone"]), note=d["note"]
            ),
        ),
        "stages": Action(
            "不能按期完成：设定阶段目标",
            rf.StageGoalsForm,
            lambda u, t: t.state == TaskState.OPEN and _may(u, t.lead_unit),
            lambda u, t, d: services.task_set_stage_goals(
                actor=u, task=t, goals=d["goals"], reason=d["reason"]
            ),
        ),
        "submit": Action(
            "报请核验",
            rf.SubmitForm,
            lambda u, t: t.state == TaskState.OPEN and _may(u, t.lead_unit),
            lambda u, t, d: services.task_submit(actor=u, task=t, summary=d["summary"]),
        ),
        "check": Action(
            "核验",
            rf.CheckForm,
            lambda u, t: t.state == TaskState.SUBMITTED and _checker(u, t.lead_unit),
            lambda u, t, d: services.task_check(
                actor=u, task=t, accept=d["accept"], note=d["note"]
            ),
        ),
        "close": Action(
            "销号",
            rf.CloseForm,
            lambda u, t: t.state == TaskState.CHECKED and _may(u, t.lead_unit),
            lambda u, t, d: services.task_close(actor=u, task=t, note=d["note"]),
            button="销号",
        ),
    },
    "institution": {
        "edit": Action(
            "更新机构信息",
            rf.InstitutionEditForm,
            lambda u, i: services.institution_editable(u, i),
            lambda u, i, d: services.institution_update(
                actor=u,
                institution=i,
                licence_status=d["licence_status"],
                uscc=d["uscc"],
                address=d["address"],
                regulator=d["regulator"],
                note=d["note"],
            ),
        ),
        "link": Action(
            "确认关联线索",
            rf.LinkTipForm,
            lambda u, i: False,  # offered per candidate on the page
            lambda u, i, d: services.institution_link_tip(
                actor=u, institution=i, tip=_visible_tip(u, d["tip"]), matched_by=d["reason"]
            ),
        ),
        "unlink": Action(
            "取消关联",
            rf.LinkTipForm,
            lambda u, i: False,
            lambda u, i, d: services.institution_unlink_tip(
                actor=u, institution=i, tip=_visible_tip(u, d["tip"])
            ),
        ),
    },
}
INLINE_ACTIONS = {("task", "milestone"), ("institution", "link"), ("institution", "unlink")}


def _visible_tip(user: User, pk: int) -> Any:
    tip = tip_list_visible_to(user=user).filter(pk=pk).first()
    if tip is None:
        raise ValidationError({"__all__": "找不到该线索，或您无权查看"})
    return tip


ACCESS: dict[str, Callable[..., Any]] = {
    "hazard": selectors.access_hazard,
    "letter": selectors.access_letter,
    "task": selectors.access_task,
    "institution": selectors.access_institution,
    "rule": selectors.access_rule,
}


def _initial(obj: Any, name: str) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": getattr(obj, "version", None)}
    if isinstance(obj, Institution) and name == "edit":
        initial.update(
            licence_status=obj.licence_status,
            uscc=obj.uscc,
            address=obj.address,
            regulator=obj.regulator_id,
            note=obj.note,
        )
    if isinstance(obj, Hazard) and name == "start":
        initial["measures"] = obj.measures
    return initial


def _blocks(
    user: User, kind: str, obj: Any, failed: tuple[str, dj_forms.Form] | None
) -> list[dict[str, Any]]:
    blocks = []
    for name, spec in ACTIONS.get(kind, {}).items():
        if failed is not None and failed[0] == name:
            blocks.append({"name": name, "spec": spec, "form": failed[1], "open": True})
        elif spec.allowed(user, obj):
            blocks.append(
                {
                    "name": name,
                    "spec": spec,
                    "form": spec.form(initial=_initial(obj, name)),
                    "open": False,
                }
            )
    return blocks


def _detail_context(request: AuthedRequest, kind: str, obj: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "obj": obj,
        "kind": kind,
        "events": timeline(obj=obj),
        "today": timezone.localdate(),
        "now": timezone.now(),
        "can_manage": has_perm(user, MANAGE),
        "action_url": f"rectification:{kind}_action",
    }
    if isinstance(obj, Institution):
        context.update(
            tips=list(selectors.linked_tips(user=user, institution=obj)[:200]),
            candidates=selectors.tip_candidates(user=user, institution=obj)
            if has_perm(user, MANAGE)
            else [],
            cases=_cases(user, obj),
            hazards=list(selectors.hazards_visible_to(user=user).filter(institution=obj)[:200]),
            letters=list(
                selectors.letters_visible_to(user=user).filter(
                    Q(institution=obj)
                    | Q(pk__in=Task.objects.filter(hazard__institution=obj).values("letter_id"))
                )[:200]
            ),
            tasks=list(selectors.tasks_visible_to(user=user).filter(hazard__institution=obj)[:200]),
        )
    elif isinstance(obj, Letter):
        context.update(
            chases=list(selectors.chases_of(obj)),
            overdue_days=deadlines.overdue_working_days(obj, timezone.now()) if obj.is_open else 0,
            tasks=list(selectors.tasks_visible_to(user=user).filter(letter=obj)),
            rules=list(selectors.rules_visible_to(user=user).filter(letter=obj)),
            case=selectors.case_by_number(user=user, number=obj.case_number),
            may_add_rule=_may(user, obj.recipient),
        )
    elif isinstance(obj, Task):
        context.update(
            chases=list(selectors.chases_of(obj)),
            overdue_days=deadlines.overdue_working_days(obj, timezone.now()) if obj.is_open else 0,
            co_units=list(obj.co_units.all()),
            milestones=list(obj.milestones.all()),
            progress=list(
                obj.progress.select_related("unit", "written_by").prefetch_related("evidence")
            ),
            evidence_count=services.evidence_count(obj),
            may_work=_task_worker(user, obj),
        )
    elif isinstance(obj, Hazard):
        context.update(tasks=list(selectors.tasks_visible_to(user=user).filter(hazard=obj)))
    elif isinstance(obj, Rule):
        context.update(documents=list(obj.documents.all()))
    return context


def _cases(user: User, institution: Institution) -> list[Any] | None:
    qs = selectors.cases_naming(user=user, institution=institution)
    return None if qs is None else list(qs[:200])


def _render_detail(
    request: AuthedRequest, kind: str, obj: Any, failed: tuple[str, dj_forms.Form] | None = None
) -> HttpResponse:
    context = _detail_context(request, kind, obj)
    context["blocks"] = _blocks(request.user, kind, obj, failed)
    # htmx swaps only 2xx answers: a form that failed in place comes back as 200 to htmx.
    status = 400 if failed and not is_htmx(request) else 200
    return render(request, f"rectification/{kind}_detail.html", context, status=status)


@staff_view(VIEW)
def detail(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ACCESS:
        raise Http404
    return _render_detail(request, kind, ACCESS[kind](user=request.user, pk=pk))


@require_POST
@staff_view(VIEW)
def action(request: AuthedRequest, kind: str, pk: int, name: str) -> HttpResponse:
    spec = ACTIONS.get(kind, {}).get(name)
    if spec is None:
        raise Http404
    obj = ACCESS[kind](user=request.user, pk=pk)
    if (kind, name) not in INLINE_ACTIONS and not spec.allowed(request.user, obj):
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            spec.run(request.user, obj, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleRecordError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error(None, "您无权执行该操作")
        else:
            messages.success(request, f"已完成：{spec.label}")
            url = reverse(f"rectification:{kind}", args=[pk])
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    obj.refresh_from_db()
    if (kind, name) in INLINE_ACTIONS:
        for errs in form.errors.values():
            for message in errs:
                messages.error(request, str(message))
        return redirect(reverse(f"rectification:{kind}", args=[pk]))
    return _render_detail(request, kind, obj, failed=(name, form))


@staff_view(VIEW)
def evidence_file(request: AuthedRequest, pk: int) -> HttpResponse:
    """Serve an evidence file only to staff who may see its task or rule."""
    evidence = selectors.access_evidence(user=request.user, pk=pk)
    try:
        with evidence.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=evidence.content_type)
    disposition = "inline" if evidence.content_type != "application/pdf" else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
