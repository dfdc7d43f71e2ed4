"""Writes of the bulk importer (see importer.py for the format handling)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from silvershield.core.access import require
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.intake import importer
from silvershield.intake.models import (
    Channel,
    ImportedRow,
    ImportJob,
    ImportSource,
    ImportState,
    Tip,
)
from silvershield.intake.services import ReporterInput, creating_unit, tip_create
from silvershield.orgs.models import User
from silvershield.screening import screen_many

MAX_UPLOAD = 1024 * 1024 * 1024  # 1 GiB
CHUNK = 2000


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def import_source_create(*, actor: User, name: str, channel: str, region: Region) -> ImportSource:
    require(actor, Perm.TIP_CREATE)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写来源名称"
    elif ImportSource.objects.filter(name=name).exists():
        errors["name"] = "已有同名来源"
    if channel not in Channel.values:
        errors["channel"] = "渠道无效"
    try:
        unit = creating_unit(actor=actor, region=region)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    source = ImportSource.objects.create(
        name=name, channel=channel, owner_unit=unit, default_region=region
    )
    audit_record(
        actor=actor, action="import.source_created", obj=source, summary=f"新建导入来源：{name}"
    )
    return source


def import_upload(*, actor: User, source: ImportSource, upload: UploadedFile) -> ImportJob:
    """Store an export and read its headings; a file in the wrong format is refused here."""
    require(actor, Perm.TIP_CREATE)
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": "文件是空的"})
    if upload.size > MAX_UPLOAD:
        raise ValidationError({"file": "文件超过1GB，请分批导出"})
    head = upload.read(65536)
    upload.seek(0)
    try:
        file_format = importer.sniff(head, upload.name or "")
    except importer.ImportFormatError as exc:
        raise ValidationError({"file": str(exc)}) from None
    path = _import_dir() / f"{secrets.token_hex(16)}.{file_format}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    try:
        headers = importer.read_headers(path, file_format)
    except importer.ImportFormatError as exc:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": str(exc)}) from None
    job = ImportJob.objects.create(
        source=source,
        created_by=actor,
        created_at=timezone.now(),
        original_name=(upload.name or "")[:255],
        file_format=file_format,
        stored_path=str(path),
        headers=headers,
    )
    audit_record(
        actor=actor, action="import.uploaded", obj=job, summary=f"上传导入文件：{job.original_name}"
    )
    return job


@transaction.atomic
def import_start(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Remember the mapping for the source and queue the import."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.state != ImportState.UPLOADED:
        raise ValidationError({"__all__": "该导入已开始或已完成"})
    mapping = {k: v for k, v in mapping.items() if k in importer.TARGET_NAMES and v}
    errors = importer.mapping_errors(mapping, job.headers)
    if errors:
        raise ValidationError(errors)
    source = job.source
    source.mapping = mapping
    source.save(update_fields=["mapping", "updated_at"])
    job.state = ImportState.QUEUED
    job.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="import.queued",
        obj=job,
        summary="设置列对应并开始导入",
        data={"mapping": mapping},
    )
    from silvershield.intake.tasks import import_run_task

    transaction.on_commit(lambda: import_run_task.delay(job.pk))
    return job


def _chunks(
    rows: Iterator[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _regions_under(region: Region) -> list[tuple[str, Region]]:
    names = [
        (r.name, r)
        for r in Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk)
    ]
    return sorted(names, key=lambda nr: -len(nr[0]))


def import_run(*, job: ImportJob) -> ImportJob:
    """Stream the file in chunks; each chunk is one transaction, so progress shows as it goes."""
    if job.state not in (ImportState.QUEUED, ImportState.RUNNING):
        return job
    actor = job.created_by
    if actor is None:
        job.state, job.error = ImportState.FAILED, "上传人账号已删除"
        job.save(update_fields=["state", "error"])
        return job
    path = Path(job.stored_path)
    source = job.source
    columns = {
        target: job.headers.index(col)
        for target, col in source.mapping.items()
        if col in job.headers
    }
    job.state, job.started_at = ImportState.RUNNING, timezone.now()
    job.total_rows = importer.count_rows(path, job.file_format)
    job.save(update_fields=["state", "started_at", "total_rows"])
    regions = _regions_under(source.default_region)
    rejected: list[tuple[int, str, str]] = []
    kept_ids: list[int] = []
    try:
        rows = importer.iter_rows(path, job.file_format)
        next(rows, None)  # the heading row
        for chunk in _chunks(rows, CHUNK):
            with transaction.atomic():
                kept_ids += _import_chunk(job, source, actor, columns, regions, chunk, rejected)
                job.save(
                    update_fields=[
                        "processed",
                        "kept",
                        "irrelevant",
                        "already_imported",
                        "rejected",
                    ]
                )
    except importer.ImportFormatError as exc:
        job.state, job.error = ImportState.FAILED, str(exc)[:500]
    else:
        job.state = ImportState.DONE
    if rejected:
        report = _import_dir() / f"rejected-{job.pk}-{secrets.token_hex(6)}.csv"
        report.write_bytes(importer.rejected_report(rejected))
        job.rejected_report = str(report)
    path.unlink(
        missing_ok=True
    )  # the export holds personal information: keep it no longer than needed
    job.stored_path, job.finished_at = "", timezone.now()
    job.save(update_fields=["state", "error", "rejected_report", "stored_path", "finished_at"])
    audit_record(
        actor=actor,
        action="import.finished",
        obj=job,
        summary=(
            f"导入完成：{job.processed}行，登记线索{job.kept}条，非养老诈骗{job.irrelevant}条，"
            f"已导入过{job.already_imported}条，退回{job.rejected}行"
        ),
        data={"tips": kept_ids[:5000], "state": job.state},
    )
    return job


def _import_chunk(
    job: ImportJob,
    source: ImportSource,
    actor: User,
    columns: dict[str, int],
    regions: list[tuple[str, Region]],
    chunk: list[tuple[int, list[str]]],
    rejected: list[tuple[int, str, str]],
) -> list[int]:
    def get(cells: list[str], target: str) -> str:
        index = columns.get(target)
        return cells[index] if index is not None and index < len(cells) else ""

    parsed: list[tuple[int, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for line, cells in chunk:
        job.processed += 1
        if not any(cells):
            job.processed -= 1
            continue
        row_id = get(cells, importer.SOURCE_ID)[:64]
        content = get(cells, importer.CONTENT)
        if not row_id:
            rejected.append((line, "缺少来源编号", ""))
            continue
        if not content:
            rejected.append((line, "内容为空", row_id))
            continue
        try:
            values: dict[str, Any] = {
                "received_at": importer.parse_time(get(cells, "received_at")),
                "money_amount": importer.parse_money(get(cells, "money_amount")),
            }
        except ValueError as exc:
            rejected.append((line, str(exc), row_id))
            continue
        if row_id in seen:
            job.already_imported += 1
            continue
        seen.add(row_id)
        values.update(
            {
                t: get(cells, t)
                for t in (
                    "title",
                    "region_text",
                    "involved_institution",
                    "involved_phone",
                    "reporter_name",
                    "reporter_phone",
                )
            }
        )
        values["content"] = content
        parsed.append((line, row_id, values))
    known = set(
        ImportedRow.objects.filter(
            source=source, source_row_id__in=[r for _, r, _ in parsed]
        ).values_list("source_row_id", flat=True)
    )
    fresh = [p for p in parsed if p[1] not in known]
    job.already_imported += len(parsed) - len(fresh)
    candidates = [p for p in fresh if importer.passes_prefilter(p[2]["content"] + p[2]["title"])]
    results = (
        screen_many([p[2]["title"] + "\n" + p[2]["content"] for p in candidates])
        if candidates
        else []
    )
    relevant = {p[1] for p, s in zip(candidates, results, strict=True) if s.is_relevant}
    ledger: list[ImportedRow] = []
    kept: list[int] = []
    for line, row_id, values in fresh:
        tip: Tip | None = None
        if row_id in relevant:
            region = next(
                (r for name, r in regions if name in values["region_text"]), source.default_region
            )
            reporter = ReporterInput(
                name=values["reporter_name"][:50], phone=values["reporter_phone"][:40]
            )
            try:
                tip = tip_create(
                    actor=actor,
                    channel=source.channel,
                    region=region,
                    content=values["content"],
                    title=values["title"][:100],
                    received_at=values["received_at"],
                    involved_institution=values["involved_institution"],
                    involved_phone=values["involved_phone"],
                    money_amount=values["money_amount"],
                    reporter=reporter if not reporter.is_empty else None,
                    source_ref=f"S{source.pk}-{row_id}"[:64],
                )
            except ValidationError as exc:
                rejected.append((line, "；".join(exc.messages)[:200], row_id))
                continue
            job.kept += 1
            kept.append(tip.pk)
        else:
            job.irrelevant += 1
        ledger.append(ImportedRow(source=source, source_row_id=row_id, job=job, tip=tip))
    ImportedRow.objects.bulk_create(ledger, batch_size=CHUNK, ignore_conflicts=True)
    job.rejected = len(rejected)
    return kept
