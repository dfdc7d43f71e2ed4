"""Writing, reading and verifying the audit trail."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from silvershield.core import crypto
from silvershield.core.models import (
    AuditCheckpoint,
    AuditEvent,
    AuditGuard,
    AuditHead,
    AuditOutcome,
)

GENESIS = "0" * 64
MIN_RETENTION = dt.timedelta(days=183)  # 网络安全法 Art. 21: keep logs at least six months


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_unit": event.actor_unit,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "region_path": event.region_path,
        "outcome": event.outcome,
        "summary": event.summary,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def object_label(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _actor_fields(actor: Any) -> tuple[int | None, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", ""
    unit = getattr(actor, "unit_label", "")
    return int(actor.pk), str(actor.get_username()), str(unit() if callable(unit) else unit)


@dataclass(frozen=True)
class Entry:
    """One event to append (see :func:`audit_record` for the fields)."""

    actor: Any
    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    region_path: str = ""
    summary: str = ""
    data: dict[str, Any] | None = None
    outcome: str = AuditOutcome.SUCCESS


def _event(entry: Entry, *, prev_hash: str, at: dt.datetime) -> AuditEvent:
    object_type, object_id, region_path = entry.object_type, entry.object_id, entry.region_path
    if entry.obj is not None:
        object_type, object_id = object_label(entry.obj)
        region_path = region_path or str(getattr(entry.obj, "region_path", "") or "")
    actor_id, actor_name, actor_unit = _actor_fields(entry.actor)
    event = AuditEvent(
        occurred_at=at,
        actor_id=actor_id,
        actor_name=actor_name,
        actor_unit=actor_unit[:200],
        action=entry.action,
        object_type=object_type,
        object_id=object_id,
        region_path=region_path,
        outcome=entry.outcome,
        summary=entry.summary[:500],
        data=json.loads(json.dumps(entry.data or {}, default=str)),
        prev_hash=prev_hash,
    )
    event.hash = compute_hash(event)
    return event


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_path: str = "",
    summary: str = "",
    data: dict[str, Any] | None = None,
    outcome: str = AuditOutcome.SUCCESS,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``data`` must never carry personal information (reporter identity, tip text).
    """
    entry = Entry(actor, action, obj, object_type, object_id, region_path, summary, data, outcome)
    return audit_record_many([entry])[0]


def audit_record_many(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append several events to the chain in order, under one lock of its head and with one
    insert (a bulk import's "tip.created" events), in the caller's transaction."""
    if not entries:
        return []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        prev_hash, at, events = head.last_hash, timezone.now(), []
        for entry in entries:
            event = _event(entry, prev_hash=prev_hash, at=at)
            prev_hash = event.hash
            events.append(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # One INSERT: the ids follow the list's order, which is the chain's.
            AuditEvent.objects.bulk_create(events)
        assert events[-1].pk is not None
        head.last_event_id = events[-1].pk
        head.last_hash = events[-1].hash
        head.save(update_fields=["last_event_id", "last_hash"])
    return events


def timeline(*, obj: models.Model) -> models.QuerySet[AuditEvent]:
    object_type, object_id = object_label(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).order_by("id")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    started_after: int = 0


def _checkpoint_message(cp: AuditCheckpoint) -> bytes:
    return f"{cp.first_event_id}:{cp.last_event_id}:{cp.last_hash}:{cp.event_count}:{cp.archive_sha256}".encode()


def audit_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk the chain from the newest valid checkpoint (or genesis) and name the first broken link."""
    prev_hash = GENESIS
    start_after = 0
    checkpoint = AuditCheckpoint.objects.order_by("-last_event_id").first()
    if checkpoint is not None:
        expected = crypto.audit_signature(_checkpoint_message(checkpoint))
        if expected != checkpoint.signature:
            return ChainReport(False, 0, checkpoint.last_event_id, "归档检查点签名无效", 0)
        prev_hash = checkpoint.last_hash
        start_after = checkpoint.last_event_id
    checked = 0
    for event in _iter_events(start_after, chunk_size):
        checked += 1
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, checked, event.pk, "前序哈希不连续（有记录被删除或插入）", start_after
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                False, checked, event.pk, "记录内容与哈希不符（记录被篡改）", start_after
            )
        prev_hash = event.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_event_id > start_after and head.last_hash != prev_hash:
        return ChainReport(
            False, checked, head.last_event_id, "链尾记录缺失（最新记录被删除）", start_after
        )
    return ChainReport(True, checked, None, "", start_after)


def _iter_events(after_id: int, chunk_size: int) -> Iterator[AuditEvent]:
    last = after_id
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:chunk_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


class ArchiveRefused(ValueError):
    pass


def audit_archive(*, before: dt.datetime, directory: Path, actor: Any = None) -> AuditCheckpoint:
    """Move events older than ``before`` to a gzipped JSON-lines file and leave a signed checkpoint.

    Refuses anything younger than six months, and a chain that does not verify.
    """
    if before > timezone.now() - MIN_RETENTION:
        raise ArchiveRefused("审计记录须保存不少于6个月（183天），不得归档更新的记录")
    report = audit_verify()
    if not report.ok:
        raise ArchiveRefused(f"审计链校验未通过（#{report.first_broken_id}），不得归档")
    start_after = report.started_after
    events = AuditEvent.objects.filter(id__gt=start_after, occurred_at__lt=before).order_by("id")
    last = events.last()
    if last is None:
        raise ArchiveRefused("没有可归档的记录")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-{start_after + 1}-{last.pk}.jsonl.gz"
    digest = hashlib.sha256()
    count = 0
    first_id = 0
    with gzip.open(path, "wb") as fh:
        for event in _iter_range(start_after, last.pk):
            line = _canonical(event) + b"|" + event.hash.encode() + b"\n"
            digest.update(line)
            fh.write(line)
            first_id = first_id or event.pk
            count += 1
    with transaction.atomic():
        AuditGuard.objects.update_or_create(pk=1, defaults={"archiving": True})
        checkpoint = AuditCheckpoint(
            created_at=timezone.now(),
            first_event_id=first_id,
            last_event_id=last.pk,
            last_hash=last.hash,
            event_count=count,
            archive_file=str(path),
            archive_sha256=digest.hexdigest(),
        )
        checkpoint.signature = crypto.audit_signature(_checkpoint_message(checkpoint))
        checkpoint.save()
        table = AuditEvent._meta.db_table
        with connection.cursor() as cursor:
            sql = f"DELETE FROM {table} WHERE id > %s AND id <= %s"  # noqa: S608 - table name from the model
            cursor.execute(sql, [start_after, last.pk])
        AuditGuard.objects.filter(pk=1).update(archiving=False)
        audit_record(
            actor=actor,
            action="audit.archived",
            summary=f"归档审计记录 #{first_id}–#{last.pk}，共{count}条",
            data={"first_id": first_id, "last_id": last.pk, "count": count, "file": path.name},
        )
    return checkpoint


def _iter_range(after_id: int, last_id: int) -> Iterable[AuditEvent]:
    for event in _iter_events(after_id, 5000):
        if event.pk > last_id:
            return
        yield event
