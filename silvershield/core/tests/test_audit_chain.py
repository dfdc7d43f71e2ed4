import datetime as dt
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from silvershield.core import audit
from silvershield.core.audit import ArchiveRefused, audit_archive, audit_record, audit_verify
from silvershield.core.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db(transaction=False)


class _FrozenTimezone:
    """Stands in for django.utils.timezone inside the audit module: events dated in the past."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action="test.event", summary=f"事件{i}", data={"i": i})
        for i in range(n)
    ]


def _raw(sql: str, params: list[int | str]) -> None:
    """Tamper as a database administrator would: lift the guard, write, restore."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditguard SET archiving = %s WHERE id = 1", [True])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        cursor.execute(sql, params)
        cursor.execute("UPDATE core_auditguard SET archiving = %s WHERE id = 1", [False])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_events_chain_to_each_other() -> None:
    first, second, third = _events(3)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    report = audit_verify()
    assert report.ok
    assert report.checked >= 3


def test_tampered_summary_is_named_by_the_check() -> None:
    events = _events(5)
    victim = events[2]
    _raw("UPDATE core_auditevent SET summary = %s WHERE id = %s", ["改过的", victim.pk])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == victim.pk
    assert "篡改" in report.reason


def test_deleted_event_is_detected_at_the_next_link() -> None:
    events = _events(4)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == events[2].pk


def test_deleting_the_newest_event_is_detected() -> None:
    events = _events(3)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == events[-1].pk


def test_orm_refuses_update_and_delete() -> None:
    (event,) = _events(1)
    event.summary = "x"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_trigger_refuses_raw_update() -> None:
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = %s WHERE id = %s", ["x", event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


def test_archive_refuses_anything_younger_than_six_months(tmp_path: Path) -> None:
    _events(2)
    with pytest.raises(ArchiveRefused):
        audit_archive(before=timezone.now() - dt.timedelta(days=182), directory=tmp_path)
    assert AuditCheckpoint.objects.count() == 0


def test_archive_leaves_a_signed_checkpoint_the_check_starts_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    monkeypatch.setattr(audit, "timezone", _FrozenTimezone(long_ago))
    old = _events(3)
    monkeypatch.undo()
    recent = _events(2)
    checkpoint = audit_archive(before=timezone.now() - dt.timedelta(days=200), directory=tmp_path)
    assert checkpoint.last_event_id == old[-1].pk
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert Path(checkpoint.archive_file).exists()
    report = audit_verify()
    assert report.ok, report
    assert report.started_after == old[-1].pk
    assert AuditEvent.objects.filter(pk=recent[0].pk).exists()


def test_forged_checkpoint_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    monkeypatch.setattr(audit, "timezone", _FrozenTimezone(long_ago))
    _events(2)
    monkeypatch.undo()
    checkpoint = audit_archive(before=timezone.now() - dt.timedelta(days=200), directory=tmp_path)
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(last_hash="f" * 64)
    report = audit_verify()
    assert not report.ok
    assert "签名" in report.reason
