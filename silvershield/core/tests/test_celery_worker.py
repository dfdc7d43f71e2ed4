"""A real Celery worker on Redis runs a task against the test database (PostgreSQL only: a
worker process cannot see SQLite's in-memory test database; the SQLite run deselects it)."""

import pytest

from silvershield.core.models import AuditEvent
from silvershield.core.tasks import audit_verify_task

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_worker_on_redis_runs_the_audit_verification(celery_queue: str) -> None:
    result = audit_verify_task.apply_async(queue=celery_queue, ignore_result=False)
    assert result.get(timeout=90) is True
    event = AuditEvent.objects.get(action="audit.verified")
    assert event.outcome == "success"
