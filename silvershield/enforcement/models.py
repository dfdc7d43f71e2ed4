"""The crackdown ledger (打击): criminal cases, suspects, gangs, asset recovery (追赃挽损) and the
review of cold and backlog cases (陈案积案回头看).

Money is ``Decimal`` in 元 with two places, never float. Each yuan counts once as it moves: a
return (返还) may release money held by earlier freezes/seizures (``RecoveryRelease``), and the
recovered amount of a case is secured + returned − released (see ``docs/enforcement.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse

from silvershield.core.access import ScopeRule
from silvershield.core.choices import FraudType

if TYPE_CHECKING:
    from silvershield.intake.models import Tip


class CaseStage(models.TextChoices):
    FILED = "filed", "立案"
    SOLVED = "solved", "破案"
    REFERRED = "referred", "移送起诉"
    PROSECUTED = "prosecuted", "起诉"
    JUDGED = "judged", "判决"
    WITHDRAWN = "withdrawn", "撤案"


# The forward chain; 撤案 branches off before the case leaves the police.
STAGE_CHAIN = (
    CaseStage.FILED,
    CaseStage.SOLVED,
    CaseStage.REFERRED,
    CaseStage.PROSECUTED,
    CaseStage.JUDGED,
)
WITHDRAWABLE = (CaseStage.FILED, CaseStage.SOLVED)
# The date field that records when a case reached each stage.
STAGE_DATE_FIELD = {
    CaseStage.FILED: "filed_on",
    CaseStage.SOLVED: "solved_on",
    CaseStage.REFERRED: "referred_on",
    CaseStage.PROSECUTED: "prosecuted_on",
    CaseStage.JUDGED: "judged_on",
    CaseStage.WITHDRAWN: "withdrawn_on",
}


class Case(models.Model):
    """A criminal case (刑事案件) born from one or several tips."""

    number = models.CharField("案件编号", max_length=40)
    name = models.CharField("案件名称", max_length=200)
    stage = models.CharField(
        "诉讼阶段", max_length=16, choices=CaseStage.choices, default=CaseStage.FILED
    )
    fraud_type = models.CharField("诈骗类型", max_length=24, choices=FraudType.choices)
    region = models.ForeignKey(
        "geo.Region", verbose_name="案发地区", on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="cases"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="登记单位", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tips: models.ManyToManyField[Tip, CaseTip] = models.ManyToManyField(
        "intake.Tip", through="CaseTip", related_name="cases", verbose_name="来源线索"
    )
    source_report = models.ForeignKey(
        "workflow.VerificationReport",
        verbose_name="来源核查报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The cluster of linked tips (串并) this case was born from, when its tip belongs to one.
    cluster = models.ForeignKey(
        "intake.LinkCluster",
        verbose_name="串并组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    summary = models.TextField("简要案情", blank=True)
    amount_involved = models.DecimalField(
        "涉案金额（元）", default=0, max_digits=16, decimal_places=2
    )
    victim_loss = models.DecimalField(
        "受害人损失（元）", default=0, max_digits=16, decimal_places=2
    )
    victim_count = models.PositiveIntegerField("受害人数", default=0)
    elderly_victim_count = models.PositiveIntegerField("其中老年人", default=0)
    over_recovery_reason = models.CharField(
        "挽损超过损失的说明",
        max_length=500,
        blank=True,
        help_text="追赃挽损金额超过受害人损失时须说明（如含孳息、罚没折抵等）",
    )
    filed_on = models.DateField("立案日期", db_index=True)
    solved_on = models.DateField("破案日期", null=True, blank=True)
    referred_on = models.DateField("移送起诉日期", null=True, blank=True)
    referred_to = models.ForeignKey(
        "orgs.Unit",
        verbose_name="移送检察院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prosecuted_on = models.DateField("起诉日期", null=True, blank=True)
    prosecution_outcome = models.CharField("起诉情况", max_length=500, blank=True)
    prosecuted_to = models.ForeignKey(
        "orgs.Unit",
        verbose_name="起诉至法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_on = models.DateField("判决日期", null=True, blank=True)
    judgment_outcome = models.CharField("判决结果", max_length=500, blank=True)
    withdrawn_on = models.DateField("撤案日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤案理由", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = ScopeRule(
        region_path="region__path",
        unit_fields=("owner_unit_id", "created_by_unit_id"),
        grants="grants",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "number"], name="case_number_unique_in_unit"
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__gte=0) & Q(victim_loss__gte=0),
                name="case_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(elderly_victim_count__lte=models.F("victim_count")),
                name="case_elderly_within_victims",
            ),
        ]
        indexes = [models.Index(fields=["stage", "filed_on"], name="case_stage_filed_idx")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("enforcement:detail", args=[self.pk])

    @property
    def region_path(self) -> str:
        return self.region.path

    def stage_dates(self) -> list[tuple[str, object]]:
        """The stages reached, in order, with their dates (for the case page)."""
        return [
            (CaseStage(stage).label, getattr(self, STAGE_DATE_FIELD[stage]))
            for stage in (*STAGE_CHAIN, CaseStage.WITHDRAWN)
            if getattr(self, STAGE_DATE_FIELD[stage]) is not None
        ]


class CaseTip(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tip_links")
    tip = models.ForeignKey("intake.Tip", on_delete=models.PROTECT, related_name="case_links")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "tip"], name="case_tip_unique")]

    def __str__(self) -> str:
        return f"{self.case} ← {self.tip}"


class CaseGrantReason(models.TextChoices):
    REFERRED = "referred", "移送起诉"
    PROSECUTED = "prosecuted", "提起公诉"
    SHARED = "shared", "共享"


class CaseGrant(models.Model):
    """A unit that may see a case it neither owns nor created (the procuratorate, the court)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="case_grants")
    reason = models.CharField(max_length=16, choices=CaseGrantReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "unit", "reason"], name="case_grant_unique")
        ]
        indexes = [models.Index(fields=["unit", "case"], name="case_grant_unit_idx")]

    def __str__(self) -> str:
        return f"{self.case} → {self.unit}"


class SuspectStatus(models.TextChoices):
    AT_LARGE = "at_large", "在逃"
    ARRESTED = "arrested", "已抓获"
    FUGITIVE_CAUGHT = "fugitive_caught", "追逃到案"


CAUGHT_STATUSES = (SuspectStatus.ARRESTED, SuspectStatus.FUGITIVE_CAUGHT)


class Suspect(models.Model):
    """A suspect (犯罪嫌疑人) of a case. The name is a suspect's personal data: shown to those who
    see the case, never written to the audit trail."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    name = models.CharField("姓名", max_length=50)
    status = models.CharField("状态", max_length=16, choices=SuspectStatus.choices)
    caught_on = models.DateField("抓获/到案日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "caught_on"], name="suspect_status_caught_idx")]

    def __str__(self) -> str:
        return f"嫌疑人#{self.pk}"


class Gang(models.Model):
    """A criminal gang (犯罪团伙): its members (suspects) and the cases it links."""

    name = models.CharField("团伙名称", max_length=100)
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="gangs"
    )
    created_by_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    cases = models.ManyToManyField(Case, related_name="gangs", verbose_name="关联案件")
    members = models.ManyToManyField(Suspect, related_name="gangs", verbose_name="成员")
    broken_on = models.DateField("打掉日期", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeRule(
        region_path="region__path", unit_fields=("owner_unit_id", "created_by_unit_id")
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"团伙#{self.pk}"

    @property
    def region_path(self) -> str:
        return self.region.path


class RecoveryKind(models.TextChoices):
    FREEZE = "freeze", "止付冻结"
    SEIZE = "seize", "查封扣押"
    RETURN = "return", "返还"


SECURING_KINDS = (RecoveryKind.FREEZE, RecoveryKind.SEIZE)


class RecoveryRecord(models.Model):
    """One recovery measure on a case: money frozen or seized (secured), or returned to victims."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recoveries")
    kind = models.CharField("措施", max_length=8, choices=RecoveryKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    on = models.DateField("日期", db_index=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive")
        ]
        indexes = [models.Index(fields=["kind", "on"], name="recovery_kind_on_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_secured(self) -> bool:
        return self.kind in SECURING_KINDS


class RecoveryRelease(models.Model):
    """Money a return (返还) draws from an earlier freeze or seizure: counted once, as returned."""

    return_record = models.ForeignKey(
        RecoveryRecord, on_delete=models.CASCADE, related_name="draws"
    )
    secured_record = models.ForeignKey(
        RecoveryRecord, on_delete=models.PROTECT, related_name="releases"
    )
    amount = models.DecimalField("释放金额（元）", max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="release_amount_positive"),
            models.UniqueConstraint(
                fields=["return_record", "secured_record"], name="release_once_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secured_record_id} → {self.return_record_id}: {self.amount}"


class ColdCaseReview(models.Model):
    """A cold or backlog case (陈案积案) flagged for review (回头看), with a due date and an outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reason = models.CharField("列为陈案积案的原因", max_length=500)
    flagged_on = models.DateField("列入日期")
    due_on = models.DateField("回头看期限", db_index=True)
    flagged_by_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("回头看完成日期", null=True, blank=True, db_index=True)
    outcome = models.CharField("回头看结果", max_length=1000, blank=True)
    reviewed_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(reviewed_on__isnull=True),
                name="one_open_review_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"回头看 {self.case}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_on is None
