from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, staff_view
from silvershield.documents.letters import transfer_letter_docx
from silvershield.orgs.http import AuthedRequest
from silvershield.workflow.selectors import access_letter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@staff_view(Perm.TIP_VIEW)
def transfer_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(user=request.user, letter_id=pk)
    audit_record(
        actor=request.user,
        action="letter.downloaded",
        obj=letter,
        region_path=letter.issuing_unit.region_path,
        summary=f"下载转办函 {letter.number}",
    )
    return docx_response(transfer_letter_docx(letter), f"转办函{letter.number}.docx")


# -- weekly reports and bulletins (computed by stats, rendered here) ------------------------------


def _office_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    from silvershield.stats.selectors import report_offices

    return [(str(u.pk), u.name) for u in report_offices(user=request.user)]


def _office(request: AuthedRequest, pk: str) -> Any:
    from silvershield.stats.selectors import report_offices

    return next(u for u in report_offices(user=request.user) if str(u.pk) == pk)


@staff_view(Perm.REPORT_ISSUE)
def weekly_new(request: AuthedRequest) -> HttpResponse:
    from silvershield.stats.forms import WeeklyForm
    from silvershield.stats.models import ReportKind
    from silvershield.stats.periods import last_full_week, week_of
    from silvershield.stats.services import report_issue

    form = WeeklyForm(request.POST or None, initial={"week": last_full_week().start})
    form.fields["office"].choices = _office_choices(request)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_issue(
                actor=request.user,
                unit=_office(request, data["office"]),
                kind=ReportKind.WEEKLY,
                period=week_of(data["week"]),
                narrative=data["narrative"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已印发工作周报 {report.number}")
            return redirect("documents:report_detail", pk=report.pk)
    return render(request, "stats/report_new.html", {"form": form, "kind": "weekly"})


@staff_view(Perm.REPORT_ISSUE)
def narrative_check(request: AuthedRequest) -> HttpResponse:
    """htmx: warns as the narrative is typed when it carries figures of its own."""
    from silvershield.stats.reports import narrative_digits

    digits = narrative_digits(request.POST.get("narrative", ""))
    return render(request, "stats/_narrative_check.html", {"digits": digits[:5]})


@staff_view(Perm.REPORT_ISSUE)
def bulletin_new(request: AuthedRequest) -> HttpResponse:
    from silvershield.stats.forms import BulletinForm
    from silvershield.stats.models import ReportKind
    from silvershield.stats.periods import PeriodError, checked
    from silvershield.stats.services import report_issue

    form = BulletinForm(request.POST or None)
    form.fields["office"].choices = _office_choices(request)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = checked(data["date_from"], data["date_to"])
            report = report_issue(
                actor=request.user,
                unit=_office(request, data["office"]),
                kind=ReportKind.BULLETIN,
                period=period,
                campaign=data["campaign"],
            )
        except PeriodError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已印发通报 {report.number}")
            return redirect("documents:report_detail", pk=report.pk)
    return render(request, "stats/report_new.html", {"form": form, "kind": "bulletin"})


@staff_view(Perm.STATS_VIEW)
def report_list(request: AuthedRequest) -> HttpResponse:
    from silvershield.stats.selectors import reports_visible_to

    reports = reports_visible_to(user=request.user)[:200]
    return render(request, "stats/report_list.html", {"reports": reports})


@staff_view(Perm.STATS_VIEW)
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    from silvershield.core.access import access_object
    from silvershield.stats.models import IssuedReport

    report = access_object(
        IssuedReport.objects.select_related("issuing_unit", "region"),
        user=request.user,
        pk=pk,
        perm=Perm.STATS_VIEW,
    )
    return render(request, "stats/report_detail.html", {"report": report})


@staff_view(Perm.STATS_VIEW)
def report_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    from silvershield.core.access import access_object
    from silvershield.documents.bulletin import bulletin_docx
    from silvershield.documents.weekly import weekly_docx
    from silvershield.stats.models import IssuedReport, ReportKind

    report = access_object(
        IssuedReport.objects.select_related("issuing_unit", "region"),
        user=request.user,
        pk=pk,
        perm=Perm.STATS_VIEW,
    )
    audit_record(
        actor=request.user,
        action="report.downloaded",
        obj=report,
        summary=f"下载{report.get_kind_display()} {report.number}",
    )
    data = weekly_docx(report) if report.kind == ReportKind.WEEKLY else bulletin_docx(report)
    return docx_response(data, f"{report.get_kind_display()}{report.number}.docx")
