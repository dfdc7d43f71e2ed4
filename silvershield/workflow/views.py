from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core.access import has_perm, in_scope
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.intake.models import Tip, TipState
from silvershield.intake.selectors import access_tip
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import Unit, User
from silvershield.workflow import deadlines, routing, selectors, services
from silvershield.workflow import forms as wf_forms
from silvershield.workflow.access import covers, units_with
from silvershield.workflow.models import (
    OPEN_STATES,
    ExtensionRequest,
    ExtensionState,
    ReportState,
    Transfer,
    TransferState,
    VerificationReport,
)

# -- what the user may do on a tip now --------------------------------------------------------------


@dataclass
class TipWork:
    """The workflow objects of a tip as they concern one user."""

    user: User
    tip: Tip
    my_transfer: Transfer | None = None  # where the user's unit is the lead unit
    report_to_review: VerificationReport | None = None
    extension_to_decide: ExtensionRequest | None = None
    overdue_for_office: Transfer | None = None
    actions: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, user: User, tip: Tip) -> TipWork:
        work = cls(user, tip)
        transfers = list(selectors.transfers_of_tip(tip=tip))
        handle_ids = {u.pk for u in units_with(user, Perm.TRANSFER_HANDLE)}
        offices = [u for u in units_with(user, Perm.DEADLINE_MANAGE) if u.is_office]
        for t in reversed(transfers):
            if (
                work.my_transfer is None
                and t.lead_unit_id in handle_ids
                and t.state in (*OPEN_STATES, TransferState.REPORTED)
            ):
                work.my_transfer = t
            if (
                work.overdue_for_office is None
                and t.state in OPEN_STATES
                and t.due_at < timezone.now()
                and any(covers(o, t.lead_unit) and o.pk != t.lead_unit_id for o in offices)
            ):
                work.overdue_for_office = t
        for report in VerificationReport.objects.filter(
            tip=tip, state=ReportState.SUBMITTED
        ).select_related("transfer__from_unit__region"):
            if _may_review(user, report.transfer):
                work.report_to_review = report
        for ext in ExtensionRequest.objects.filter(
            transfer__tip=tip, state=ExtensionState.PENDING
        ).select_related("transfer__from_unit__region"):
            if _may_review(user, ext.transfer, perm=Perm.DEADLINE_MANAGE):
                work.extension_to_decide = ext
        work.actions = work._actions()
        return work

    def _actions(self) -> list[str]:
        tip, user, actions = self.tip, self.user, []
        if in_scope(tip, user=user, perm=Perm.TIP_SCREEN):
            if tip.state in services.SCREENABLE:
                actions += ["classify", "invalid", "merge"]
            if tip.state == TipState.MERGED:
                actions.append("unmerge")
            if tip.state == TipState.SCREENED and in_scope(tip, user=user, perm=Perm.TIP_TRANSFER):
                actions.append("transfer")
        t = self.my_transfer
        if t is not None:
            if t.state == TransferState.PENDING:
                actions += ["sign", "send_back"]
            if t.state in (TransferState.SIGNED, TransferState.RETURNED):
                actions.append("report")
                if has_perm(user, Perm.TIP_TRANSFER) and t.state == TransferState.SIGNED:
                    actions.append("retransfer")
            if t.state in OPEN_STATES:
                actions.append("extension")
        if self.report_to_review is not None:
            actions.append("review")
        if self.extension_to_decide is not None:
            actions.append("decide")
        if tip.state == TipState.ACCEPTED:
            actions.append("feedback")
            if (
                in_scope(tip, user=user, perm=Perm.REPORT_REVIEW)
                and selectors.feedback_of(tip=tip).exists()
            ):
                actions.append("close")
        if tip.state == TipState.CLOSED and in_scope(tip, user=user, perm=Perm.REPORT_REVIEW):
            actions.append("reopen")
        if self.overdue_for_office is not None:
            actions += ["takeover", "reassign"]
        return actions


def _may_review(user: User, transfer: Transfer, perm: Perm = Perm.REPORT_REVIEW) -> bool:
    if transfer.from_unit.is_office:
        return any(covers(o, transfer.from_unit) for o in units_with(user, perm) if o.is_office)
    return transfer.from_unit_id in {u.pk for u in units_with(user, Perm.TRANSFER_HANDLE)}


def _transfer_targets(user: User, tip: Tip, *, exclude: Unit | None = None) -> QuerySet[Unit]:
    """Units that may lead on this tip: their region contains the tip's, inside the user's offices."""
    offices = [u for u in units_with(user, Perm.TIP_TRANSFER) if u.is_office]
    ancestors = [p for p in tip.region.path.split("/") if p]
    cond = Q(region__isnull=True) | Q(region__code__in=ancestors)
    inside = Q(pk__in=[])
    for office in offices:
        inside |= (
            Q(region__isnull=True)
            if office.region is None
            else Q(region__path__startswith=office.region.path)
        )
    qs = Unit.objects.filter(cond, inside, is_active=True).exclude(pk__in=[o.pk for o in offices])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.select_related("region").order_by("region__code", "kind", "name")


def _below(unit: Unit) -> QuerySet[Unit]:
    qs = Unit.objects.filter(is_active=True).exclude(pk=unit.pk)
    if unit.region is not None:
        qs = qs.filter(region__path__startswith=unit.region.path)
    return qs.select_related("region").order_by("region__code", "name")


# -- the action table ----------------------------------------------------------------------------

Runner = Callable[[TipWork, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    label: str
    form: type[forms.Form]
    run: Runner
    button: str = "提交"


def _need(obj: object, message: str) -> Any:
    if obj is None:
        raise ValidationError({"__all__": message})
    return obj


def _absolute(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


ACTIONS: dict[str, Action] = {
    "classify": Action(
        "甄别为有效线索",
        wf_forms.ClassifyForm,
        lambda w, d: services.tip_classify(
            actor=w.user,
            tip=w.tip,
            fraud_type=d["fraud_type"],
            note=d["note"],
            expected_version=d["version"],
        ),
    ),
    "invalid": Action(
        "标记为无效线索",
        wf_forms.InvalidForm,
        lambda w, d: services.tip_mark_invalid(
            actor=w.user, tip=w.tip, reason=d["reason"], expected_version=d["version"]
        ),
    ),
    "merge": Action(
        "作为重复线索合并",
        wf_forms.MergeForm,
        lambda w, d: services.tip_merge(
            actor=w.user,
            tip=w.tip,
            into=_find_tip(w.user, d["into"]),
            expected_version=d["version"],
        ),
    ),
    "unmerge": Action(
        "撤销合并",
        wf_forms.VersionedForm,
        lambda w, d: services.tip_unmerge(actor=w.user, tip=w.tip, expected_version=d["version"]),
    ),
    "transfer": Action(
        "转办",
        wf_forms.TransferForm,
        lambda w, d: services.tips_transfer(
            actor=w.user,
            tips=[w.tip],
            lead_unit=d["lead_unit"],
            co_units=list(d["co_units"]),
            working_days=d["working_days"],
            absolute_due_at=_absolute(d["absolute_due_on"]),
            note=d["note"],
            expected_versions={w.tip.pk: d["version"]} if d["version"] is not None else None,
        ),
    ),
    "sign": Action(
        "签收",
        forms.Form,
        lambda w, d: services.transfer_sign(
            actor=w.user, transfer=_need(w.my_transfer, "没有待签收的转办")
        ),
        button="签收",
    ),
    "send_back": Action(
        "非本单位职责，退回",
        wf_forms.ReasonForm,
        lambda w, d: services.transfer_send_back(
            actor=w.user, transfer=_need(w.my_transfer, "没有待签收的转办"), reason=d["reason"]
        ),
    ),
    "retransfer": Action(
        "下转",
        wf_forms.RetransferForm,
        lambda w, d: services.transfer_retransfer(
            actor=w.user,
            transfer=_need(w.my_transfer, "没有可下转的转办"),
            to_unit=d["to_unit"],
            working_days=d["working_days"],
            note=d["note"],
        ),
    ),
    "extension": Action(
        "申请延期",
        wf_forms.ExtensionForm,
        lambda w, d: deadlines.extension_request(
            actor=w.user,
            transfer=_need(w.my_transfer, "没有办理中的转办"),
            extra_working_days=d["extra_working_days"],
            reason=d["reason"],
        ),
    ),
    "report": Action(
        "报送核查报告",
        wf_forms.ReportForm,
        lambda w, d: services.report_submit(
            actor=w.user,
            transfer=_need(w.my_transfer, "没有办理中的转办"),
            conclusion=d["conclusion"],
            facts=d["facts"],
            measures=d["measures"],
            measures_note=d["measures_note"],
        ),
    ),
    "review": Action(
        "审核核查报告",
        wf_forms.ReviewForm,
        lambda w, d: services.report_review(
            actor=w.user,
            report=_need(w.report_to_review, "没有待审核的核查报告"),
            accept=d["accept"],
            note=d["note"],
        ),
    ),
    "decide": Action(
        "审批延期申请",
        wf_forms.DecideForm,
        lambda w, d: deadlines.extension_decide(
            actor=w.user,
            request=_need(w.extension_to_decide, "没有待审批的延期申请"),
            grant=d["grant"],
            note=d["note"],
        ),
    ),
    "feedback": Action(
        "答复举报人",
        wf_forms.FeedbackForm,
        lambda w, d: services.feedback_write(actor=w.user, tip=w.tip, text=d["text"]),
    ),
    "close": Action(
        "办结",
        wf_forms.CloseForm,
        lambda w, d: services.tip_close(
            actor=w.user, tip=w.tip, note=d["note"], expected_version=d["version"]
        ),
        button="办结",
    ),
    "reopen": Action(
        "回头看：重新启动",
        wf_forms.ReopenForm,
        lambda w, d: services.tip_reopen(
            actor=w.user, tip=w.tip, reason=d["reason"], expected_version=d["version"]
        ),
    ),
    "takeover": Action(
        "兜底核查",
        wf_forms.TakeoverForm,
        lambda w, d: deadlines.transfer_take_over(
            actor=w.user, transfer=_need(w.overdue_for_office, "没有超期的转办"), note=d["note"]
        ),
    ),
    "reassign": Action(
        "改派",
        wf_forms.ReassignForm,
        lambda w, d: deadlines.transfer_reassign(
            actor=w.user,
            transfer=_need(w.overdue_for_office, "没有超期的转办"),
            to_unit=d["to_unit"],
            note=d["note"],
        ),
    ),
}


def _find_tip(user: User, number: str) -> Tip:
    from silvershield.intake.selectors import tip_list_visible_to

    tip = tip_list_visible_to(user=user).filter(number=number.strip()).first()
    if tip is None:
        raise ValidationError({"into": "在您的管辖范围内找不到该编号的线索"})
    return tip


def _form(name: str, work: TipWork, data: Any = None) -> forms.Form:
    spec = ACTIONS[name]
    initial: dict[str, Any] = {"version": work.tip.version}
    suggestion = routing.suggest_lead_unit(work.tip) if name == "transfer" else None
    if suggestion is not None and suggestion.lead_unit is not None:
        initial["lead_unit"] = suggestion.lead_unit.pk
    form = spec.form(data, initial=initial)
    if name == "transfer":
        targets = _transfer_targets(work.user, work.tip)
        form.fields["lead_unit"].queryset = targets  # type: ignore[attr-defined]
        form.fields["lead_unit"].help_text = suggestion.reason if suggestion else ""
        form.fields["co_units"].queryset = targets  # type: ignore[attr-defined]
    elif name == "retransfer" and work.my_transfer is not None:
        form.fields["to_unit"].queryset = _below(work.my_transfer.lead_unit)  # type: ignore[attr-defined]
    elif name == "reassign" and work.overdue_for_office is not None:
        form.fields["to_unit"].queryset = _transfer_targets(  # type: ignore[attr-defined]
            work.user, work.tip, exclude=work.overdue_for_office.lead_unit
        )
    return form


def _panel_context(work: TipWork, failed: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    tip = work.tip
    blocks = []
    for name in work.actions:
        form = failed[1] if failed and failed[0] == name else _form(name, work)
        blocks.append(
            {
                "name": name,
                "spec": ACTIONS[name],
                "form": form,
                "open": bool(failed and failed[0] == name),
            }
        )
    transfers = list(selectors.transfers_of_tip(tip=tip))
    for t in transfers:
        t.chase_list = list(selectors.chases_of(transfer=t))  # type: ignore[attr-defined]
    return {
        "tip": tip,
        "work": work,
        "blocks": blocks,
        "transfers": transfers,
        "feedback": list(selectors.feedback_of(tip=tip)),
        "now": timezone.now(),
    }


def tip_panel(request: HttpRequest, tip: Any) -> str:
    """The workflow section of the tip page (registered with intake.panels)."""
    user = request.user
    if not isinstance(user, User):
        return ""
    return render_to_string(
        "workflow/_panel.html", _panel_context(TipWork.of(user, tip)), request=request
    )


@require_POST
@staff_view(Perm.TIP_VIEW)
def tip_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    tip = access_tip(user=request.user, tip_id=pk)
    work = TipWork.of(request.user, tip)
    form = _form(action, work, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(work, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleRecordError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error(None, "您无权执行该操作")
        else:
            messages.success(request, f"已完成：{ACTIONS[action].label}")
            url = reverse("intake:detail", args=[tip.pk])
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    tip.refresh_from_db()
    context = _panel_context(TipWork.of(request.user, tip), failed=(action, form))
    if is_htmx(request):
        return render(request, "workflow/_panel.html", context)
    return render(request, "workflow/action_page.html", context)


# -- work lists ----------------------------------------------------------------------------------------


def _list(request: AuthedRequest, title: str, rows: Any, kind: str) -> HttpResponse:
    return render(
        request,
        "workflow/work_list.html",
        {"title": title, "rows": rows, "kind": kind, "now": timezone.now()},
    )


@staff_view(Perm.TRANSFER_HANDLE)
def to_sign(request: AuthedRequest) -> HttpResponse:
    return _list(
        request, "待签收", selectors.transfers_to_sign(user=request.user)[:500], "transfer"
    )


@staff_view(Perm.TRANSFER_HANDLE)
def to_verify(request: AuthedRequest) -> HttpResponse:
    return _list(
        request, "待核查", selectors.transfers_to_verify(user=request.user)[:500], "transfer"
    )


@staff_view(Perm.TIP_VIEW)
def to_review(request: AuthedRequest) -> HttpResponse:
    return _list(
        request, "待审核的核查报告", selectors.reports_to_review(user=request.user)[:500], "report"
    )


@staff_view(Perm.TIP_VIEW)
def to_answer(request: AuthedRequest) -> HttpResponse:
    return _list(request, "待答复举报人", selectors.tips_to_answer(user=request.user)[:500], "tip")


@staff_view(Perm.DEADLINE_MANAGE)
def extensions(request: AuthedRequest) -> HttpResponse:
    return _list(
        request, "延期审批", selectors.extensions_to_decide(user=request.user)[:500], "extension"
    )


@staff_view(Perm.TIP_VIEW)
def overdue(request: AuthedRequest) -> HttpResponse:
    transfers = selectors.overdue_transfers(user=request.user).order_by("due_at")[:500]
    visible_transfers = selectors.transfers_visible_to(user=request.user)
    late = list(deadlines.chronically_late(transfers=visible_transfers)[:500])
    for item in late:
        item.responsible = deadlines.responsible_person(item)  # type: ignore[attr-defined]
    rows = [(t, deadlines.overdue_working_days(t, timezone.now())) for t in transfers]
    return render(
        request,
        "workflow/overdue.html",
        {
            "rows": rows,
            "late": late,
            "send_backs": selectors.send_back_counts(),
            "now": timezone.now(),
        },
    )


@staff_view(Perm.TIP_SCREEN)
def to_transfer(request: AuthedRequest) -> HttpResponse:
    """分流转办: screened tips, transferred one by one or as a selection in one step."""
    tips = list(selectors.tips_to_transfer(user=request.user).order_by("-received_at")[:300])
    offices = [u for u in units_with(request.user, Perm.TIP_TRANSFER) if u.is_office]
    targets = Unit.objects.filter(is_active=True).exclude(pk__in=[o.pk for o in offices])
    inside = Q(pk__in=[])
    for office in offices:
        inside |= Q() if office.region is None else Q(region__path__startswith=office.region.path)
    targets = (
        targets.filter(inside).select_related("region").order_by("region__code", "kind", "name")
    )
    form = wf_forms.TransferForm(request.POST or None)
    form.fields["lead_unit"].queryset = targets  # type: ignore[attr-defined]
    form.fields["co_units"].queryset = targets  # type: ignore[attr-defined]
    chosen = [int(x) for x in request.POST.getlist("tips") if x.isdigit()]
    suggestions = {s.tip.pk: s for s in routing.suggest_many(tips)}
    for tip in tips:
        tip.suggestion = suggestions[tip.pk]  # type: ignore[attr-defined]
    if request.method == "POST" and "as_suggested" in request.POST:
        return _transfer_as_suggested(request, [suggestions[t.pk] for t in tips if t.pk in chosen])
    if request.method == "POST" and form.is_valid():
        selected = [t for t in tips if t.pk in chosen]
        try:
            transfers = services.tips_transfer(
                actor=request.user,
                tips=selected,
                lead_unit=form.cleaned_data["lead_unit"],
                co_units=list(form.cleaned_data["co_units"]),
                working_days=form.cleaned_data["working_days"],
                absolute_due_at=_absolute(form.cleaned_data["absolute_due_on"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleRecordError as exc:
            form.add_error(None, str(exc))
        else:
            letter = transfers[0].letter
            messages.success(
                request, f"已转办{len(transfers)}条线索，转办函 {letter.number if letter else ''}"
            )
            return redirect("workflow:to_transfer")
    return render(
        request, "workflow/to_transfer.html", {"tips": tips, "form": form, "chosen": set(chosen)}
    )


def _transfer_as_suggested(
    request: AuthedRequest, picked: list[routing.Suggestion]
) -> HttpResponse:
    """Confirm the suggested lead unit for each selected tip in one step (one letter per unit)."""
    if not picked:
        messages.error(request, "请先勾选要转办的线索")
        return redirect("workflow:to_transfer")
    without = [s.tip.number for s in picked if s.lead_unit is None]
    if without:
        messages.error(request, f"以下线索没有建议的牵头单位，请单独选择：{'、'.join(without)}")
        return redirect("workflow:to_transfer")
    groups: dict[int, list[routing.Suggestion]] = {}
    for suggestion in picked:
        assert suggestion.lead_unit is not None
        groups.setdefault(suggestion.lead_unit.pk, []).append(suggestion)
    done = 0
    try:
        with transaction.atomic():
            for group in groups.values():
                lead = group[0].lead_unit
                assert lead is not None
                tips = [s.tip for s in group]
                done += len(services.tips_transfer(actor=request.user, tips=tips, lead_unit=lead))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("workflow:to_transfer")
    except StaleRecordError as exc:
        messages.error(request, str(exc))
        return redirect("workflow:to_transfer")
    messages.success(request, f"已按建议转办{done}条线索（{len(groups)}份转办函）")
    return redirect("workflow:to_transfer")


@staff_view(Perm.TIP_VIEW)
def letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """An issued 转办函 as a page (the .docx comes from the documents app)."""
    obj = selectors.access_letter(user=request.user, letter_id=pk)
    return render(request, "workflow/letter.html", {"letter": obj})
