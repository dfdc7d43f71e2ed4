"""Signal receivers that keep the daily roll-up current (stats listens; nothing below imports it).

Workflow transitions update tips with a version-checked ``UPDATE`` (no ``post_save``), but every
one of them writes an audit event on the tip: that event marks the tip's bucket. Tip rows saved
or deleted, and the transfers, reports and feedback that the transfer/verification/feedback
figures read, mark it too.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip
from silvershield.stats import rollup
from silvershield.workflow.models import ReporterFeedback, Transfer, VerificationReport

TIP_TYPE = Tip._meta.label_lower
# Events that record a reading, not a change: they leave the figures as they are.
READ_ONLY_ACTIONS = frozenset({"tip.viewed", "tip.exported", "letter.downloaded"})


def _tip_saved(sender: Any, instance: Tip, **kwargs: Any) -> None:
    rollup.mark_tip(instance.pk)


def _tip_before_save(sender: Any, instance: Tip, **kwargs: Any) -> None:
    """A tip moved to another day or region leaves its old bucket: mark that one too."""
    if instance.pk is None or kwargs.get("raw"):
        return
    old = Tip.objects.filter(pk=instance.pk).values_list("received_at", "region_id").first()
    if old is not None and (old[0] != instance.received_at or old[1] != instance.region_id):
        rollup.mark_bucket(timezone.localdate(old[0]), old[1])


def _tip_deleted(sender: Any, instance: Tip, **kwargs: Any) -> None:
    rollup.mark_bucket(timezone.localdate(instance.received_at), instance.region_id)


def _related_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    rollup.mark_tip(instance.tip_id)


def _audit_written(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    if instance.action in READ_ONLY_ACTIONS:
        return
    if instance.object_type == TIP_TYPE and instance.object_id.isdigit():
        rollup.mark_tip(int(instance.object_id))
    for key in ("tips", "tip_ids"):
        ids = (instance.data or {}).get(key) if isinstance(instance.data, dict) else None
        if isinstance(ids, list):
            for tip_id in ids:
                if isinstance(tip_id, int) or (isinstance(tip_id, str) and tip_id.isdigit()):
                    rollup.mark_tip(int(tip_id))


def connect() -> None:
    post_save.connect(_tip_saved, sender=Tip, dispatch_uid="stats_tip_saved")
    pre_save.connect(_tip_before_save, sender=Tip, dispatch_uid="stats_tip_before_save")
    post_delete.connect(_tip_deleted, sender=Tip, dispatch_uid="stats_tip_deleted")
    for model in (Transfer, VerificationReport, ReporterFeedback):
        post_save.connect(_related_changed, sender=model, dispatch_uid=f"stats_{model.__name__}_s")
        post_delete.connect(
            _related_changed, sender=model, dispatch_uid=f"stats_{model.__name__}_d"
        )
    post_save.connect(_audit_written, sender=AuditEvent, dispatch_uid="stats_audit_written")
