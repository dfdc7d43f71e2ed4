"""A real Celery worker on Redis runs a task against the test database (PostgreSQL only: a
worker process cannot see SQLite's in-memory test database; the SQLite run deselects it)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app
from silvershield.core.models import AuditEvent
from silvershield.core.tasks import audit_verify_task

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.fail("the Celery worker test needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
    )
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        yield queue
    finally:
        app.conf.update(saved)
        process.terminate()
        process.wait(timeout=30)


def test_worker_on_redis_runs_the_audit_verification(worker: str) -> None:
    result = audit_verify_task.apply_async(queue=worker, ignore_result=False)
    assert result.get(timeout=90) is True
    event = AuditEvent.objects.get(action="audit.verified")
    assert event.outcome == "success"
