"""Tips (线索), their reporters (encrypted) and the units granted access to them."""

from __future__ import annotations

from django.db import models

from silvershield.core.access import ScopeRule
from silvershield.core.choices import FraudType
from silvershield.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PORTAL = "portal", "网上举报"
    PLATFORM_12337 = "12337", "12337平台"
    HOTLINE_12345 = "12345", "12345热线"
    POLICE_110 = "110", "110警情"
    CONSUMER_12315 = "12315", "12315投诉举报"
    FINANCE = "finance", "金融监管转来"
    GRID = "grid", "网格员巡查"
    TRANSFER = "transfer", "上级转办"
    SWEEP = "sweep", "主动摸排"


class TipState(models.TextChoices):
    RECEIVED = "received", "待甄别"
    SCREENED = "screened", "待转办"
    TRANSFERRED = "transferred", "待签收"
    VERIFYING = "verifying", "核查中"
    REPORTED = "reported", "待审核"
    ACCEPTED = "accepted", "待反馈"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已合并"


class Tip(models.Model):
    number = models.CharField("线索编号", max_length=32, unique=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="专项行动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField("受理时间", db_index=True)
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="owned_tips"
    )
    created_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="created_tips"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="created_tips"
    )
    title = models.CharField("标题", max_length=100, blank=True)
    content = models.TextField("线索内容")
    content_seg = models.TextField(blank=True, editable=False)  # jieba-segmented copy for search
    involved_institution = models.CharField("涉及机构", max_length=200, blank=True)
    involved_person = models.CharField("涉及人员", max_length=100, blank=True)
    involved_phone = models.CharField("涉及电话", max_length=40, blank=True)
    money_amount = models.DecimalField(
        "涉及金额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    victim_count = models.PositiveIntegerField("受害人数", null=True, blank=True)
    occurred_on = models.DateField("发生日期", null=True, blank=True)
    fraud_type = models.CharField("诈骗类型", max_length=24, choices=FraudType.choices, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=TipState.choices, default=TipState.RECEIVED
    )
    is_relevant = models.BooleanField("属于养老诈骗线索", null=True, blank=True)
    screened_at = models.DateTimeField("甄别时间", null=True, blank=True)
    accused_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="被举报单位（回避）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accusing_tips",
        help_text="举报涉及该单位或其工作人员时，不得转给该单位办理",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    state_before_merge = models.CharField(max_length=16, blank=True, editable=False)
    close_reason = models.CharField("办结说明", max_length=500, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_anonymous = models.BooleanField("匿名", default=False)
    source_ref = models.CharField("来源编号", max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = ScopeRule(
        region_path="region__path",
        unit_fields=("owner_unit_id", "created_by_unit_id"),
        grants="grants",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="tip_state_received_idx"),
            models.Index(fields=["channel", "received_at"], name="tip_channel_received_idx"),
            models.Index(fields=["involved_phone"], name="tip_involved_phone_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="tip_source_ref_unique",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def region_path(self) -> str:
        return self.region.path

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        text = " ".join(self.content.split())
        return text[:40] + ("…" if len(text) > 40 else "")


class GrantReason(models.TextChoices):
    TRANSFER = "transfer", "转办（牵头）"
    COOPERATE = "cooperate", "转办（配合）"
    ESCALATION = "escalation", "提级核查"
    SHARED = "shared", "共享"


class TipGrant(models.Model):
    """A unit that may see a tip it neither owns nor created (written by the workflow)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="tip_grants")
    reason = models.CharField(max_length=16, choices=GrantReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tip", "unit", "reason"], name="tip_grant_unique")
        ]
        indexes = [models.Index(fields=["unit", "tip"], name="tip_grant_unit_idx")]

    def __str__(self) -> str:
        return f"{self.tip} → {self.unit}"


class TipReporter(models.Model):
    """The reporter's identity: sensitive personal information, encrypted at rest.

    ``phone_index``/``id_index`` are keyed hashes (blind indexes) of the normalised phone and ID
    number: staff can find a repeat reporter without decrypting anything.
    """

    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="reporter")
    name = EncryptedTextField("姓名", blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    id_number = EncryptedTextField("身份证号", blank=True)
    address = EncryptedTextField("联系地址", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    id_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reporter of {self.tip_id}"


class RevealState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"
    WITHDRAWN = "withdrawn", "已撤回"


class IdentityRevealRequest(models.Model):
    """A request to see a reporter's identity (two-person rule).

    A handler states a reason; a second person holding the identity-approval permission (the
    identity custodian) approves or refuses it. An approval lets the requester open the identity
    until ``expires_at``; each opening is audited.
    """

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="reveal_requests")
    requested_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    reason = models.CharField("查看事由", max_length=200)
    state = models.CharField(
        "状态", max_length=16, choices=RevealState.choices, default=RevealState.PENDING
    )
    decided_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    expires_at = models.DateTimeField("查看有效期至", null=True, blank=True)

    scope = ScopeRule(
        region_path="tip__region__path",
        unit_fields=("tip__owner_unit_id", "tip__created_by_unit_id"),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"], name="reveal_state_idx")]

    def __str__(self) -> str:
        return f"reveal request {self.pk} on {self.tip_id}"

    @property
    def region_path(self) -> str:
        return self.tip.region_path

    @property
    def is_open(self) -> bool:
        """Approved and not yet expired: the requester may open the identity now."""
        from django.utils import timezone

        return (
            self.state == RevealState.APPROVED
            and self.expires_at is not None
            and timezone.now() < self.expires_at
        )


# -- automatic screening and linking (串并) -------------------------------------------------------


class TipScreening(models.Model):
    """The automatic screening of a tip (silvershield.screening) with its reasons; a person's
    correction is kept beside it as labelled data."""

    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="screening")
    relevance = models.FloatField("相关度")
    is_relevant = models.BooleanField("疑似养老诈骗")
    fraud_type = models.CharField("类型", max_length=24, choices=FraudType.choices)
    priority = models.PositiveSmallIntegerField("优先级")
    entities = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    victims = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    model_version = models.CharField(max_length=40)
    screened_at = models.DateTimeField()
    signature = models.BinaryField(default=b"", blank=True)
    corrected_relevant = models.BooleanField(null=True, blank=True)
    corrected_type = models.CharField(max_length=24, choices=FraudType.choices, blank=True)
    corrected_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["is_relevant", "priority"], name="tipscreening_rel_idx")]

    def __str__(self) -> str:
        return f"screening of {self.tip_id}"


class TipLinkKey(models.Model):
    """A linking key of a tip (e.g. "phone:+8613…", "org:康乐夕阳红", "band:3:…")."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="link_keys")
    key = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tip", "key"], name="tiplinkkey_unique")]

    def __str__(self) -> str:
        return self.key


class LinkCluster(models.Model):
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    size = models.PositiveIntegerField(default=0)
    region = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    spans_regions = models.BooleanField("跨地区", default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"串并组 #{self.pk}"

    @property
    def region_path(self) -> str:
        return self.region.path if self.region else ""


class MemberState(models.TextChoices):
    MEMBER = "member", "在组"
    SPLIT = "split", "已拆出"


class ClusterMember(models.Model):
    cluster = models.ForeignKey(LinkCluster, on_delete=models.CASCADE, related_name="members")
    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="link_membership")
    reason = models.CharField(max_length=120, blank=True)
    added_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=MemberState.choices, default=MemberState.MEMBER)
    split_reason = models.CharField(max_length=200, blank=True)
    split_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    split_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.tip_id} in {self.cluster_id}"


# -- bulk import of hotline and platform exports ------------------------------------------------------


class ImportSource(models.Model):
    """A source of exports (e.g. 湖州12345) with its remembered column mapping."""

    name = models.CharField("来源名称", max_length=100, unique=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    owner_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="import_sources"
    )
    default_region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField("列对应", default=dict)  # target field → column heading
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", "待设置列对应"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(models.Model):
    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="jobs")
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)  # csv / xlsx
    stored_path = models.CharField(max_length=500, blank=True)  # deleted once processed
    headers = models.JSONField(default=list)
    state = models.CharField(
        max_length=16, choices=ImportState.choices, default=ImportState.UPLOADED
    )
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    irrelevant = models.PositiveIntegerField(default=0)
    already_imported = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejected_report = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state == ImportState.DONE else 0
        return min(100, round(100 * self.processed / self.total_rows))


class ImportedRow(models.Model):
    """The ledger of source row ids: a row imported once is never counted or filed again."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="rows")
    source_row_id = models.CharField(max_length=64)
    job = models.ForeignKey(ImportJob, on_delete=models.SET_NULL, null=True, related_name="+")
    tip = models.ForeignKey(Tip, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_row_id"], name="importedrow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.source_row_id}"
