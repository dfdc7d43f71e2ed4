"""Writes of the bulk importer (see importer.py for the format handling)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
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
from silvershield.intake.services import (
    ReporterInput,
    creating_unit,
    tip_build,
    tips_file,
)
from silvershield.orgs.models import Unit, User
from silvershield.screening import screen_many

MAX_UPLOAD = 1024 * 1024 * 1024  # 1 GiB
CHUNK = 10000  # rows per transaction (and per progress step: 1% of a million-row export)
LEDGER_BATCH = 300  # rows per INSERT on SQLite (bound-parameter limit)


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


@dataclass
class _Run:
    """What one import run carries from chunk to chunk."""

    job: ImportJob
    source: ImportSource
    actor: User
    columns: dict[str, int]
    regions: list[tuple[str, Region]]
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    kept_ids: list[int] = field(default_factory=list)
    units: dict[int, Unit | str] = field(default_factory=dict)  # region id → unit or error
    tz: dt.tzinfo = field(default_factory=timezone.get_current_timezone)


@dataclass
class _Row:
    line: int
    row_id: str
    values: dict[str, Any]


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
    try:
        require(actor, Perm.TIP_CREATE)
        if source.channel not in Channel.values:
            raise importer.ImportFormatError("导入来源的渠道无效")
        job.total_rows = importer.count_rows(path, job.file_format)
    except (importer.ImportFormatError, PermissionDenied) as exc:
        job.state, job.error = ImportState.FAILED, (str(exc) or "无权登记线索")[:500]
        job.stored_path, job.finished_at = "", timezone.now()
        path.unlink(missing_ok=True)
        job.save(update_fields=["state", "error", "stored_path", "started_at", "finished_at"])
        return job
    job.save(update_fields=["state", "started_at", "total_rows"])
    run = _Run(job, source, actor, columns, _regions_under(source.default_region))
    try:
        rows = importer.iter_rows(path, job.file_format)
        next(rows, None)  # the heading row
        for chunk in _chunks(rows, CHUNK):
            with transaction.atomic():
                _import_chunk(run, chunk)
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
    if run.rejected:
        report = _import_dir() / f"rejected-{job.pk}-{secrets.token_hex(6)}.csv"
        report.write_bytes(importer.rejected_report(run.rejected))
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
        data={"tips": run.kept_ids[:5000], "state": job.state},
    )
    return job


def _parse_chunk(run: _Run, chunk: list[tuple[int, list[str]]]) -> list[_Row]:
    """Rows with an id, content and readable values; the rest go to the rejected report."""
    job, columns, rejected = run.job, run.columns, run.rejected

    def get(cells: list[str], target: str) -> str:
        index = columns.get(target)
        return cells[index] if index is not None and index < len(cells) else ""

    parsed: list[_Row] = []
    seen: set[str] = set()
    for line, cells in chunk:
        if not any(cells):
            continue
        job.processed += 1
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
                "received_at": importer.parse_time(get(cells, "received_at"), run.tz),
                "money_amount": importer.parse_money(get(cells, "money_amount")),
            }
        except ValueError as exc:
            rejected.append((line, str(exc), row_id))
            continue
        if row_id in seen:
            job.already_imported += 1
            continue
        seen.add(row_id)
        for target in (
            "title",
            "region_text",
            "involved_institution",
            "involved_phone",
            "reporter_name",
            "reporter_phone",
        ):
            values[target] = get(cells, target)
        values["content"] = content
        parsed.append(_Row(line, row_id, values))
    return parsed


def _import_chunk(run: _Run, chunk: list[tuple[int, list[str]]]) -> None:
    job, source = run.job, run.source
    parsed = _parse_chunk(run, chunk)
    ledger = _ledger_claim(source=source, job=job, row_ids=[r.row_id for r in parsed])
    fresh = [r for r in parsed if r.row_id in ledger]
    job.already_imported += len(parsed) - len(fresh)
    candidates = [
        r for r in fresh if importer.passes_prefilter(r.values["content"] + r.values["title"])
    ]
    results = screen_many([r.values["title"] + "\n" + r.values["content"] for r in candidates])
    relevant = [r for r, s in zip(candidates, results, strict=True) if s.is_relevant]
    job.irrelevant += len(fresh) - len(relevant)
    filed, refused = _tips_file(run, relevant)
    if refused:  # a row refused as a tip is not in the ledger: it may come again, corrected
        ImportedRow.objects.filter(pk__in=[ledger[r.row_id] for r in refused]).delete()
    ImportedRow.objects.bulk_update(
        [ImportedRow(pk=ledger[r.row_id], tip_id=tip.pk) for r, tip in filed], ["tip"]
    )
    job.kept += len(filed)
    job.rejected = len(run.rejected)
    ids = [tip.pk for _, tip in filed]
    run.kept_ids += ids
    if ids:
        from silvershield.intake.tasks import screen_tips_task

        # one follow-up task (screening record, linking) per chunk, not one per tip
        transaction.on_commit(lambda: screen_tips_task.delay(ids))


def _ledger_claim(*, source: ImportSource, job: ImportJob, row_ids: list[str]) -> dict[str, int]:
    """Enter these source row ids in the ledger; ids already there are skipped (the unique key
    decides, also against a concurrent import of overlapping rows). Returns the new ledger rows'
    ids by source row id: exactly the rows this import is the first to see."""
    if not row_ids:
        return {}
    # Only our own quoted table name and the driver's %s parameters go into the SQL text; the row
    # ids travel as bound parameters.
    into = f"INSERT INTO {connection.ops.quote_name(ImportedRow._meta.db_table)}"
    into += " (source_id, source_row_id, job_id)"
    tail = "ON CONFLICT (source_id, source_row_id) DO NOTHING RETURNING source_row_id, id"
    claimed: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"{into} SELECT %s, r, %s FROM unnest(%s::varchar[]) AS r {tail}"  # noqa: S608
            cursor.execute(sql, [source.pk, job.pk, row_ids])
            claimed.update(cursor.fetchall())
            return claimed
        for start in range(0, len(row_ids), LEDGER_BATCH):
            part = row_ids[start : start + LEDGER_BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(part))
            sql = f"{into} VALUES {values} {tail}"
            cursor.execute(sql, [v for row_id in part for v in (source.pk, row_id, job.pk)])
            claimed.update(cursor.fetchall())
    return claimed


def _unit_for(run: _Run, region: Region) -> Unit | str:
    if region.pk not in run.units:
        try:
            run.units[region.pk] = creating_unit(actor=run.actor, region=region)
        except ValidationError as exc:
            run.units[region.pk] = "；".join(exc.messages)[:200]
    return run.units[region.pk]


def _tips_file(run: _Run, rows: list[_Row]) -> tuple[list[tuple[_Row, Tip]], list[_Row]]:
    """File the relevant rows of a chunk as tips: each checked and built by
    ``services.tip_build`` as a tip filed by hand, then all filed by ``services.tips_file`` in one
    batch (one numbering lock, one insert). Returns (filed, refused)."""
    if not rows:
        return [], []
    source = run.source
    ready: list[tuple[_Row, Tip, ReporterInput | None]] = []
    refused: list[_Row] = []
    refs = {r.row_id: f"S{source.pk}-{r.row_id}"[:64] for r in rows}
    taken = set(
        Tip.objects.filter(channel=source.channel, source_ref__in=refs.values()).values_list(
            "source_ref", flat=True
        )
    )
    for row in rows:
        v = row.values
        region = next((r for name, r in run.regions if name in v["region_text"]), None)
        region = region or source.default_region
        given = ReporterInput(name=v["reporter_name"][:50], phone=v["reporter_phone"][:40])
        reporter = None if given.is_empty else given
        unit = _unit_for(run, region)
        tip, field_errors = tip_build(
            actor=run.actor,
            unit=None if isinstance(unit, str) else unit,
            channel=source.channel,
            region=region,
            content=v["content"],
            received_at=v["received_at"],
            title=v["title"],
            involved_institution=v["involved_institution"],
            involved_phone=v["involved_phone"],
            money_amount=v["money_amount"],
            reporter=reporter,
            source_ref=refs[row.row_id],
        )
        errors = list(field_errors.values())
        if refs[row.row_id] in taken:
            errors.append("该来源编号的线索已经登记过")
        if isinstance(unit, str):
            errors.append(unit)
        if errors:
            run.rejected.append((row.line, "；".join(errors)[:200], row.row_id))
            refused.append(row)
            continue
        ready.append((row, tip, reporter))
    tips_file(actor=run.actor, drafts=[(tip, reporter) for _, tip, reporter in ready])
    return [(row, tip) for row, tip, _ in ready], refused
