"""Staff side of the portal: the tip page's panel (messages, attachments, receipt code for phone
intake), answering the reporter, opening attachments, pending identity-reveal requests, and the
grid workers' mobile page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from silvershield.core import todo
from silvershield.core.access import has_perm, in_scope
from silvershield.core.permissions import Perm, role_has
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.geo.models import Region
from silvershield.intake import reveal
from silvershield.intake import services as intake_services
from silvershield.intake.models import Channel
from silvershield.intake.selectors import access_tip
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import User
from silvershield.portal import codes, selectors, services
from silvershield.portal.forms import GridTipForm, OriginalForm, ReplyForm
from silvershield.portal.views import page

# -- the tip page's panel ----------------------------------------------------------------------


def _panel_context(request: HttpRequest, tip: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    thread = list(selectors.messages_of(tip=tip))
    return {
        "tip": tip,
        "thread": thread,
        "loose_attachments": list(selectors.attachments_of(tip=tip).filter(message__isnull=True)),
        "has_receipt": selectors.has_receipt(tip=tip),
        "can_reply": in_scope(tip, user=user, perm=Perm.REPORTER_MESSAGE),
        "can_issue": tip.channel in services.RECEIPT_CHANNELS
        and in_scope(tip, user=user, perm=Perm.TIP_CREATE),
        "can_original": in_scope(tip, user=user, perm=Perm.TIP_REVEAL_IDENTITY),
        "reply_form": ReplyForm(),
        **extra,
    }


def tip_panel(request: HttpRequest, tip: Any) -> str:
    """The portal section of the tip page (registered with intake.panels)."""
    if not isinstance(request.user, User):
        return ""
    context = _panel_context(request, tip)
    if not (
        context["thread"]
        or context["loose_attachments"]
        or context["has_receipt"]
        or context["can_issue"]
    ):
        return ""
    return render_to_string("portal/staff/_panel.html", context, request=request)


def _panel_response(request: AuthedRequest, tip: Any, **extra: Any) -> HttpResponse:
    if is_htmx(request):
        return render(request, "portal/staff/_panel.html", _panel_context(request, tip, **extra))
    if extra.get("issued_code"):
        return render(request, "portal/staff/code_issued.html", {"tip": tip, **extra})
    return redirect("intake:detail", pk=tip.pk)


@require_POST
@staff_view(Perm.REPORTER_MESSAGE)
def tip_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = access_tip(user=request.user, tip_id=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.message_from_office(
                actor=request.user, tip=tip, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, "您无权回复该线索的举报人")
        else:
            messages.success(request, "已回复举报人")
            return _panel_response(request, tip)
    if is_htmx(request):
        return render(
            request, "portal/staff/_panel.html", _panel_context(request, tip, reply_form=form)
        )
    return render(request, "portal/staff/reply_page.html", {"tip": tip, "reply_form": form})


@require_POST
@staff_view(Perm.TIP_CREATE)
def tip_receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = access_tip(user=request.user, tip_id=pk)
    try:
        code = services.receipt_issue(actor=request.user, tip=tip)
    except ValidationError as exc:
        return _panel_response(request, tip, receipt_error="；".join(exc.messages))
    except PermissionDenied:
        return _panel_response(request, tip, receipt_error="您无权为该线索发放回执码")
    return _panel_response(request, tip, issued_code=codes.display(code))


def _file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(Perm.TIP_VIEW)
def attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    """The staff copy: photos re-encoded without metadata; PDFs as checked on upload."""
    item = selectors.access_attachment(user=request.user, attachment_id=pk)
    data = services.attachment_open(actor=request.user, attachment=item)
    if item.clean_path:
        return _file_response(data, "image/jpeg", f"attachment-{item.pk}.jpg")
    return _file_response(data, item.content_type, f"attachment-{item.pk}.pdf")


@staff_view(Perm.TIP_REVEAL_IDENTITY)
def attachment_original(request: AuthedRequest, pk: int) -> HttpResponse:
    """The original photo with its metadata: privileged, with a reason, audited."""
    item = selectors.access_attachment(user=request.user, attachment_id=pk)
    form = OriginalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = services.attachment_open(
                actor=request.user,
                attachment=item,
                original=True,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            extension = {"image/png": "png", "image/webp": "webp"}.get(item.content_type, "jpg")
            return _file_response(
                data, item.content_type, f"attachment-{item.pk}-original.{extension}"
            )
    return render(request, "portal/staff/original.html", {"item": item, "form": form})


# -- identity reveal requests awaiting the custodian -------------------------------------------


@staff_view(Perm.IDENTITY_APPROVE)
def reveal_requests(request: AuthedRequest) -> HttpResponse:
    items = list(reveal.reveal_requests_to_decide(user=request.user)[:300])
    return render(request, "portal/staff/reveal_requests.html", {"items": items})


def reveal_todo(user: Any) -> list[todo.TodoItem]:
    if not has_perm(user, Perm.IDENTITY_APPROVE):
        return []
    count = reveal.reveal_requests_to_decide(user=user).count()
    return [
        todo.TodoItem(
            "待审批查看举报人身份", count, reverse("portal:reveal_requests"), urgent=count > 0
        )
    ]


# -- grid workers (网格员) ------------------------------------------------------------------------


def _grid_region(user: User) -> Region | None:
    regions = {
        m.unit.region
        for m in user.memberships.select_related("unit__region")
        if role_has(m.role, Perm.TIP_CREATE)
    }
    return regions.pop() if len(regions) == 1 else None


@staff_view(Perm.TIP_CREATE)
def grid(request: AuthedRequest) -> HttpResponse:
    """A simple phone page for grid workers to file what they find on patrol."""
    form = GridTipForm(request.POST or None, request.FILES or None)
    form.fields["region"].root = _grid_region(request.user)  # type: ignore[attr-defined]
    filed = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = intake_services.tip_create(
                actor=request.user,
                channel=Channel.GRID,
                region=data["region"],
                content=data["content"],
                involved_institution=data["involved_institution"],
                involved_phone=data["involved_phone"],
                money_amount=data["money_amount"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data["attachments"]:
                services.attachments_add(
                    actor=request.user, tip=filed, attachments=data["attachments"]
                )
            form = GridTipForm()
            form.fields["region"].root = _grid_region(request.user)  # type: ignore[attr-defined]
    return page(request, "portal/grid.html", {"form": form, "filed": filed, "grid": True})
