from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core.access import has_perm, in_scope
from silvershield.core.audit import audit_record, timeline
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm, role_has
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.geo.models import Region
from silvershield.intake import exports, panels, reveal, selectors, services
from silvershield.intake.forms import ReporterSearchForm, RevealForm, TipCreateForm, TipFilterForm
from silvershield.intake.selectors import TipFilters
from silvershield.orgs.http import AuthedRequest

EXPORT_LIMIT = 50000


def _home_region(user: Any, perm: Perm) -> Region | None:
    """Where a user's region pickers start: the region of their unit, when they have one unit."""
    regions = {
        m.unit.region
        for m in user.memberships.select_related("unit__region")
        if role_has(m.role, perm)
    }
    return regions.pop() if len(regions) == 1 else None


def _filters(request: AuthedRequest) -> tuple[TipFilterForm, TipFilters]:
    form = TipFilterForm(request.GET or None)
    form.fields["region"].root = _home_region(request.user, Perm.TIP_VIEW)  # type: ignore[attr-defined]
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, TipFilters(
            region=data["region"],
            channel=data["channel"],
            fraud_type=data["fraud_type"],
            state=data["state"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            q=data["q"].strip(),
        )
    return form, TipFilters()


def _filters_label(form: TipFilterForm) -> str:
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value:
            field = form.fields[name]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


@staff_view(Perm.TIP_VIEW)
def tip_list(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.tip_list_visible_to(user=request.user, filters=filters)
    page = keyset_page(qs, order=("received_at", "id"), cursor=request.GET.get("cursor"), size=50)
    query = request.GET.copy()
    query.pop("cursor", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "now": timezone.now(),
        "can_export": has_perm(request.user, Perm.TIP_EXPORT),
    }
    template = (
        "intake/_tip_rows.html"
        if is_htmx(request) and request.GET.get("cursor")
        else "intake/tip_list.html"
    )
    return render(request, template, context)


@staff_view(Perm.TIP_EXPORT)
def tip_export(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.tip_list_visible_to(user=request.user, filters=filters).order_by(
        "-received_at", "-id"
    )
    count = qs.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            f"符合条件的线索有{count}条，超过单次导出上限{EXPORT_LIMIT}条，请缩小筛选范围。",
        )
        return redirect(f"{reverse('intake:list')}?{request.GET.urlencode()}")
    unit = request.user.unit_label()
    content = exports.tips_xlsx(
        tips=qs.iterator(chunk_size=2000), office=unit, filters_label=_filters_label(form)
    )
    audit_record(
        actor=request.user,
        action="tip.exported",
        summary=f"导出线索台账（{count}条）",
        data={"count": count, "filters": _filters_label(form)},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''tips-{stamp}.xlsx"
    return response


@staff_view(Perm.TIP_CREATE)
def tip_create(request: AuthedRequest) -> HttpResponse:
    form = TipCreateForm(request.POST or None)
    form.fields["region"].root = _home_region(request.user, Perm.TIP_CREATE)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reporter = None
        if not data["anonymous"]:
            reporter = services.ReporterInput(
                name=data["reporter_name"],
                phone=data["reporter_phone"],
                id_number=data["reporter_id_number"],
                address=data["reporter_address"],
            )
        try:
            tip = services.tip_create(
                actor=request.user,
                channel=data["channel"],
                region=data["region"],
                content=data["content"],
                title=data["title"],
                involved_institution=data["involved_institution"],
                involved_person=data["involved_person"],
                involved_phone=data["involved_phone"],
                money_amount=data["money_amount"],
                victim_count=data["victim_count"],
                occurred_on=data["occurred_on"],
                reporter=reporter,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记线索 {tip.number}")
            if has_perm(request.user, Perm.TIP_VIEW) and in_scope(
                tip, user=request.user, perm=Perm.TIP_VIEW
            ):
                return redirect("intake:detail", pk=tip.pk)
            return redirect("intake:create")
    return render(request, "intake/tip_form.html", {"form": form})


@staff_view(Perm.TIP_VIEW)
def tip_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = selectors.access_tip(user=request.user, tip_id=pk)
    services.tip_record_view(actor=request.user, tip=tip)
    return render(
        request,
        "intake/tip_detail.html",
        {
            "tip": tip,
            "events": timeline(obj=tip).exclude(action="tip.viewed"),
            "view_count": timeline(obj=tip).filter(action="tip.viewed").count(),
            "reveal_form": RevealForm(),
            "can_reveal": in_scope(tip, user=request.user, perm=Perm.TIP_REVEAL_IDENTITY),
            "panels": panels.render_panels(request, tip),
        },
    )


@require_POST
@staff_view(Perm.TIP_VIEW)
def tip_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """The reporter section of the tip page: the two-person identity reveal (intake.reveal).

    ``step`` is ``request`` (a handler files a reason), ``approve``/``refuse`` (the identity
    custodian decides) or ``open`` (the requester opens an approved, unexpired request)."""
    tip = selectors.access_tip(user=request.user, tip_id=pk)
    step = request.POST.get("step", "request")
    form = RevealForm(request.POST if step == "request" else None)
    context: dict[str, Any] = {
        "tip": tip,
        "can_reveal": reveal.may_request(user=request.user, tip=tip),
    }
    try:
        if step == "request":
            if form.is_valid():
                reveal.reveal_request(
                    actor=request.user, tip=tip, reason=form.cleaned_data["reason"]
                )
                form = RevealForm()
                context["notice"] = "申请已提交，须经身份信息保管人批准后才能查看。"
        elif step in {"approve", "refuse"}:
            item = reveal.access_reveal_request(
                user=request.user, tip=tip, request_id=request.POST.get("request_id", "")
            )
            reveal.reveal_decide(
                actor=request.user,
                request=item,
                approve=step == "approve",
                note=request.POST.get("note", "")[:300],
            )
        elif step == "open":
            item = reveal.access_reveal_request(
                user=request.user, tip=tip, request_id=request.POST.get("request_id", "")
            )
            context["identity"] = reveal.reveal_open(actor=request.user, request=item)
            context["opened"] = item
        else:
            context["error"] = "未知的操作"
    except ValidationError as exc:
        if step == "request":
            add_service_errors(form, exc)
        else:
            context["error"] = "；".join(exc.messages)
    except PermissionDenied:
        context["denied"] = True
        context["reveal_form"] = RevealForm()
        return render(request, "intake/_reveal.html", context, status=403)
    context["reveal_form"] = form
    return render(request, "intake/_reveal.html", context)


@staff_view(Perm.REPORTER_SEARCH)
def reporter_search(request: AuthedRequest) -> HttpResponse:
    form = ReporterSearchForm(request.GET or None)
    tips = None
    if form.is_bound and form.is_valid():
        tips = list(
            selectors.tips_by_reporter(
                user=request.user,
                phone=form.cleaned_data["phone"],
                id_number=form.cleaned_data["id_number"],
            ).order_by("-received_at")[:200]
        )
        audit_record(
            actor=request.user,
            action="reporter.searched",
            summary=f"按举报人查询线索（{len(tips)}条）",
            data={
                "by_phone": bool(form.cleaned_data["phone"]),
                "by_id": bool(form.cleaned_data["id_number"]),
            },
        )
    return render(request, "intake/reporter_search.html", {"form": form, "tips": tips})
