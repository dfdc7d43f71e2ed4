"""The holiday calendar pages (系统 / 节假日安排) for the system administrator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core import holidays
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, staff_view


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(
        label="年份", min_value=holidays.MIN_YEAR, max_value=holidays.MAX_YEAR
    )
    published_on = forms.DateField(
        label="发布日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="国务院办公厅关于该年部分节假日安排的通知的发布日期",
    )
    source = forms.CharField(
        label="依据",
        max_length=300,
        required=False,
        help_text="例如：国办发明电〔2026〕X号",
    )
    days = forms.CharField(
        label="放假与调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=holidays.LINE_HELP + "周末不必逐一填写，只填放假日和调休上班日。",
    )

    def clean_days(self) -> list[holidays.DayEntry]:
        return holidays.holiday_lines_parse(self.cleaned_data["days"])


@staff_view(Perm.CAMPAIGN_MANAGE)
def calendar_list(request: HttpRequest) -> HttpResponse:
    rows = holidays.holiday_year_list()
    known = {row.year for row in rows}
    next_year = timezone.localdate().year + 1
    return render(
        request,
        "core/calendar_list.html",
        {"rows": rows, "next_year": next_year, "next_year_missing": next_year not in known},
    )


@staff_view(Perm.CAMPAIGN_MANAGE)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    days = holidays.holiday_year_days(year=year)
    if days is None:
        raise Http404
    row = next(r for r in holidays.holiday_year_list() if r.year == year)
    return render(request, "core/calendar_year.html", {"row": row, "days": days})


@staff_view(Perm.CAMPAIGN_MANAGE)
def calendar_edit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = HolidayYearForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                holidays.holiday_year_save(
                    actor=request.user,
                    year=data["year"],
                    days=data["days"],
                    published_on=data["published_on"],
                    source=data["source"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已保存 {data['year']} 年节假日安排。")
                return redirect("core:calendar_year", year=data["year"])
    else:
        form = HolidayYearForm(initial=_initial(request.GET.get("year", "")))
    return render(request, "core/calendar_edit.html", {"form": form})


def _initial(year_text: str) -> dict[str, Any]:
    """Pre-fill the form with a known year's days (to correct it), else an empty new year."""
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year + 1
    initial: dict[str, Any] = {"year": year}
    row = next((r for r in holidays.holiday_year_list() if r.year == year), None)
    if row is not None:
        days = holidays.holiday_year_days(year=year) or []
        initial["days"] = holidays.holiday_lines_format(days)
        if not row.builtin:
            initial |= {"published_on": row.published_on, "source": row.source}
    return initial


@staff_view(Perm.CAMPAIGN_MANAGE)
@require_POST
def calendar_delete(request: HttpRequest, year: int) -> HttpResponse:
    try:
        holidays.holiday_year_delete(actor=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除 {year} 年节假日安排。")
    return redirect("core:calendar_list")
