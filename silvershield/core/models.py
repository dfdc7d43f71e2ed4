"""Shared kernel models: the audit trail (append-only, hash-chained)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from silvershield.core.access import ScopeRule


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    DENIED = "denied", "拒绝"
    FAILURE = "failure", "失败"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")


class AuditEvent(models.Model):
    """One audited event. Also each record's timeline (DESIGN.md: one source of truth).

    ``hash`` = SHA-256 over the canonical form of the event and the previous event's hash, so any
    edit or deletion breaks the chain (``manage.py audit_verify`` names the first broken link).
    Database triggers refuse UPDATE and DELETE outside an archive run.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    actor_unit = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    region_path = models.CharField(max_length=80, blank=True, db_index=True)
    outcome = models.CharField(
        max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AppendOnlyQuerySet.as_manager()

    scope = ScopeRule(region_path="region_path")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")


class AuditHead(models.Model):
    """The chain's head; locked by every writer so events chain in a single order."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head @{self.last_event_id}"


class AuditCheckpoint(models.Model):
    """Left by an archive run: the chain check starts from the newest checkpoint.

    ``signature`` is an HMAC (audit key, kept outside the database) over the archived range and
    the hash of its last event, so a forged checkpoint is detected.
    """

    created_at = models.DateTimeField()
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    event_count = models.BigIntegerField()
    archive_file = models.CharField(max_length=300)
    archive_sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["last_event_id"]

    def __str__(self) -> str:
        return f"checkpoint ≤#{self.last_event_id}"


class AuditGuard(models.Model):
    """Single row read by the append-only triggers; only an archive run flips it, inside its
    own transaction."""

    archiving = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "archiving" if self.archiving else "guarded"


class Counter(models.Model):
    """Named gap-free counters (tip numbers, document registers), advanced under a row lock."""

    key = models.CharField(max_length=100, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Feedback(models.Model):
    """Users' feedback about the system (RULES.md: a feedback entry on every staff page, answered)."""

    user_id = models.BigIntegerField()
    user_name = models.CharField(max_length=150)
    page = models.CharField("页面", max_length=300, blank=True)
    text = models.TextField("意见建议")
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"feedback #{self.pk}"


class HolidayYear(models.Model):
    """One year's official holiday arrangement as entered by an administrator (the State Council
    publishes it each autumn). Once the row exists the year is known to the working-day calendar,
    even without special days; for a year ``chinese-calendar`` also ships, the table wins."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    published_on = models.DateField("发布日期")
    source = models.CharField("依据", max_length=300, blank=True)
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class HolidayKind(models.TextChoices):
    OFF = "off", "放假"
    WORK = "work", "调休上班"


class HolidayDay(models.Model):
    """A special day of a :class:`HolidayYear`: a day off (放假, weekends allowed) or a make-up
    working day (调休上班, always a Saturday or Sunday)."""

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=8, choices=HolidayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".rstrip()
