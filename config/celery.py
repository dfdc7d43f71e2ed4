"""Celery application. Tasks fetch by id and call a service (STYLE.md)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("silvershield")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_production(**_: object) -> None:
    from silvershield.core.startup import refuse_unsafe_production

    refuse_unsafe_production()
