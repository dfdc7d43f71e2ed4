"""The rectification ledger (整治): institutions (incl. unlicensed 黑机构), hazards (问题隐患),
三书一函 suggestion letters, rectification tasks (整改台账) and rules made (建章立制)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from silvershield.core.access import ScopeRule
from silvershield.orgs.models import Sector, Unit

# -- institutions --------------------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    ELDER_CARE = "elder_care", "养老机构"
    COMPANY = "company", "企业"
    SOCIAL_ORG = "social_org", "社会组织"
    OTHER = "other", "其他"


class LicenceStatus(models.TextChoices):
    LICENSED = "licensed", "证照齐全"
    FILED = "filed", "已备案"
    EXPIRED = "expired", "证照过期"
    REVOKED = "revoked", "已吊销"
    UNLICENSED = "unlicensed", "无证无照（黑机构）"


class Institution(models.Model):
    name = models.CharField("机构名称", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=InstitutionKind.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    licence_status = models.CharField(
        "证照状态", max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.LICENSED
    )
    sector = models.CharField("监管领域", max_length=24, choices=Sector.choices)
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    regulator = models.ForeignKey(
        "orgs.Unit",
        verbose_name="监管单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulated_institutions",
    )
    name_core = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    note = models.CharField("备注", max_length=500, blank=True)
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeRule(
        region_path="region__path", unit_fields=("created_by_unit_id", "regulator_id")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="institution_uscc_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_path(self) -> str:
        return self.region.path

    @property
    def is_unlicensed(self) -> bool:
        return self.licence_status == LicenceStatus.UNLICENSED


class InstitutionTipLink(models.Model):
    """A tip that staff confirmed names the institution (proposed by name matching)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="tip_links")
    tip = models.ForeignKey("intake.Tip", on_delete=models.CASCADE, related_name="+")
    matched_by = models.CharField("匹配依据", max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "tip"], name="institution_tip_unique")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} ↔ {self.tip_id}"


# -- hazards -------------------------------------------------------------------------------------


class HazardState(models.TextChoices):
    FOUND = "found", "发现"
    RECTIFYING = "rectifying", "整治中"
    RECTIFIED = "rectified", "已整治"
    VERIFIED = "verified", "复核通过"


OPEN_HAZARD_STATES = (HazardState.FOUND, HazardState.RECTIFYING)


class Hazard(models.Model):
    """A problem found in a sector sweep (隐患排查)."""

    number = models.CharField("编号", max_length=32, unique=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name="涉及机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    sector = models.CharField("领域", max_length=24, choices=Sector.choices)
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField("问题隐患")
    found_by_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="发现单位", on_delete=models.PROTECT, related_name="+"
    )
    found_by_name = models.CharField("发现人", max_length=100, blank=True)
    found_on = models.DateField("发现日期")
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="整治责任单位",
        on_delete=models.PROTECT,
        related_name="rect_hazards",
    )
    due_on = models.DateField("整治期限")
    measures = models.TextField("整治措施", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=HazardState.choices, default=HazardState.FOUND
    )
    rectified_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_note = models.CharField("复核意见", max_length=500, blank=True)
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    scope = ScopeRule(
        region_path="region__path",
        unit_fields=("unit_id", "found_by_unit_id", "created_by_unit_id"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "due_on"], name="hazard_state_due_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def region_path(self) -> str:
        return self.region.path

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_HAZARD_STATES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on


# -- 三书一函 --------------------------------------------------------------------------------------


class LetterKind(models.TextChoices):
    PROCURATORIAL = "procuratorial", "检察建议书"
    JUDICIAL = "judicial", "司法建议书"
    SUPERVISORY = "supervisory", "监察建议书"
    POLICE = "police", "公安提示函"


class LetterState(models.TextChoices):
    ISSUED = "issued", "待回复"
    REPLIED = "replied", "已回复"
    RECTIFIED = "rectified", "已整改"


class ChaseKind(models.TextChoices):
    WARNING = "warning", "临期预警"
    REMINDER = "reminder", "催办"
    SUPERVISION = "supervision", "督办"
    SERIOUS = "serious", "严重超期"


class ChaseClock(models.Model):
    """The fields the deadline job writes (warning, 催办 every N working days, 督办, serious)."""

    warned_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("催办次数", default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    supervised_at = models.DateTimeField(null=True, blank=True)
    seriously_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def reset_clock(self) -> list[str]:
        self.warned_at = self.last_reminder_at = None
        self.supervised_at = self.seriously_overdue_at = None
        self.reminder_count = 0
        return [
            "warned_at",
            "reminder_count",
            "last_reminder_at",
            "supervised_at",
            "seriously_overdue_at",
        ]


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in Beijing time (the deadline instant)."""
    from silvershield.core.workdays import SHANGHAI

    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)


class Letter(ChaseClock):
    """A suggestion letter (三书一函) about a management gap found in a case (一案一剖析)."""

    kind = models.CharField("文书种类", max_length=16, choices=LetterKind.choices)
    number = models.CharField("文号", max_length=60)
    issuer = models.ForeignKey(
        "orgs.Unit", verbose_name="制发单位", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        "orgs.Unit",
        verbose_name="主送单位（行业主管部门）",
        on_delete=models.PROTECT,
        related_name="rect_letters_received",
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="涉及机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    case_number = models.CharField("来源案件编号", max_length=60, blank=True)
    problem = models.TextField("发现的管理漏洞")
    suggestions = models.TextField("建议内容", blank=True)
    issued_on = models.DateField("制发日期")
    reply_due_on = models.DateField("回复期限")
    due_at = models.DateTimeField(db_index=True)
    state = models.CharField(
        "状态", max_length=16, choices=LetterState.choices, default=LetterState.ISSUED
    )
    reply = models.TextField("回复内容", blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rectification = models.TextField("整改情况", blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    scope = ScopeRule(
        region_path="region__path",
        unit_fields=("issuer_id", "recipient_id", "created_by_unit_id"),
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["state", "due_at"], name="rect_letter_state_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="rect_letter_number_unique"),
            models.CheckConstraint(
                condition=models.Q(reply_due_on__gt=models.F("issued_on")),
                name="rect_letter_due_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def region_path(self) -> str:
        return self.region.path

    @property
    def is_open(self) -> bool:
        return self.state == LetterState.ISSUED

    @property
    def responsible_unit_id(self) -> int:
        return self.recipient_id


# -- rectification tasks (整改台账) ----------------------------------------------------------------


class TaskSource(models.TextChoices):
    SUPERVISION = "supervision", "督导问题清单"
    HAZARD = "hazard", "问题隐患"
    LETTER = "letter", "三书一函"
    OTHER = "other", "其他"


class TaskState(models.TextChoices):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待核验"
    CHECKED = "checked", "核验通过"
    CLOSED = "closed", "已销号"


OPEN_TASK_STATES = (TaskState.OPEN, TaskState.SUBMITTED, TaskState.CHECKED)


class Task(ChaseClock):
    number = models.CharField("编号", max_length=32, unique=True)
    title = models.CharField("整改事项", max_length=200)
    source = models.CharField("来源", max_length=16, choices=TaskSource.choices)
    source_note = models.CharField("督导问题/来源说明", max_length=500, blank=True)
    hazard = models.ForeignKey(
        Hazard,
        verbose_name="来源隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    letter = models.ForeignKey(
        Letter,
        verbose_name="来源文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="rect_tasks"
    )
    co_units: models.ManyToManyField[Unit, TaskCoUnit] = models.ManyToManyField(
        "orgs.Unit",
        verbose_name="配合单位",
        blank=True,
        through="TaskCoUnit",
        related_name="rect_tasks_cooperating",
    )
    measures = models.TextField("整改措施")
    responsible_name = models.CharField("责任人", max_length=100)
    due_on = models.DateField("整改期限")
    due_at = models.DateTimeField(db_index=True)
    state = models.CharField(
        "状态", max_length=16, choices=TaskState.choices, default=TaskState.OPEN
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    completion_summary = models.TextField("完成情况", blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_note = models.CharField("核验意见", max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    scope = ScopeRule(
        region_path="region__path",
        unit_fields=("lead_unit_id", "created_by_unit_id"),
        grants="co_unit_rows",
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_at"], name="rect_task_state_due_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def region_path(self) -> str:
        return self.region.path

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES

    @property
    def responsible_unit_id(self) -> int:
        return self.lead_unit_id


class TaskCoUnit(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="co_unit_rows")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_co_unit_unique")]

    def __str__(self) -> str:
        return f"{self.task_id} + {self.unit_id}"


class Milestone(models.Model):
    """A milestone of a task (整改节点) or, for a task that cannot finish in time, a staged goal
    (阶段目标): the deadline clock then runs on the earliest unfinished staged goal."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点内容", max_length=300)
    due_on = models.DateField("完成时限")
    is_stage_goal = models.BooleanField("阶段目标", default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    written_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()
    text = models.TextField("进展情况")

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"progress of {self.task_id}"


class Evidence(models.Model):
    """An uploaded file (PDF/JPEG/PNG, checked by content), stored under MEDIA_ROOT and served only
    through a view that checks the viewer's scope on the record it belongs to."""

    progress = models.ForeignKey(
        Progress, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    rule = models.ForeignKey(
        "rectification.Rule",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(upload_to="rectification/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Chase(models.Model):
    """One step of chasing a late letter or task (by the rectification deadline job)."""

    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="chases"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="chases"
    )
    kind = models.CharField(max_length=16, choices=ChaseKind.choices)
    created_at = models.DateTimeField()
    by_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    responsible_name = models.CharField("责任人", max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_id or self.task_id}"


# -- 建章立制 --------------------------------------------------------------------------------------


class RuleKind(models.TextChoices):
    REGULATION = "regulation", "制度规定"
    MECHANISM = "mechanism", "工作机制"
    STANDARD = "standard", "标准规范"
    OTHER = "other", "其他"


class Rule(models.Model):
    title = models.CharField("制度名称", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=RuleKind.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="制定单位", on_delete=models.PROTECT, related_name="rect_rules"
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    doc_number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期")
    summary = models.TextField("主要内容", blank=True)
    letter = models.ForeignKey(
        Letter,
        verbose_name="对应文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
    )
    task = models.ForeignKey(
        Task,
        verbose_name="对应整改任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
    )
    created_by = models.ForeignKey(
        "orgs.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope = ScopeRule(region_path="region__path", unit_fields=("unit_id", "created_by_unit_id"))

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def region_path(self) -> str:
        return self.region.path
