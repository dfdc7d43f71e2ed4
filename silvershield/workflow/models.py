"""Transfers (转办) with deadlines, transfer letters (转办函), verification reports, feedback to the
reporter, and the chasing of late work (预警, 催办, 督办, 兜底核查)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from silvershield.core.access import ScopeRule


class TransferState(models.TextChoices):
    PENDING = "pending", "待签收"
    SIGNED = "signed", "核查中"
    DELEGATED = "delegated", "已下转"
    REPORTED = "reported", "已报告"
    RETURNED = "returned", "报告退回"
    DONE = "done", "已办结"
    SENT_BACK = "sent_back", "已退回（非本单位职责）"
    WITHDRAWN = "withdrawn", "已撤回（改派或兜底）"


OPEN_STATES = (TransferState.PENDING, TransferState.SIGNED, TransferState.RETURNED)


class Transfer(models.Model):
    """One tip sent to one lead unit (with optional co-operating units) with a deadline."""

    tip = models.ForeignKey("intake.Tip", on_delete=models.PROTECT, related_name="transfers")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级转办",
    )
    from_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="transfers_out"
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="transfers_in"
    )
    co_units = models.ManyToManyField(
        "orgs.Unit", verbose_name="配合单位", blank=True, related_name="transfers_cooperating"
    )
    letter = models.ForeignKey(
        "workflow.TransferLetter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("转办时间")
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    absolute_due_at = models.DateTimeField("上级办理时限", null=True, blank=True)
    due_at = models.DateTimeField("办理期限", db_index=True)
    due_provisional = models.BooleanField("期限待定（节假日未公布）", default=False)
    note = models.CharField("转办意见", max_length=500, blank=True)
    state = models.CharField(
        max_length=16, choices=TransferState.choices, default=TransferState.PENDING
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_back_reason = models.CharField("退回理由", max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Chasing (written by the deadline job).
    warned_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    supervised_at = models.DateTimeField(null=True, blank=True)
    seriously_overdue_at = models.DateTimeField(null=True, blank=True)

    scope = ScopeRule(
        region_path="tip__region__path",
        unit_fields=("lead_unit_id", "from_unit_id", "co_units__id"),
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["state", "due_at"], name="transfer_state_due_idx")]

    def __str__(self) -> str:
        return f"{self.tip} → {self.lead_unit}"

    @property
    def region_path(self) -> str:
        return self.tip.region_path

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def due_text(self) -> str:
        """The deadline as people say it: the last day, 24时."""
        from django.utils import timezone

        last = timezone.localtime(self.due_at - dt.timedelta(minutes=1)).date()
        return f"{last:%Y-%m-%d} 24时"


class TransferLetter(models.Model):
    """An issued 转办函: immutable once issued; a correction is a new letter that supersedes it."""

    issuing_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="letters_issued"
    )
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField("文号", max_length=40)
    title = models.CharField("标题", max_length=200)
    recipients = models.JSONField("主送", default=list)
    co_recipients = models.JSONField("配合单位", default=list)
    tips = models.JSONField(
        "线索清单", default=list
    )  # [{number, region, summary, institution, channel}]
    deadline_text = models.CharField("办理时限", max_length=100)
    requirements = models.TextField("办理要求")
    issued_at = models.DateTimeField()
    issued_by_name = models.CharField(max_length=150)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    scope = ScopeRule(region_path="issuing_unit__region__path", unit_fields=("issuing_unit_id",))

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "seq"], name="letter_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("issued documents never change; issue a superseding letter")
        super().save(*args, **kwargs)


class Conclusion(models.TextChoices):
    TRUE = "true", "属实"
    PARTLY = "partly", "部分属实"
    UNTRUE = "untrue", "不属实"
    UNVERIFIABLE = "unverifiable", "无法核实"


class Measure(models.TextChoices):
    CASE_FILED = "case_filed", "立案"
    PENALTY = "penalty", "行政处罚"
    ORDER_FIX = "order_fix", "责令整改"
    REFERRAL = "referral", "移送"
    OTHER = "other", "其他"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


class VerificationReport(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="reports")
    tip = models.ForeignKey("intake.Tip", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    conclusion = models.CharField("核查结论", max_length=16, choices=Conclusion.choices)
    facts = models.TextField("核查情况")
    measures = models.JSONField("处理措施", default=list)
    measures_note = models.CharField("措施说明", max_length=1000, blank=True)
    state = models.CharField(
        max_length=16, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=1000, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"report on {self.tip}"

    def measure_labels(self) -> list[str]:
        labels = dict(Measure.choices)
        return [str(labels.get(m, m)) for m in self.measures]


class ReporterFeedback(models.Model):
    """The answer given to the reporter (反馈), after the office accepted the report."""

    tip = models.ForeignKey("intake.Tip", on_delete=models.PROTECT, related_name="feedback")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    written_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()
    text = models.TextField("答复内容")

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"feedback on {self.tip}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    GRANTED = "granted", "已同意"
    REFUSED = "refused", "未同意"


class ExtensionRequest(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    extra_working_days = models.PositiveSmallIntegerField("延期（工作日）")
    reason = models.CharField("延期理由", max_length=500)
    state = models.CharField(
        max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    old_due_at = models.DateTimeField(null=True, blank=True)
    new_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"extension of {self.transfer_id}"


class ChaseKind(models.TextChoices):
    WARNING = "warning", "临期预警"
    REMINDER = "reminder", "催办"
    SUPERVISION = "supervision", "督办"
    SERIOUS = "serious", "严重超期"
    TAKEOVER = "takeover", "兜底核查"
    REASSIGN = "reassign", "改派"


class ChaseAction(models.Model):
    """A step of chasing late work, by the deadline job or by a higher office."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="chases")
    kind = models.CharField(max_length=16, choices=ChaseKind.choices)
    created_at = models.DateTimeField()
    by_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_user = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="chases_received"
    )
    responsible_name = models.CharField("责任人", max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="chase_kind_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.transfer_id}"
