"""The campaign, its phases, its deadline policy and its routing rules."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from silvershield.core.choices import FraudType
from silvershield.orgs.models import Sector


class PhaseKind(models.TextChoices):
    MOBILISE = "mobilise", "宣传发动"
    CRACKDOWN = "crackdown", "打击整治"
    CONSOLIDATE = "consolidate", "总结提升"


class Campaign(models.Model):
    name = models.CharField("名称", max_length=100)
    code = models.SlugField("代码", max_length=40, unique=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    is_active = models.BooleanField("进行中", default=True)
    # Deadline policy (DESIGN.md "The tip and its life"); configurable per campaign.
    transfer_working_days = models.PositiveSmallIntegerField(
        "转办办理时限（工作日）",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    warning_ratio = models.DecimalField(
        "预警比例",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("0.99"))],
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        "催办间隔（工作日）", default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    reminders_before_supervision = models.PositiveSmallIntegerField(
        "催办几次后督办", default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    serious_overdue_days = models.PositiveSmallIntegerField(
        "严重超期（工作日）", default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_kind_display()}"


class RoutingRule(models.Model):
    """Which member-unit sector handles a fraud type (a suggestion; staff confirm)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="routing_rules")
    fraud_type = models.CharField("诈骗类型", max_length=24, choices=FraudType.choices)
    sector = models.CharField("牵头领域", max_length=24, choices=Sector.choices)
    co_sectors = models.JSONField("配合领域", default=list, blank=True)

    class Meta:
        ordering = ["fraud_type"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "fraud_type"], name="routing_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_fraud_type_display()} → {self.sector}"
