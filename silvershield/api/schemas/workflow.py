"""Workflow schemas: screening decisions, transfers, reports, extensions, letters, chasing.

Nothing here carries the reporter's identity. ``version`` is the tip's optimistic version (as in
``GET /tips/{id}``): send it back to be told (409) when someone else changed the tip meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from silvershield.api.schemas.common import UnitRef
from silvershield.core.choices import FraudType
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.workflow.models import (
    ChaseAction,
    ChaseKind,
    Conclusion,
    ExtensionRequest,
    ExtensionState,
    Measure,
    ReporterFeedback,
    ReportState,
    Transfer,
    TransferLetter,
    TransferState,
    VerificationReport,
)

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Days = Annotated[int, Field(ge=1, le=90)]
ListId = Annotated[int, Field(ge=1, le=2**63 - 1)]
MAX_BATCH = 200
VERSION_FIELD = Field(
    None, description="线索的版本号（取自线索详情）；线索已被他人修改时返回409。不填则不检查"
)


def _name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.full_name or user.username


# -- input -------------------------------------------------------------------------------------


class ClassifyIn(Schema):
    fraud_type: FraudType = Field(description="诈骗类型（不属于养老诈骗的请标记为无效）")
    note: Annotated[str, Field(max_length=200)] = Field("", description="甄别意见")
    version: Version | None = VERSION_FIELD


class InvalidateIn(Schema):
    reason: Annotated[str, Field(max_length=300)] = Field(description="无效理由（不少于4个字）")
    version: Version | None = VERSION_FIELD


class MergeIn(Schema):
    into_number: Annotated[str, Field(max_length=32)] = Field(description="合并到的线索编号")
    version: Version | None = VERSION_FIELD


class VersionIn(Schema):
    version: Version | None = VERSION_FIELD


class TransferFieldsIn(Schema):
    lead_unit_id: ListId = Field(description="牵头单位")
    co_unit_ids: Annotated[list[ListId], Field(max_length=20)] = Field(
        default_factory=list, description="配合单位（可多个）"
    )
    working_days: Days | None = Field(
        None, description="办理时限（1–90个工作日）；不填按专项行动规定"
    )
    absolute_due_on: dt.date | None = Field(
        None, description="上级规定的办理时限（该日24时前）；期限不晚于此"
    )
    note: Annotated[str, Field(max_length=500)] = Field("", description="转办意见")


class TransferIn(TransferFieldsIn):
    version: Version | None = VERSION_FIELD


class BatchTransferIn(TransferFieldsIn):
    tip_ids: Annotated[list[ListId], Field(min_length=1, max_length=MAX_BATCH)] = Field(
        description="要一并转办的线索（同一份转办函）"
    )
    versions: dict[str, Version] | None = Field(
        None, description="各线索的版本号：{线索id: 版本号}；不填则不检查"
    )


class FeedbackIn(Schema):
    text: Annotated[str, Field(max_length=2000)] = Field(description="给举报人的答复（10–2000字）")


class CloseIn(Schema):
    note: Annotated[str, Field(max_length=500)] = Field("", description="办结说明")
    version: Version | None = VERSION_FIELD


class ReopenIn(Schema):
    reason: Annotated[str, Field(max_length=500)] = Field(
        description="回头看、重新启动的理由（不少于4个字）"
    )
    version: Version | None = VERSION_FIELD


class SignIn(Schema):
    """签收无需填写内容，发送 `{}` 即可。"""


class SendBackIn(Schema):
    reason: Annotated[str, Field(max_length=500)] = Field(
        description="非本单位职责的理由（不少于4个字）"
    )


class RetransferIn(Schema):
    to_unit_id: ListId = Field(description="下转单位（本单位辖区内）")
    working_days: Days | None = Field(None, description="办理时限（工作日），不超过本单位期限")
    note: Annotated[str, Field(max_length=500)] = Field("", description="下转意见")


class ExtensionIn(Schema):
    extra_working_days: Annotated[int, Field(ge=1, le=60)] = Field(
        description="申请延期的工作日数（1–60）"
    )
    reason: Annotated[str, Field(max_length=500)] = Field(description="延期理由（不少于4个字）")


class TakeOverIn(Schema):
    note: Annotated[str, Field(max_length=500)] = Field(description="兜底核查理由（不少于4个字）")


class ReassignIn(Schema):
    to_unit_id: ListId = Field(description="改派至的单位")
    note: Annotated[str, Field(max_length=500)] = Field(description="改派理由（不少于4个字）")


class ReportIn(Schema):
    conclusion: Conclusion = Field(description="唯一的核查结论")
    facts: Annotated[str, Field(max_length=10000)] = Field(description="核查情况（不少于10个字）")
    measures: Annotated[list[Measure], Field(max_length=len(Measure.values))] = Field(
        default_factory=list, description="处理措施；结论为属实或部分属实时必填"
    )
    measures_note: Annotated[str, Field(max_length=1000)] = Field(
        "", description="措施说明；选择“其他”时必填"
    )


class ReviewIn(Schema):
    accept: bool = Field(description="true 通过；false 退回补充核查（须写明理由）")
    note: Annotated[str, Field(max_length=1000)] = Field("", description="审核意见")


class DecideIn(Schema):
    grant: bool = Field(description="true 同意延期；false 不同意（须写明理由）")
    note: Annotated[str, Field(max_length=500)] = Field("", description="审批意见")


class TransferBoxIn(Schema):
    box: Literal["to_sign", "to_verify", "overdue"] = Field(
        description="to_sign 待签收；to_verify 待核查（含报告被退回）；overdue 超期未办结"
    )


class ReportBoxIn(Schema):
    box: Literal["to_review"] = Field("to_review", description="to_review 待本人审核的核查报告")


# -- output ------------------------------------------------------------------------------------


class TipRef(Schema):
    id: int
    number: str

    @classmethod
    def of(cls, tip: Tip) -> TipRef:
        return cls(id=tip.pk, number=tip.number)


class TipStateOut(Schema):
    id: int
    number: str
    state: TipState
    state_label: str
    version: int = Field(description="新的版本号")

    @classmethod
    def of(cls, tip: Tip) -> TipStateOut:
        return cls(
            id=tip.pk,
            number=tip.number,
            state=TipState(tip.state),
            state_label=tip.get_state_display(),
            version=tip.version,
        )


class LetterRef(Schema):
    id: int
    number: str = Field(description="文号，如 湖养诈办〔2026〕12号")


class TransferOut(Schema):
    id: int
    tip: TipRef
    parent_id: int | None = Field(description="上级转办（下转、兜底核查时）")
    from_unit: UnitRef
    lead_unit: UnitRef
    co_units: list[UnitRef]
    letter: LetterRef | None
    created_at: dt.datetime
    working_days: int
    absolute_due_at: dt.datetime | None
    due_at: dt.datetime = Field(description="办理期限（期限日24时）")
    due_text: str = Field(description="期限日，如 2026-03-20 24时")
    due_provisional: bool = Field(description="期限待定：跨入的年份节假日安排尚未公布")
    is_overdue: bool
    note: str
    state: TransferState
    state_label: str
    signed_at: dt.datetime | None
    signed_by_name: str | None
    send_back_reason: str
    closed_at: dt.datetime | None
    reminder_count: int
    warned_at: dt.datetime | None
    supervised_at: dt.datetime | None
    seriously_overdue_at: dt.datetime | None

    @classmethod
    def of(cls, t: Transfer) -> TransferOut:
        letter = t.letter
        return cls(
            id=t.pk,
            tip=TipRef.of(t.tip),
            parent_id=t.parent_id,
            from_unit=UnitRef.of(t.from_unit),
            lead_unit=UnitRef.of(t.lead_unit),
            co_units=[UnitRef.of(u) for u in t.co_units.all()],
            letter=LetterRef(id=letter.pk, number=letter.number) if letter else None,
            created_at=t.created_at,
            working_days=t.working_days,
            absolute_due_at=t.absolute_due_at,
            due_at=t.due_at,
            due_text=t.due_text,
            due_provisional=t.due_provisional,
            is_overdue=t.is_open and t.due_at < timezone.now(),
            note=t.note,
            state=TransferState(t.state),
            state_label=t.get_state_display(),
            signed_at=t.signed_at,
            signed_by_name=_name(t.signed_by),
            send_back_reason=t.send_back_reason,
            closed_at=t.closed_at,
            reminder_count=t.reminder_count,
            warned_at=t.warned_at,
            supervised_at=t.supervised_at,
            seriously_overdue_at=t.seriously_overdue_at,
        )


class TransferList(Schema):
    items: list[TransferOut] = Field(description="按期限先后，至多500条")


class TransfersCreatedOut(Schema):
    letter: LetterRef = Field(description="一并印发的转办函")
    transfers: list[TransferOut]


class ReportOut(Schema):
    id: int
    transfer_id: int
    tip: TipRef
    unit: UnitRef
    submitted_at: dt.datetime
    submitted_by_name: str | None
    conclusion: Conclusion
    conclusion_label: str
    facts: str
    measures: list[str]
    measure_labels: list[str]
    measures_note: str
    state: ReportState
    state_label: str
    reviewed_at: dt.datetime | None
    reviewed_by_name: str | None
    review_note: str

    @classmethod
    def of(cls, r: VerificationReport) -> ReportOut:
        return cls(
            id=r.pk,
            transfer_id=r.transfer_id,
            tip=TipRef.of(r.tip),
            unit=UnitRef.of(r.unit),
            submitted_at=r.submitted_at,
            submitted_by_name=_name(r.submitted_by),
            conclusion=Conclusion(r.conclusion),
            conclusion_label=r.get_conclusion_display(),
            facts=r.facts,
            measures=list(r.measures),
            measure_labels=r.measure_labels(),
            measures_note=r.measures_note,
            state=ReportState(r.state),
            state_label=r.get_state_display(),
            reviewed_at=r.reviewed_at,
            reviewed_by_name=_name(r.reviewed_by),
            review_note=r.review_note,
        )


class ReportList(Schema):
    items: list[ReportOut] = Field(description="至多500条")


class ExtensionOut(Schema):
    id: int
    transfer_id: int
    tip: TipRef
    lead_unit: UnitRef
    requested_at: dt.datetime
    requested_by_name: str | None
    extra_working_days: int
    reason: str
    state: ExtensionState
    state_label: str
    decided_at: dt.datetime | None
    decided_by_name: str | None
    decision_note: str
    old_due_at: dt.datetime | None
    new_due_at: dt.datetime | None

    @classmethod
    def of(cls, e: ExtensionRequest) -> ExtensionOut:
        return cls(
            id=e.pk,
            transfer_id=e.transfer_id,
            tip=TipRef.of(e.transfer.tip),
            lead_unit=UnitRef.of(e.transfer.lead_unit),
            requested_at=e.requested_at,
            requested_by_name=_name(e.requested_by),
            extra_working_days=e.extra_working_days,
            reason=e.reason,
            state=ExtensionState(e.state),
            state_label=e.get_state_display(),
            decided_at=e.decided_at,
            decided_by_name=_name(e.decided_by),
            decision_note=e.decision_note,
            old_due_at=e.old_due_at,
            new_due_at=e.new_due_at,
        )


class ExtensionList(Schema):
    items: list[ExtensionOut] = Field(description="待本人审批的延期申请，至多500条")


class ChaseOut(Schema):
    kind: ChaseKind
    kind_label: str
    created_at: dt.datetime
    by_unit: UnitRef | None
    to_unit: UnitRef
    responsible_name: str = Field(description="责任人")
    note: str

    @classmethod
    def of(cls, c: ChaseAction) -> ChaseOut:
        return cls(
            kind=ChaseKind(c.kind),
            kind_label=c.get_kind_display(),
            created_at=c.created_at,
            by_unit=UnitRef.of(c.by_unit) if c.by_unit else None,
            to_unit=UnitRef.of(c.to_unit),
            responsible_name=c.responsible_name,
            note=c.note,
        )


class TipTransferOut(TransferOut):
    reports: list[ReportOut]
    extensions: list[ExtensionOut]
    chases: list[ChaseOut] = Field(description="预警、催办、督办、严重超期、兜底核查、改派")


class FeedbackOut(Schema):
    id: int
    unit: UnitRef
    written_at: dt.datetime
    written_by_name: str | None
    text: str

    @classmethod
    def of(cls, f: ReporterFeedback) -> FeedbackOut:
        return cls(
            id=f.pk,
            unit=UnitRef.of(f.unit),
            written_at=f.written_at,
            written_by_name=_name(f.written_by),
            text=f.text,
        )


class TipTransfersOut(Schema):
    tip: TipStateOut
    transfers: list[TipTransferOut] = Field(description="按转办时间先后")
    feedback: list[FeedbackOut] = Field(description="给举报人的答复，新的在前")


class LetterTipOut(Schema):
    number: str
    received_on: str
    channel: str
    region: str
    institution: str
    type: str
    substance: str


class LetterOut(Schema):
    id: int
    number: str
    title: str
    issuing_unit: UnitRef
    recipients: list[str] = Field(description="主送（牵头单位）")
    co_recipients: list[str] = Field(description="配合单位")
    deadline_text: str = Field(description="办理时限")
    requirements: str = Field(description="办理要求")
    issued_at: dt.datetime
    issued_by_name: str
    supersedes_id: int | None
    tips: list[LetterTipOut] = Field(description="线索清单")

    @classmethod
    def of(cls, letter: TransferLetter) -> LetterOut:
        return cls(
            id=letter.pk,
            number=letter.number,
            title=letter.title,
            issuing_unit=UnitRef.of(letter.issuing_unit),
            recipients=[str(r) for r in letter.recipients],
            co_recipients=[str(r) for r in letter.co_recipients],
            deadline_text=letter.deadline_text,
            requirements=letter.requirements,
            issued_at=letter.issued_at,
            issued_by_name=letter.issued_by_name,
            supersedes_id=letter.supersedes_id,
            tips=[
                LetterTipOut(
                    **{k: str(row.get(k, "")) for k in LetterTipOut.model_fields},
                )
                for row in letter.tips
            ],
        )


class LateItem(Schema):
    transfer_id: int
    tip: TipRef
    unit: UnitRef = Field(description="牵头单位")
    responsible_name: str = Field(description="责任人（签收人；未签收时为单位名称并注明）")
    signed: bool
    reminder_count: int
    last_reminder_at: dt.datetime | None
    due_at: dt.datetime
    due_text: str
    state: TransferState
    state_label: str
    supervised: bool
    seriously_overdue: bool

    @classmethod
    def of(cls, t: Transfer) -> LateItem:
        responsible = _name(t.signed_by) or f"{t.lead_unit.name}（未签收）"
        return cls(
            transfer_id=t.pk,
            tip=TipRef.of(t.tip),
            unit=UnitRef.of(t.lead_unit),
            responsible_name=responsible,
            signed=t.signed_by_id is not None,
            reminder_count=t.reminder_count,
            last_reminder_at=t.last_reminder_at,
            due_at=t.due_at,
            due_text=t.due_text,
            state=TransferState(t.state),
            state_label=t.get_state_display(),
            supervised=t.supervised_at is not None,
            seriously_overdue=t.seriously_overdue_at is not None,
        )


class LateList(Schema):
    items: list[LateItem] = Field(description="久催不办：催办两次以上仍未办结，至多500条")
