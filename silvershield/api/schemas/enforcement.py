"""Crackdown-ledger schemas: cases, stages, suspects, gangs, asset recovery, cold-case reviews.

Money travels as a decimal string in 元 with two places (``"120000.50"``). Input money is parsed by
``enforcement.money.parse_amount``, so a JSON float, a negative amount or more than two places is
refused with the same Chinese message as on the pages. Rates are fractions with four places
(``"0.3500"`` = 35.00%), ``null`` when the victims' losses are zero. Suspects' names appear only
here, for those who see the case; never in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from silvershield.api.schemas.common import Money, RegionCode, RegionRef, UnitRef
from silvershield.api.schemas.tips import TimelineEvent
from silvershield.core.choices import FraudType
from silvershield.enforcement.models import (
    SECURING_KINDS,
    Case,
    CaseStage,
    ColdCaseReview,
    Gang,
    RecoveryKind,
    RecoveryRecord,
    Suspect,
    SuspectStatus,
)
from silvershield.enforcement.money import ZERO, Recovery, parse_amount
from silvershield.intake.models import LinkCluster, Tip


def _parse_money(value: object) -> Decimal:
    try:
        return parse_amount(value)
    except ValueError as exc:
        raise PydanticCustomError("money", str(exc)) from None


MoneyText = Annotated[
    Decimal,
    PlainValidator(_parse_money),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,14}(\.\d{1,2})?$",
            "examples": ["120000.50"],
            "description": "金额（元），十进制字符串，至多两位小数；不接受浮点数、负数",
        }
    ),
]
Rate = Annotated[
    Decimal, PlainSerializer(lambda v: f"{v:.4f}", return_type=str, when_used="always")
]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
ListId = Annotated[int, Field(ge=1, le=2**63 - 1)]
People = Annotated[int, Field(ge=0, le=10_000_000)]
MAX_TIPS = 200
MAX_MEMBERS = 200
MAX_RELEASES = 50
VERSION_FIELD = Field(
    None, description="案件的版本号（取自案件详情）；案件已被他人修改时返回409。不填则不检查"
)
ON_FIELD = Field(description="日期（不晚于今天，不早于之前各阶段的日期）")


# -- input -------------------------------------------------------------------------------------


class CaseFiltersIn(Schema):
    region: RegionCode | None = Field(None, description="案发地区代码（含其下级地区）")
    stage: CaseStage | None = None
    fraud_type: FraudType | None = None
    date_from: dt.date | None = Field(None, description="立案日期自（含）")
    date_to: dt.date | None = Field(None, description="立案日期至（含）")
    q: Annotated[str, Field(max_length=100)] = Field("", description="关键词（案件编号、名称）")
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="上一页返回的 next_cursor；无效的游标按第一页处理"
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class GangFiltersIn(Schema):
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="上一页返回的 next_cursor；无效的游标按第一页处理"
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class CaseCreateIn(Schema):
    owner_unit_id: ListId = Field(description="办案单位（公安机关：本单位，或本专项办辖区内的）")
    number: Annotated[str, Field(max_length=40)] = Field(
        description="案件编号（同一单位内不得重复）"
    )
    name: Annotated[str, Field(max_length=200)] = Field(description="案件名称")
    fraud_type: FraudType = Field(description="养老诈骗类型")
    region_code: RegionCode = Field(description="案发地区代码（须在办案单位辖区内）")
    filed_on: dt.date = Field(description="立案日期（不晚于今天）")
    amount_involved: MoneyText = Field(Decimal("0.00"), description="涉案金额（元）")
    victim_loss: MoneyText = Field(Decimal("0.00"), description="受害人损失（元）")
    victim_count: People = 0
    elderly_victim_count: People = Field(0, description="其中老年人（不超过受害人数）")
    summary: Annotated[str, Field(max_length=5000)] = Field("", description="简要案情")
    tip_ids: Annotated[list[ListId], Field(max_length=MAX_TIPS)] = Field(
        default_factory=list, description="来源线索（须在您的查看范围内）"
    )
    cluster_id: ListId | None = Field(
        None, description="串并组：案件记录该组，并关联组内您可查看的全部线索"
    )


class CaseFromReportIn(Schema):
    owner_unit_id: ListId = Field(description="办案单位（公安机关）")
    number: Annotated[str, Field(max_length=40)] = Field(description="案件编号")
    filed_on: dt.date | None = Field(None, description="立案日期；缺省为报告报送日期")
    name: Annotated[str, Field(max_length=200)] = Field("", description="案件名称；缺省为线索标题")


class CaseUpdateIn(Schema):
    """Only the fields sent (and not null) change."""

    name: Annotated[str, Field(max_length=200)] | None = None
    fraud_type: FraudType | None = None
    summary: Annotated[str, Field(max_length=5000)] | None = None
    amount_involved: MoneyText | None = None
    victim_loss: MoneyText | None = None
    victim_count: People | None = None
    elderly_victim_count: People | None = None
    over_recovery_reason: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="追赃挽损超过受害人损失时的说明"
    )
    version: Version | None = VERSION_FIELD


class SolveIn(Schema):
    on: dt.date = ON_FIELD
    version: Version | None = VERSION_FIELD


class ReferIn(Schema):
    on: dt.date = ON_FIELD
    to_unit_id: ListId = Field(description="受理移送起诉的检察院")
    version: Version | None = VERSION_FIELD


class ProsecuteIn(Schema):
    on: dt.date = ON_FIELD
    to_unit_id: ListId = Field(description="受理起诉的法院")
    outcome: Annotated[str, Field(max_length=500)] = Field("", description="起诉情况")
    version: Version | None = VERSION_FIELD


class JudgeIn(Schema):
    on: dt.date = ON_FIELD
    outcome: Annotated[str, Field(max_length=500)] = Field(description="判决结果")
    version: Version | None = VERSION_FIELD


class WithdrawIn(Schema):
    on: dt.date = ON_FIELD
    reason: Annotated[str, Field(max_length=500)] = Field(description="撤案理由（不少于4个字）")
    version: Version | None = VERSION_FIELD


class TipLinkIn(Schema):
    tip_id: ListId = Field(description="再关联一条线索（须在您的查看范围内）")


class SuspectIn(Schema):
    name: Annotated[str, Field(max_length=50)] = Field(description="姓名")
    status: SuspectStatus
    caught_on: dt.date | None = Field(None, description="抓获/到案日期；在逃人员不填")
    note: Annotated[str, Field(max_length=200)] = ""


class SuspectUpdateIn(Schema):
    status: SuspectStatus
    caught_on: dt.date | None = Field(None, description="抓获/到案日期；在逃人员不填")
    note: Annotated[str, Field(max_length=200)] | None = Field(None, description="不填则不变")


class CatchIn(Schema):
    on: dt.date = Field(description="到案日期")


class GangCreateIn(Schema):
    name: Annotated[str, Field(max_length=100)] = Field(description="团伙名称")
    member_ids: Annotated[list[ListId], Field(max_length=MAX_MEMBERS)] = Field(
        default_factory=list, description="成员（本案嫌疑人）"
    )


class GangLinkIn(Schema):
    case_id: ListId = Field(description="关联的案件（串案）；已关联时只增加成员")
    member_ids: Annotated[list[ListId], Field(max_length=MAX_MEMBERS)] = Field(
        default_factory=list, description="该案嫌疑人中的团伙成员"
    )


class BrokenIn(Schema):
    on: dt.date = Field(description="打掉日期")


class ReleaseIn(Schema):
    secured_record_id: ListId = Field(description="本案的止付冻结或查封扣押记录")
    amount: MoneyText = Field(description="从该记录释放的金额（元），不超过其尚余金额")


class RecoveryIn(Schema):
    kind: RecoveryKind = Field(description="freeze 止付冻结；seize 查封扣押；return 返还")
    amount: MoneyText = Field(description="金额（元），大于0")
    on: dt.date
    note: Annotated[str, Field(max_length=300)] = ""
    releases: Annotated[list[ReleaseIn], Field(max_length=MAX_RELEASES)] = Field(
        default_factory=list,
        description="返还时释放的冻结/扣押资金（每条记录至多一次；合计不超过返还金额）；不填为直接退赔",
    )
    over_loss_reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="记录后追赃挽损超过受害人损失时须说明原因"
    )


class ColdFlagIn(Schema):
    reason: Annotated[str, Field(max_length=500)] = Field(
        description="列为陈案积案的原因（不少于4个字）"
    )
    due_on: dt.date = Field(description="回头看期限（不早于今天）")


class ColdReviewIn(Schema):
    outcome: Annotated[str, Field(max_length=1000)] = Field(description="回头看结果（不少于4个字）")
    reviewed_on: dt.date | None = Field(None, description="完成日期；缺省为今天")


# -- output ------------------------------------------------------------------------------------


class CaseRef(Schema):
    id: int
    number: str
    name: str

    @classmethod
    def of(cls, case: Case) -> CaseRef:
        return cls(id=case.pk, number=case.number, name=case.name)


class CaseMoneyOut(Schema):
    losses: Money = Field(description="受害人损失")
    secured: Money = Field(description="止付冻结、查封扣押合计")
    released: Money = Field(description="其中已随返还释放")
    secured_outstanding: Money = Field(description="尚冻结/扣押（secured − released）")
    returned: Money = Field(description="返还")
    recovered: Money = Field(
        description="追赃挽损（secured_outstanding + returned，每一元只计一次）"
    )
    recovery_rate: Rate | None = Field(
        description="追赃挽损率 recovered ÷ losses；损失为0时为 null"
    )
    returned_rate: Rate | None = Field(description="返还率 returned ÷ losses")

    @classmethod
    def of(cls, rec: Recovery) -> CaseMoneyOut:
        return cls(
            losses=rec.losses,
            secured=rec.secured,
            released=rec.released,
            secured_outstanding=rec.secured_outstanding,
            returned=rec.returned,
            recovered=rec.recovered,
            recovery_rate=rec.recovery_rate,
            returned_rate=rec.returned_rate,
        )


class SuspectCounts(Schema):
    total: int
    caught: int = Field(description="已抓获（含追逃到案）")
    at_large: int


class CaseListItem(Schema):
    id: int
    number: str
    name: str
    stage: CaseStage
    stage_label: str
    fraud_type: FraudType
    fraud_type_label: str
    region: RegionRef
    owner_unit: UnitRef
    filed_on: dt.date
    amount_involved: Money
    victim_count: int
    elderly_victim_count: int
    money: CaseMoneyOut
    suspects: SuspectCounts

    @classmethod
    def of(cls, case: Case, rec: Recovery, suspects: SuspectCounts) -> CaseListItem:
        return cls(
            id=case.pk,
            number=case.number,
            name=case.name,
            stage=CaseStage(case.stage),
            stage_label=case.get_stage_display(),
            fraud_type=FraudType(case.fraud_type),
            fraud_type_label=case.get_fraud_type_display(),
            region=RegionRef.of(case.region),
            owner_unit=UnitRef.of(case.owner_unit),
            filed_on=case.filed_on,
            amount_involved=case.amount_involved,
            victim_count=case.victim_count,
            elderly_victim_count=case.elderly_victim_count,
            money=CaseMoneyOut.of(rec),
            suspects=suspects,
        )


class CasePage(Schema):
    items: list[CaseListItem]
    next_cursor: str | None = Field(description="下一页的游标；没有更多时为 null")


class CaseList(Schema):
    items: list[CaseListItem]


class CaseTipOut(Schema):
    id: int
    number: str
    can_open: bool = Field(description="您能否查看该线索的内容")
    title: str | None = Field(description="线索标题；无权查看时为 null")

    @classmethod
    def of(cls, tip: Tip, can_open: bool) -> CaseTipOut:
        return cls(
            id=tip.pk,
            number=tip.number,
            can_open=can_open,
            title=tip.display_title if can_open else None,
        )


class ClusterRef(Schema):
    id: int
    size: int
    spans_regions: bool
    confirmed: bool

    @classmethod
    def of(cls, cluster: LinkCluster) -> ClusterRef:
        return cls(
            id=cluster.pk,
            size=cluster.size,
            spans_regions=cluster.spans_regions,
            confirmed=cluster.confirmed_at is not None,
        )


class SuspectOut(Schema):
    id: int
    case_id: int
    name: str
    status: SuspectStatus
    status_label: str
    caught_on: dt.date | None
    note: str

    @classmethod
    def of(cls, s: Suspect) -> SuspectOut:
        return cls(
            id=s.pk,
            case_id=s.case_id,
            name=s.name,
            status=SuspectStatus(s.status),
            status_label=s.get_status_display(),
            caught_on=s.caught_on,
            note=s.note,
        )


class GangOut(Schema):
    id: int
    name: str
    region: RegionRef
    owner_unit: UnitRef
    broken_on: dt.date | None = Field(description="打掉日期；未打掉为 null")
    case_count: int
    member_count: int
    created_at: dt.datetime

    @classmethod
    def of(cls, gang: Gang) -> GangOut:
        return cls(
            id=gang.pk,
            name=gang.name,
            region=RegionRef.of(gang.region),
            owner_unit=UnitRef.of(gang.owner_unit),
            broken_on=gang.broken_on,
            case_count=len(gang.cases.all()),
            member_count=len(gang.members.all()),
            created_at=gang.created_at,
        )


class CaseGangOut(GangOut):
    member_ids: list[int] = Field(description="本案嫌疑人中的团伙成员")


class GangPage(Schema):
    items: list[GangOut]
    next_cursor: str | None


class GangDetail(GangOut):
    cases: list[CaseRef] = Field(description="您可查看的关联案件")
    hidden_case_count: int = Field(description="不在您查看范围内的关联案件数")
    members: list[SuspectOut] = Field(description="您可查看的案件中的团伙成员")
    timeline: list[TimelineEvent]


class ReleaseOut(Schema):
    secured_record_id: int
    amount: Money


class RecoveryOut(Schema):
    id: int
    kind: RecoveryKind
    kind_label: str
    amount: Money
    on: dt.date
    unit: UnitRef = Field(description="实施单位")
    note: str
    outstanding: Money | None = Field(description="冻结/扣押记录尚余（未释放）的金额；返还为 null")
    releases: list[ReleaseOut] = Field(description="返还所释放的冻结/扣押资金")
    created_at: dt.datetime

    @classmethod
    def of(cls, r: RecoveryRecord, outstanding: dict[int, Decimal]) -> RecoveryOut:
        return cls(
            id=r.pk,
            kind=RecoveryKind(r.kind),
            kind_label=r.get_kind_display(),
            amount=r.amount,
            on=r.on,
            unit=UnitRef.of(r.unit),
            note=r.note,
            outstanding=outstanding.get(r.pk, ZERO) if r.kind in SECURING_KINDS else None,
            releases=[
                ReleaseOut(secured_record_id=d.secured_record_id, amount=d.amount)
                for d in r.draws.all()
            ],
            created_at=r.created_at,
        )


class RecoveryList(Schema):
    money: CaseMoneyOut
    items: list[RecoveryOut] = Field(description="按日期先后")


class RecoveryRecordedOut(Schema):
    record: RecoveryOut
    money: CaseMoneyOut = Field(description="记录后的案件金额")


class ColdReviewOut(Schema):
    id: int
    case: CaseRef
    reason: str
    flagged_on: dt.date
    due_on: dt.date
    flagged_by_unit: UnitRef
    is_open: bool
    is_overdue: bool = Field(description="未完成且已过回头看期限")
    reviewed_on: dt.date | None
    outcome: str
    reviewed_by_unit: UnitRef | None

    @classmethod
    def of(cls, r: ColdCaseReview) -> ColdReviewOut:
        return cls(
            id=r.pk,
            case=CaseRef.of(r.case),
            reason=r.reason,
            flagged_on=r.flagged_on,
            due_on=r.due_on,
            flagged_by_unit=UnitRef.of(r.flagged_by_unit),
            is_open=r.is_open,
            is_overdue=r.is_open and r.due_on < timezone.localdate(),
            reviewed_on=r.reviewed_on,
            outcome=r.outcome,
            reviewed_by_unit=UnitRef.of(r.reviewed_by_unit) if r.reviewed_by_unit else None,
        )


class ColdReviewList(Schema):
    items: list[ColdReviewOut] = Field(description="期限最近的在前，至多500条")


class CaseDetail(CaseListItem):
    created_by_unit: UnitRef = Field(description="登记单位")
    summary: str
    victim_loss: Money
    over_recovery_reason: str
    solved_on: dt.date | None
    referred_on: dt.date | None
    referred_to: UnitRef | None = Field(description="移送起诉的检察院")
    prosecuted_on: dt.date | None
    prosecuted_to: UnitRef | None = Field(description="起诉至的法院")
    prosecution_outcome: str
    judged_on: dt.date | None
    judgment_outcome: str
    withdrawn_on: dt.date | None
    withdrawn_reason: str
    source_report_id: int | None = Field(description="由其立案的核查报告")
    cluster: ClusterRef | None = Field(description="案件来源的串并组")
    version: int
    created_at: dt.datetime
    tips: list[CaseTipOut]
    suspect_list: list[SuspectOut]
    gangs: list[CaseGangOut]
    recoveries: list[RecoveryOut]
    reviews: list[ColdReviewOut] = Field(description="陈案积案回头看，新的在前")
    timeline: list[TimelineEvent]
