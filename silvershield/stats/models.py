"""Stats records: the daily roll-up, assessment weights, ranking snapshots, issued reports.

Nothing here holds a typed-in figure: the roll-up is derived from tips (and rebuilt from them at
will), snapshots freeze computed rankings of closed periods, and an issued report stores the
computed content it was printed with.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from silvershield.core.access import ScopeRule


class RollupCounts(models.Model):
    """The measures every roll-up row carries: how many tips of its key are, now, in each
    condition (see ``stats.rollup.measures``). Every measure counts a subset of ``received``."""

    received = models.PositiveIntegerField(default=0)
    screened = models.PositiveIntegerField(default=0)
    valid = models.PositiveIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    verified_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    feedback = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyRollup(RollupCounts):
    """Tip counts per received day × region × channel × fraud type (one row per non-empty key).

    Rows are recomputed per (day, region) bucket whenever one of its tips changes;
    ``manage.py stats_rollup_rebuild`` recomputes everything. The coarser tiers
    (:class:`CoarseRollup`) are sums of these rows.
    """

    day = models.DateField(db_index=True)
    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    region_path = models.CharField(max_length=80)
    channel = models.CharField(max_length=16)
    fraud_type = models.CharField(max_length=24, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region", "channel", "fraud_type"], name="stats_rollup_key"
            )
        ]
        indexes = [models.Index(fields=["region_path", "day"], name="stats_rollup_path_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.region_path} {self.channel} {self.fraud_type}"


class RollupTier(models.IntegerChoices):
    """The coarser tiers of the roll-up, each the sum of daily rows over part of their key."""

    REGION_MONTH = 1, "月 × 地区"
    REGION_DAY = 2, "日 × 地区"
    AREA_MONTH = 3, "月 × 县级地区 × 渠道 × 类型"
    AREA_DAY = 4, "日 × 县级地区 × 渠道 × 类型"


class CoarseRollup(RollupCounts):
    """A row of a coarser roll-up tier (see ``stats.rollup.TIERS``).

    ``day`` is the first day of the month in the monthly tiers; ``region_path`` is the tip's
    region in the region tiers and its county (the path cut to three levels) in the area tiers;
    ``channel`` and ``fraud_type`` are empty in the region tiers, which sum over them. Kept in the
    same transaction as the daily rows they sum, and rebuilt with them.
    """

    tier = models.PositiveSmallIntegerField(choices=RollupTier.choices)
    day = models.DateField()
    region_path = models.CharField(max_length=80)
    channel = models.CharField(max_length=16, blank=True)
    fraud_type = models.CharField(max_length=24, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "day", "region_path", "channel", "fraud_type"],
                name="stats_coarse_rollup_key",
            )
        ]
        indexes = [
            models.Index(fields=["tier", "region_path", "day"], name="stats_coarse_tier_path_day")
        ]

    def __str__(self) -> str:
        return f"{self.tier}:{self.day} {self.region_path} {self.channel} {self.fraud_type}"


class Normalisation(models.TextChoices):
    MIN_MAX = "min_max", "极差法（最好100分，最差0分）"
    TO_BEST = "to_best", "对标最好（与最好值之比×100）"
    RATE = "rate", "比率直接计分（百分比即分数）"


class IndicatorWeight(models.Model):
    """One indicator in a campaign's assessment score, its weight and how it is normalised."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="indicator_weights"
    )
    indicator = models.CharField("指标", max_length=40)
    weight = models.DecimalField(
        "权重",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    normalisation = models.CharField(
        "计分方法", max_length=16, choices=Normalisation.choices, default=Normalisation.MIN_MAX
    )

    class Meta:
        ordering = ["campaign", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator"], name="stats_weight_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.indicator}={self.weight}"


class RankingKind(models.TextChoices):
    REGION = "region", "地区"
    UNIT = "unit", "成员单位"


class RankingSnapshot(models.Model):
    """The computed ranking of a closed period, frozen: a published bulletin never changes."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=RankingKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    weights = models.JSONField(default=list)
    rows = models.JSONField(default=list)

    scope = ScopeRule(region_path="region__path")

    class Meta:
        ordering = ["-period_end", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "campaign", "period_start", "period_end"],
                name="stats_snapshot_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.period_start}–{self.period_end}"


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", "工作周报"
    BULLETIN = "bulletin", "通报"


class IssuedReport(models.Model):
    """An issued weekly report or bulletin: number and computed content, immutable once issued."""

    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    issuing_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField("文号", max_length=40)
    title = models.CharField("标题", max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    content = models.JSONField(default=dict)
    narrative = models.TextField("工作分析", blank=True)
    issued_at = models.DateTimeField()
    issued_by_name = models.CharField(max_length=150)

    scope = ScopeRule(region_path="region__path", unit_fields=("issuing_unit_id",))

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issuing_unit", "year", "seq"], name="stats_report_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("issued reports never change; issue a new one")
        super().save(*args, **kwargs)

    @property
    def region_path(self) -> str:
        return self.region.path
