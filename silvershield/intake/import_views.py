"""Pages of the bulk importer: upload, map columns, watch progress, download rejected rows."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from silvershield.core.permissions import Perm, role_has
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.geo.forms import RegionCascadeField
from silvershield.intake import import_services, importer
from silvershield.intake.models import Channel, ImportJob, ImportSource, ImportState
from silvershield.intake.selectors import home_region
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import User

IMPORT_CHANNELS = [
    (c.value, c.label)
    for c in Channel
    if c
    in {
        Channel.HOTLINE_12345,
        Channel.PLATFORM_12337,
        Channel.POLICE_110,
        Channel.CONSUMER_12315,
        Channel.FINANCE,
        Channel.GRID,
        Channel.TRANSFER,
        Channel.SWEEP,
        Channel.LETTER,
    }
]


def _unit_ids(user: User) -> list[int]:
    return [m.unit_id for m in user.memberships.all() if role_has(m.role, Perm.TIP_CREATE)]


def sources_of(user: User) -> QuerySet[ImportSource]:
    return ImportSource.objects.filter(owner_unit_id__in=_unit_ids(user)).select_related(
        "default_region"
    )


def jobs_of(user: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(source__owner_unit_id__in=_unit_ids(user)).select_related(
        "source", "created_by"
    )


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label="来源",
        queryset=ImportSource.objects.none(),
        required=False,
        empty_label="（新建来源）",
    )
    new_name = forms.CharField(
        label="新来源名称", max_length=100, required=False, help_text="如：湖州市12345热线"
    )
    new_channel = forms.ChoiceField(label="新来源渠道", choices=IMPORT_CHANNELS, required=False)
    new_region = RegionCascadeField(label="新来源默认地区", required=False)
    file = forms.FileField(label="导出文件（.csv 或 .xlsx）")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("source") and not str(data.get("new_name") or "").strip():
            self.add_error("new_name", "请选择已有来源，或填写新来源名称")
        if not data.get("source") and not data.get("new_region"):
            self.add_error("new_region", "新来源须选择默认地区")
        return data


@staff_view(Perm.TIP_CREATE)
def import_list(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["source"].queryset = sources_of(request.user)  # type: ignore[attr-defined]
    form.fields["new_region"].root = home_region(user=request.user, perm=Perm.TIP_CREATE)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = data["source"] or import_services.import_source_create(
                actor=request.user,
                name=data["new_name"],
                channel=data["new_channel"],
                region=data["new_region"],
            )
            job = import_services.import_upload(
                actor=request.user, source=source, upload=data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("intake:import_map", pk=job.pk)
    return render(
        request, "intake/import_list.html", {"form": form, "jobs": jobs_of(request.user)[:50]}
    )


def _job(request: AuthedRequest, pk: int) -> ImportJob:
    job = jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@staff_view(Perm.TIP_CREATE)
def import_map(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state != ImportState.UPLOADED:
        return redirect("intake:import_detail", pk=job.pk)
    choices = [("", "（不导入）"), *[(h, h) for h in job.headers]]
    initial = importer.suggest_mapping(job.headers, job.source.mapping)
    fields = {
        t.name: forms.ChoiceField(
            label=t.label + ("（必选）" if t.required else ""), choices=choices, required=False
        )
        for t in importer.TARGETS
    }
    form = type("MappingForm", (forms.Form,), fields)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            import_services.import_start(actor=request.user, job=job, mapping=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已开始导入，可留在本页查看进度，也可以离开")
            return redirect("intake:import_detail", pk=job.pk)
    return render(request, "intake/import_map.html", {"job": job, "form": form})


@staff_view(Perm.TIP_CREATE)
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "intake/_import_progress.html" if is_htmx(request) else "intake/import_detail.html"
    return render(
        request,
        template,
        {"job": job, "running": job.state in (ImportState.QUEUED, ImportState.RUNNING)},
    )


@staff_view(Perm.TIP_CREATE)
def import_rejected(request: AuthedRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.rejected_report or not Path(job.rejected_report).exists():
        raise Http404
    return FileResponse(
        Path(job.rejected_report).open("rb"),
        as_attachment=True,
        filename=f"导入退回-{job.pk}.csv",
        content_type="text/csv",
    )
