"""Public pages: home, the report form, the receipt, the status page with its message thread,
and the large-type switch. No login; no address or user agent is stored or logged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from silvershield.core.webutil import add_service_errors
from silvershield.intake.models import Tip
from silvershield.intake.services import ReporterInput
from silvershield.portal import abuse, codes, selectors, services
from silvershield.portal.forms import WHAT_LABELS, LookupForm, MessageForm, ReportForm
from silvershield.portal.models import Submission

LARGE_COOKIE = "ss_large"
SESSION_TIP = "portal_tip"
SESSION_SECONDS = 30 * 60


def is_large(request: HttpRequest) -> bool:
    return request.COOKIES.get(LARGE_COOKIE) == "1"


def page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    ctx = {"large": is_large(request), **(context or {})}
    response = render(request, template, ctx, status=status)
    response["Cache-Control"] = "no-store"
    return response


def too_many(request: HttpRequest, message: str) -> HttpResponse:
    return page(request, "portal/too_many.html", {"message": message}, status=429)


def home(request: HttpRequest) -> HttpResponse:
    return page(request, "portal/home.html")


@require_POST
def large_type(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if is_large(request):
        response.delete_cookie(LARGE_COOKIE)
    else:
        response.set_cookie(
            LARGE_COOKIE, "1", max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
        )
    return response


def _report_content(data: dict[str, Any]) -> tuple[str, str]:
    """The tip's text and title: the description, plus what the form asked separately."""
    lines = [str(data["content"]).strip()]
    what = data.get("what") or ""
    if what:
        lines.append(f"【举报人选择的情况】{WHAT_LABELS[what]}")
    if str(data.get("involved_site") or "").strip():
        lines.append(f"【涉及网站、App或微信群】{str(data['involved_site']).strip()}")
    title = f"网上举报：{WHAT_LABELS[what]}"[:100] if what else ""
    return "\n".join(lines), title


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    challenge = abuse.challenge_new()
    if request.method != "POST":
        return _report_page(request, ReportForm(), codes.token_new(), challenge)
    token = request.POST.get("token", "")[:100]
    form = ReportForm(request.POST, request.FILES)
    if "refresh" in request.POST:  # no-JS region picker: show the next level's options
        return _report_page(request, form, token, challenge, refresh=True)
    if not form.is_valid():
        return _report_page(request, form, token, challenge)
    nonce = abuse.challenge_check(
        token=request.POST.get("challenge", ""),
        proof=request.POST.get("pow", ""),
        answer=request.POST.get("answer", ""),
    )
    existing = Submission.objects.filter(
        token_hash=codes.token_hash(token), tip__isnull=False
    ).exists()
    if not existing:
        if not abuse.hit(abuse.submit_limit(), abuse.client_hash(request)):
            return too_many(request, "提交太频繁了，请过一个小时再试。情况紧急请直接拨打110。")
        if nonce is None or abuse.challenge_used(nonce):
            form.add_error(None, "请回答页面最下方的算术题（用于防止机器批量提交）")
            return _report_page(request, form, token, challenge, challenge_failed=True)
    data = form.cleaned_data
    content, title = _report_content(data)
    reporter = None
    if not data["anonymous"]:
        reporter = ReporterInput(
            name=data["reporter_name"],
            phone=data["reporter_phone"],
            address=data["reporter_address"],
        )
    try:
        filed = services.portal_tip_create(
            token=token,
            report=services.PublicReport(
                content=content,
                region=data["region"],
                title=title,
                occurred_on=data["occurred_on"],
                money_amount=data["money_amount"],
                involved_institution=data["involved_institution"],
                involved_person=data["involved_person"],
                involved_phone=data["involved_phone"],
                reporter=reporter,
                passphrase=data["passphrase"],
            ),
            attachments=data["attachments"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _report_page(request, form, token, challenge)
    if nonce is not None:
        abuse.challenge_spend(nonce)
    return page(
        request,
        "portal/receipt.html",
        {
            "code": codes.display(filed.code),
            "number": filed.tip.number,
            "received_at": filed.tip.received_at,
            "has_passphrase": bool(data["passphrase"]) and filed.created,
        },
    )


def _report_page(
    request: HttpRequest,
    form: ReportForm,
    token: str,
    challenge: abuse.Challenge,
    *,
    refresh: bool = False,
    challenge_failed: bool = False,
) -> HttpResponse:
    return page(
        request,
        "portal/report.html",
        {
            "form": form,
            "token": token or codes.token_new(),
            "challenge": challenge,
            "refresh": refresh,
            "challenge_failed": challenge_failed,
            "show_errors": form.is_bound and not refresh,
        },
    )


def _session_tip(request: HttpRequest) -> Tip | None:
    tip_id = request.session.get(SESSION_TIP)
    if not isinstance(tip_id, int):
        return None
    return Tip.objects.select_related("region").filter(pk=tip_id).first()


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """Look up a tip with its receipt code (+ passphrase), then follow it."""
    tip = _session_tip(request)
    if request.method == "POST":
        form = LookupForm(request.POST)
        client_ok = abuse.hit(abuse.lookup_limit(), abuse.client_hash(request))
        prefix_ok = abuse.hit(abuse.prefix_limit(), codes.code_prefix(request.POST.get("code", "")))
        if not (client_ok and prefix_ok):
            return too_many(request, "查询次数太多了，请过十五分钟再试。")
        if form.is_valid():
            found = services.receipt_lookup(
                code=form.cleaned_data["code"], passphrase=form.cleaned_data["passphrase"]
            )
            if found is not None:
                request.session.cycle_key()
                request.session[SESSION_TIP] = found.pk
                request.session.set_expiry(SESSION_SECONDS)
                return redirect("portal:status")
            form.add_error(None, "没有找到。请核对回执码（和查询密码）后再试。")
        return page(request, "portal/lookup.html", {"form": form})
    if tip is None:
        return page(request, "portal/lookup.html", {"form": LookupForm()})
    return _status_page(request, tip, MessageForm())


def _status_page(request: HttpRequest, tip: Tip, form: MessageForm, **extra: Any) -> HttpResponse:
    return page(
        request,
        "portal/status.html",
        {"view": selectors.reporter_view(tip=tip), "form": form, **extra},
    )


@require_POST
def status_message(request: HttpRequest) -> HttpResponse:
    tip = _session_tip(request)
    if tip is None:
        return redirect("portal:status")
    if not abuse.hit(abuse.message_limit(), abuse.client_hash(request)):
        return too_many(request, "留言太频繁了，请过一个小时再试。")
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_from_reporter(
                tip=tip,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _status_page(request, tip, MessageForm(), sent=True)
    return _status_page(request, tip, form)


@require_POST
def status_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_TIP, None)
    return redirect("portal:home")
