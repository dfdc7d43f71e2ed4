"""Rectification ledger schemas (整治): institutions, hazards, 三书一函, tasks, rules.

Names carry their ledger (``RectLetterOut``, ``TaskCheckIn`` …) so that they never collide with
the workflow's 转办函 or another router's schemas in the generated OpenAPI components. Hazards carry
an optimistic ``version``: send it back to be told (409) when someone else changed the hazard.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import Field, WithJsonSchema

from silvershield.api.schemas.common import RegionCode, RegionRef, UnitRef
from silvershield.api.schemas.tips import TimelineEvent, TipListItem
from silvershield.intake.models import LinkCluster
from silvershield.orgs.models import Sector, User
from silvershield.rectification.files import MAX_FILES
from silvershield.rectification.models import (
    Chase,
    ChaseKind,
    Evidence,
    Hazard,
    HazardState,
    Institution,
    InstitutionKind,
    InstitutionTipLink,
    LetterKind,
    LetterState,
    LicenceStatus,
    Milestone,
    Progress,
    Rule,
    RuleKind,
    Task,
    TaskSource,
    TaskState,
)
from silvershield.rectification.models import Letter as RectLetter

# The workflow has its own ChaseKind (with takeover and reassign): this one is described inline so
# that the two never share (and overwrite) one component of the OpenAPI schema.
RectChaseKind = Annotated[
    ChaseKind,
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(ChaseKind.values),
            "description": "；".join(f"{value} {label}" for value, label in ChaseKind.choices),
        }
    ),
]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
LongText = Annotated[str, Field(max_length=4000)]
MAX_BATCH = 200
MAX_MILESTONES = 50
VERSION_FIELD = Field(
    None, description="隐患的版本号（取自隐患详情）；已被他人修改时返回409。不填则不检查"
)


def _name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.full_name or user.username


# -- filters ---------------------------------------------------------------------------------------


class LedgerFiltersIn(Schema):
    region: RegionCode | None = Field(None, description="地区代码（含其下级地区）")
    sector: Sector | None = Field(None, description="领域")
    q: Annotated[str, Field(max_length=100)] = Field("", description="关键词")
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="上一页返回的 next_cursor；无效的游标按第一页处理"
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class DatedFiltersIn(LedgerFiltersIn):
    date_from: dt.date | None = Field(None, description="日期自（含）")
    date_to: dt.date | None = Field(None, description="日期至（含）")


class InstitutionFiltersIn(LedgerFiltersIn):
    licence_status: LicenceStatus | None = None
    kind: InstitutionKind | None = None


class HazardFiltersIn(DatedFiltersIn):
    state: HazardState | None = None
    overdue: bool = Field(False, description="仅看超期（未整治完且过了整治期限）")


class RectLetterFiltersIn(DatedFiltersIn):
    state: LetterState | None = None
    kind: LetterKind | None = None
    overdue: bool = Field(False, description="仅看逾期未回复")


class TaskFiltersIn(DatedFiltersIn):
    state: TaskState | None = None
    source: TaskSource | None = None
    overdue: bool = Field(False, description="仅看超期（整改中且过了期限）")


class RectRuleFiltersIn(DatedFiltersIn):
    kind: RuleKind | None = None


# -- input: institutions ---------------------------------------------------------------------------


class InstitutionCreateIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    kind: InstitutionKind
    licence_status: LicenceStatus = Field(description="unlicensed：无证无照（黑机构）")
    uscc: Annotated[str, Field(max_length=30)] = Field(
        "", description="统一社会信用代码（18位，校验位正确）；无证无照可不填"
    )
    sector: Sector = Field(description="监管领域（不能是专项办）")
    region_code: RegionCode = Field(description="所在地区代码（本单位辖区内）")
    address: Annotated[str, Field(max_length=200)] = ""
    regulator_id: Id | None = Field(None, description="监管单位")
    note: Annotated[str, Field(max_length=500)] = ""


class InstitutionUpdateIn(Schema):
    """Only the fields sent change (``regulator_id: null`` removes the regulator)."""

    licence_status: LicenceStatus | None = None
    uscc: Annotated[str, Field(max_length=30)] | None = Field(
        None, description="新的统一社会信用代码；不填则不变"
    )
    address: Annotated[str, Field(max_length=200)] | None = None
    regulator_id: Id | None = None
    note: Annotated[str, Field(max_length=500)] | None = None


class TipLinkIn(Schema):
    tip_id: Id = Field(description="确认涉及本机构的线索（您可查看的）")
    matched_by: Annotated[str, Field(max_length=100)] = Field(
        "", description="匹配依据（取自候选线索的 reason）"
    )


# -- input: hazards --------------------------------------------------------------------------------


class HazardCreateIn(Schema):
    institution_id: Id | None = Field(None, description="涉及机构（可不填）")
    sector: Sector
    region_code: RegionCode = Field(description="所在地区代码（本单位辖区内）")
    problem: LongText = Field(description="问题隐患（不少于4个字）")
    unit_id: Id = Field(description="整治责任单位")
    found_on: dt.date | None = Field(None, description="发现日期；不填为今天")
    found_by_name: Annotated[str, Field(max_length=100)] = Field("", description="发现人")
    due_on: dt.date = Field(description="整治期限（不早于发现日期）")
    measures: LongText = Field("", description="整治措施（可后填）")


class HazardStartIn(Schema):
    measures: LongText = Field(description="整治措施（不少于4个字）")
    version: Version | None = VERSION_FIELD


class HazardRectifiedIn(Schema):
    note: LongText = Field(description="整治完成情况（不少于4个字）")
    version: Version | None = VERSION_FIELD


class HazardCheckIn(Schema):
    accept: bool = Field(description="true 复核通过；false 不通过，退回整治（须写明理由）")
    note: Annotated[str, Field(max_length=500)] = Field("", description="复核意见")
    version: Version | None = VERSION_FIELD


class HazardBatchCheckIn(Schema):
    hazard_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BATCH)] = Field(
        description="一并复核通过的隐患（均须为“已整治”且在您的复核范围内）"
    )
    note: Annotated[str, Field(max_length=500)] = Field("批量复核通过", description="复核意见")
    versions: dict[str, Version] | None = Field(
        None, description="各隐患的版本号：{隐患id: 版本号}；不填则不检查"
    )


# -- input: 三书一函 ---------------------------------------------------------------------------------


class RectLetterIssueIn(Schema):
    kind: LetterKind
    number: Annotated[str, Field(max_length=60)] = Field(
        description="文号（本单位内唯一），如 湖吴检建〔2026〕3号"
    )
    recipient_id: Id = Field(description="主送单位（行业主管部门），须为在用的单位")
    problem: LongText = Field(description="发现的管理漏洞（一案一剖析，不少于4个字）")
    suggestions: LongText = ""
    case_number: Annotated[str, Field(max_length=60)] = Field("", description="来源案件编号")
    issued_on: dt.date = Field(description="制发日期（不晚于今天）")
    reply_due_on: dt.date = Field(description="回复期限（须晚于制发日期）")
    institution_id: Id | None = Field(None, description="涉及机构（可不填）")


class RectLetterReplyIn(Schema):
    reply: LongText = Field(description="回复内容（不少于4个字）")


class RectLetterRectificationIn(Schema):
    rectification: LongText = Field(description="整改情况（不少于4个字）")


# -- input: tasks ----------------------------------------------------------------------------------


class MilestoneIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    due_on: dt.date


class TaskCreateIn(Schema):
    title: Annotated[str, Field(max_length=200)] = Field(description="整改事项")
    source: TaskSource
    source_note: Annotated[str, Field(max_length=500)] = Field(
        "", description="督导问题/来源说明；来源为督导问题清单时必填"
    )
    hazard_id: Id | None = Field(None, description="来源隐患；来源为问题隐患时必填")
    letter_id: Id | None = Field(None, description="来源文书；来源为三书一函时必填")
    lead_unit_id: Id = Field(description="牵头单位（本单位辖区内）")
    co_unit_ids: Annotated[list[Id], Field(max_length=20)] = Field(
        default_factory=list, description="配合单位"
    )
    measures: LongText = Field(description="整改措施（不少于4个字）")
    responsible_name: Annotated[str, Field(max_length=100)] = Field(description="责任人")
    due_on: dt.date = Field(description="整改期限（不早于今天）")
    milestones: Annotated[list[MilestoneIn], Field(max_length=MAX_MILESTONES)] = Field(
        default_factory=list, description="整改节点（时限不晚于整改期限）"
    )


class TaskProgressIn(Schema):
    text: LongText = Field(description="进展情况（不少于4个字）")


class MilestoneDoneIn(Schema):
    note: Annotated[str, Field(max_length=500)] = Field("", description="完成情况")


class StageGoalsIn(Schema):
    reason: LongText = Field(description="不能按期完成的原因（不少于4个字）")
    goals: Annotated[list[MilestoneIn], Field(max_length=MAX_MILESTONES)] = Field(
        description="阶段目标，按时间先后；最后一个的时限成为整改期限"
    )


class TaskSubmitIn(Schema):
    summary: LongText = Field(description="完成情况（不少于4个字）；须已有佐证材料")


class TaskCheckIn(Schema):
    accept: bool = Field(description="true 核验通过；false 不通过，退回整改（须写明理由）")
    note: Annotated[str, Field(max_length=500)] = Field("", description="核验意见")


class TaskCloseIn(Schema):
    note: Annotated[str, Field(max_length=500)] = Field("", description="销号说明（可不填）")


# -- input: rules ----------------------------------------------------------------------------------


class RectRuleCreateIn(Schema):
    title: Annotated[str, Field(max_length=200)] = Field(description="制度名称")
    kind: RuleKind
    doc_number: Annotated[str, Field(max_length=60)] = Field("", description="文号")
    issued_on: dt.date = Field(description="印发日期（不晚于今天）")
    summary: LongText = Field("", description="主要内容")
    letter_id: Id | None = Field(
        None, description="对应的三书一函（据此建章立制）；制定单位即该文书的主送单位"
    )


# -- output ----------------------------------------------------------------------------------------


class RecordRef(Schema):
    id: int
    number: str


class InstitutionRef(Schema):
    id: int
    name: str

    @classmethod
    def of(cls, institution: Institution | None) -> InstitutionRef | None:
        return cls(id=institution.pk, name=institution.name) if institution else None


class InstitutionOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    kind_label: str
    uscc: str = Field(description="统一社会信用代码；无证无照的可为空")
    licence_status: LicenceStatus
    licence_status_label: str
    is_unlicensed: bool = Field(description="无证无照（黑机构）")
    sector: Sector
    sector_label: str
    region: RegionRef
    address: str
    regulator: UnitRef | None
    note: str
    created_at: dt.datetime

    @classmethod
    def of(cls, i: Institution) -> InstitutionOut:
        return cls(
            id=i.pk,
            name=i.name,
            kind=InstitutionKind(i.kind),
            kind_label=i.get_kind_display(),
            uscc=i.uscc,
            licence_status=LicenceStatus(i.licence_status),
            licence_status_label=i.get_licence_status_display(),
            is_unlicensed=i.is_unlicensed,
            sector=Sector(i.sector),
            sector_label=i.get_sector_display(),
            region=RegionRef.of(i.region),
            address=i.address,
            regulator=UnitRef.of(i.regulator) if i.regulator else None,
            note=i.note,
            created_at=i.created_at,
        )


class InstitutionPage(Schema):
    items: list[InstitutionOut]
    next_cursor: str | None = Field(description="下一页的游标；没有更多时为 null")


class TipCandidateOut(Schema):
    tip: TipListItem
    reason: str = Field(description="为何认为涉及本机构（确认关联时作为 matched_by 传回）")


class ClusterRefOut(Schema):
    id: int
    size: int
    spans_regions: bool
    confirmed: bool

    @classmethod
    def of(cls, c: LinkCluster) -> ClusterRefOut:
        return cls(
            id=c.pk,
            size=c.size,
            spans_regions=c.spans_regions,
            confirmed=c.confirmed_at is not None,
        )


class CaseRefOut(Schema):
    id: int
    label: str


class TipLinkOut(Schema):
    institution_id: int
    tip_id: int
    matched_by: str
    confirmed_at: dt.datetime

    @classmethod
    def of(cls, link: InstitutionTipLink) -> TipLinkOut:
        return cls(
            institution_id=link.institution_id,
            tip_id=link.tip_id,
            matched_by=link.matched_by,
            confirmed_at=link.confirmed_at,
        )


class HazardOut(Schema):
    id: int
    number: str
    institution: InstitutionRef | None
    sector: Sector
    sector_label: str
    region: RegionRef
    problem: str
    found_by_unit: UnitRef
    found_by_name: str
    found_on: dt.date
    unit: UnitRef = Field(description="整治责任单位")
    due_on: dt.date
    measures: str
    state: HazardState
    state_label: str
    is_overdue: bool
    rectified_at: dt.datetime | None
    verified_at: dt.datetime | None
    check_note: str
    version: int
    created_at: dt.datetime

    @classmethod
    def of(cls, h: Hazard) -> HazardOut:
        return cls(
            id=h.pk,
            number=h.number,
            institution=InstitutionRef.of(h.institution),
            sector=Sector(h.sector),
            sector_label=h.get_sector_display(),
            region=RegionRef.of(h.region),
            problem=h.problem,
            found_by_unit=UnitRef.of(h.found_by_unit),
            found_by_name=h.found_by_name,
            found_on=h.found_on,
            unit=UnitRef.of(h.unit),
            due_on=h.due_on,
            measures=h.measures,
            state=HazardState(h.state),
            state_label=h.get_state_display(),
            is_overdue=h.is_overdue(),
            rectified_at=h.rectified_at,
            verified_at=h.verified_at,
            check_note=h.check_note,
            version=h.version,
            created_at=h.created_at,
        )


class HazardPage(Schema):
    items: list[HazardOut]
    next_cursor: str | None


class HazardList(Schema):
    items: list[HazardOut]


class RectLetterOut(Schema):
    id: int
    kind: LetterKind
    kind_label: str
    number: str
    issuer: UnitRef
    recipient: UnitRef
    region: RegionRef
    institution: InstitutionRef | None
    case_number: str
    problem: str
    suggestions: str
    issued_on: dt.date
    reply_due_on: dt.date
    due_at: dt.datetime = Field(description="回复期限日24时")
    state: LetterState
    state_label: str
    is_overdue: bool = Field(description="逾期未回复")
    reply: str
    replied_at: dt.datetime | None
    rectification: str
    rectified_at: dt.datetime | None
    reminder_count: int
    warned_at: dt.datetime | None
    supervised_at: dt.datetime | None
    seriously_overdue_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, lt: RectLetter) -> RectLetterOut:
        return cls(
            id=lt.pk,
            kind=LetterKind(lt.kind),
            kind_label=lt.get_kind_display(),
            number=lt.number,
            issuer=UnitRef.of(lt.issuer),
            recipient=UnitRef.of(lt.recipient),
            region=RegionRef.of(lt.region),
            institution=InstitutionRef.of(lt.institution),
            case_number=lt.case_number,
            problem=lt.problem,
            suggestions=lt.suggestions,
            issued_on=lt.issued_on,
            reply_due_on=lt.reply_due_on,
            due_at=lt.due_at,
            state=LetterState(lt.state),
            state_label=lt.get_state_display(),
            is_overdue=lt.is_open and lt.due_at <= timezone.now(),
            reply=lt.reply,
            replied_at=lt.replied_at,
            rectification=lt.rectification,
            rectified_at=lt.rectified_at,
            reminder_count=lt.reminder_count,
            warned_at=lt.warned_at,
            supervised_at=lt.supervised_at,
            seriously_overdue_at=lt.seriously_overdue_at,
            created_at=lt.created_at,
        )


class RectLetterPage(Schema):
    items: list[RectLetterOut]
    next_cursor: str | None


class RectChaseOut(Schema):
    kind: RectChaseKind
    kind_label: str
    created_at: dt.datetime
    by_unit: UnitRef | None
    to_unit: UnitRef
    responsible_name: str = Field(description="责任人")
    note: str

    @classmethod
    def of(cls, c: Chase) -> RectChaseOut:
        return cls(
            kind=ChaseKind(c.kind),
            kind_label=c.get_kind_display(),
            created_at=c.created_at,
            by_unit=UnitRef.of(c.by_unit) if c.by_unit else None,
            to_unit=UnitRef.of(c.to_unit),
            responsible_name=c.responsible_name,
            note=c.note,
        )


class TaskOut(Schema):
    id: int
    number: str
    title: str
    source: TaskSource
    source_label: str
    source_note: str
    hazard: RecordRef | None
    letter: RecordRef | None
    region: RegionRef
    lead_unit: UnitRef
    co_units: list[UnitRef]
    measures: str
    responsible_name: str
    due_on: dt.date = Field(description="整改期限（设定阶段目标后为最后一个目标的时限）")
    due_at: dt.datetime = Field(description="计时到：最早未完成的阶段目标之日24时，否则整改期限")
    state: TaskState
    state_label: str
    is_overdue: bool
    submitted_at: dt.datetime | None
    completion_summary: str
    checked_at: dt.datetime | None
    checked_by_name: str | None
    check_note: str
    closed_at: dt.datetime | None
    reminder_count: int
    warned_at: dt.datetime | None
    supervised_at: dt.datetime | None
    seriously_overdue_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, t: Task) -> TaskOut:
        return cls(
            id=t.pk,
            number=t.number,
            title=t.title,
            source=TaskSource(t.source),
            source_label=t.get_source_display(),
            source_note=t.source_note,
            hazard=RecordRef(id=t.hazard.pk, number=t.hazard.number) if t.hazard else None,
            letter=RecordRef(id=t.letter.pk, number=t.letter.number) if t.letter else None,
            region=RegionRef.of(t.region),
            lead_unit=UnitRef.of(t.lead_unit),
            co_units=[UnitRef.of(u) for u in t.co_units.all()],
            measures=t.measures,
            responsible_name=t.responsible_name,
            due_on=t.due_on,
            due_at=t.due_at,
            state=TaskState(t.state),
            state_label=t.get_state_display(),
            is_overdue=t.state == TaskState.OPEN and t.due_at <= timezone.now(),
            submitted_at=t.submitted_at,
            completion_summary=t.completion_summary,
            checked_at=t.checked_at,
            checked_by_name=_name(t.checked_by),
            check_note=t.check_note,
            closed_at=t.closed_at,
            reminder_count=t.reminder_count,
            warned_at=t.warned_at,
            supervised_at=t.supervised_at,
            seriously_overdue_at=t.seriously_overdue_at,
            created_at=t.created_at,
        )


class TaskPage(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    is_stage_goal: bool = Field(description="阶段目标（否则为整改节点）")
    done_at: dt.datetime | None
    done_note: str

    @classmethod
    def of(cls, m: Milestone) -> MilestoneOut:
        return cls(
            id=m.pk,
            title=m.title,
            due_on=m.due_on,
            is_stage_goal=m.is_stage_goal,
            done_at=m.done_at,
            done_note=m.done_note,
        )


class EvidenceOut(Schema):
    id: int
    name: str = Field(description="上传时的文件名")
    content_type: str = Field(description="按文件内容识别的类型")
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download: str = Field(description="下载地址（查看范围内可下载）")

    @classmethod
    def of(cls, e: Evidence) -> EvidenceOut:
        return cls(
            id=e.pk,
            name=e.original_name,
            content_type=e.content_type,
            size=e.size,
            sha256=e.sha256,
            uploaded_at=e.uploaded_at,
            download=f"/api/rectification/evidence/{e.pk}",
        )


class ProgressOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    written_by_name: str | None
    written_at: dt.datetime
    text: str
    evidence: list[EvidenceOut] = Field(description=f"佐证材料（每次至多{MAX_FILES}个）")

    @classmethod
    def of(cls, p: Progress) -> ProgressOut:
        return cls(
            id=p.pk,
            task_id=p.task_id,
            unit=UnitRef.of(p.unit),
            written_by_name=_name(p.written_by),
            written_at=p.written_at,
            text=p.text,
            evidence=[EvidenceOut.of(e) for e in p.evidence.all()],
        )


class RectRuleOut(Schema):
    id: int
    title: str
    kind: RuleKind
    kind_label: str
    unit: UnitRef = Field(description="制定单位")
    region: RegionRef
    doc_number: str
    issued_on: dt.date
    summary: str
    letter: RecordRef | None
    task: RecordRef | None
    created_at: dt.datetime

    @classmethod
    def of(cls, r: Rule) -> RectRuleOut:
        return cls(
            id=r.pk,
            title=r.title,
            kind=RuleKind(r.kind),
            kind_label=r.get_kind_display(),
            unit=UnitRef.of(r.unit),
            region=RegionRef.of(r.region),
            doc_number=r.doc_number,
            issued_on=r.issued_on,
            summary=r.summary,
            letter=RecordRef(id=r.letter.pk, number=r.letter.number) if r.letter else None,
            task=RecordRef(id=r.task.pk, number=r.task.number) if r.task else None,
            created_at=r.created_at,
        )


class RectRulePage(Schema):
    items: list[RectRuleOut]
    next_cursor: str | None


# -- details ---------------------------------------------------------------------------------------


class InstitutionDetail(InstitutionOut):
    created_by_unit: UnitRef | None
    editable: bool = Field(description="您可更新机构信息")
    tips: list[TipListItem] = Field(description="确认涉及本机构的线索（您可查看的，至多200条）")
    candidates: list[TipCandidateOut] = Field(
        description="可能涉及本机构、尚待确认的线索（有登记权限时）"
    )
    clusters: list[ClusterRefOut] = Field(description="上述线索所在的串并组")
    cases: list[CaseRefOut] | None = Field(
        description="涉及本机构的案件；案件台账尚不关联机构时为 null"
    )
    hazards: list[HazardOut]
    letters: list[RectLetterOut] = Field(description="涉及本机构或其隐患整改任务的文书")
    tasks: list[TaskOut] = Field(description="本机构隐患的整改任务")
    timeline: list[TimelineEvent]


class HazardDetail(HazardOut):
    tasks: list[TaskOut]
    timeline: list[TimelineEvent]


class RectLetterDetail(RectLetterOut):
    overdue_working_days: int
    chases: list[RectChaseOut] = Field(description="临期预警、催办、督办、严重超期")
    tasks: list[TaskOut]
    rules: list[RectRuleOut] = Field(description="据此建章立制")
    case: CaseRefOut | None = Field(description="来源案件（案件台账中可查看时）")
    may_add_rule: bool = Field(description="您可登记据此制定的制度")
    timeline: list[TimelineEvent]


class TaskDetail(TaskOut):
    overdue_working_days: int
    milestones: list[MilestoneOut]
    progress: list[ProgressOut] = Field(description="新的在前")
    evidence_count: int = Field(description="佐证材料份数；为0时不能报请核验或销号")
    chases: list[RectChaseOut]
    may_work: bool = Field(description="您可报送进展（牵头单位、配合单位或其上级专项办）")
    timeline: list[TimelineEvent]


class RectRuleDetail(RectRuleOut):
    documents: list[EvidenceOut]
    timeline: list[TimelineEvent]
