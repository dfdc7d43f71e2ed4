"""Tip schemas. Lists and details never carry the reporter's identity, only ``is_anonymous``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import AwareDatetime, Field

from silvershield.api.schemas.common import Money, MoneyIn, RegionCode, RegionRef, UnitRef
from silvershield.core.choices import FraudType
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Channel, IdentityRevealRequest, Tip, TipState
from silvershield.intake.services import MAX_CONTENT, ReporterIdentity


class TipFiltersIn(Schema):
    region: RegionCode | None = Field(None, description="地区代码（含其下级地区）")
    channel: Channel | None = None
    fraud_type: FraudType | None = None
    state: TipState | None = None
    date_from: dt.date | None = Field(None, description="受理日期自（含）")
    date_to: dt.date | None = Field(None, description="受理日期至（含）")
    q: Annotated[str, Field(max_length=100)] = Field(
        "", description="关键词（内容分词检索、编号、涉及机构、电话）"
    )
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="上一页返回的 next_cursor；无效的游标按第一页处理"
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class TipListItem(Schema):
    id: int
    number: str
    title: str = Field(description="标题；未填写时为内容开头")
    channel: Channel
    channel_label: str
    received_at: dt.datetime
    region: RegionRef
    owner_unit: UnitRef
    fraud_type: FraudType | None
    state: TipState
    state_label: str
    is_anonymous: bool
    money_amount: Money | None
    victim_count: int | None

    @classmethod
    def of(cls, tip: Tip) -> TipListItem:
        return cls(
            id=tip.pk,
            number=tip.number,
            title=tip.display_title,
            channel=Channel(tip.channel),
            channel_label=tip.get_channel_display(),
            received_at=tip.received_at,
            region=RegionRef.of(tip.region),
            owner_unit=UnitRef.of(tip.owner_unit),
            fraud_type=FraudType(tip.fraud_type) if tip.fraud_type else None,
            state=TipState(tip.state),
            state_label=tip.get_state_display(),
            is_anonymous=tip.is_anonymous,
            money_amount=tip.money_amount,
            victim_count=tip.victim_count,
        )


class TipPage(Schema):
    items: list[TipListItem]
    next_cursor: str | None = Field(description="下一页的游标；没有更多时为 null")


class TimelineEvent(Schema):
    occurred_at: dt.datetime
    action: str
    actor_name: str
    actor_unit: str
    summary: str
    outcome: str

    @classmethod
    def of(cls, event: AuditEvent) -> TimelineEvent:
        return cls(
            occurred_at=event.occurred_at,
            action=event.action,
            actor_name=event.actor_name,
            actor_unit=event.actor_unit,
            summary=event.summary,
            outcome=event.outcome,
        )


class TipDetail(TipListItem):
    content: str
    involved_institution: str
    involved_person: str
    involved_phone: str
    occurred_on: dt.date | None
    created_by_unit: UnitRef | None
    version: int
    created_at: dt.datetime
    can_reveal_identity: bool
    view_count: int = Field(description="内容被查看的次数（每次查看都记入审计）")
    timeline: list[TimelineEvent]


class ReporterIn(Schema):
    name: Annotated[str, Field(max_length=50)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""
    id_number: Annotated[str, Field(max_length=18)] = ""
    address: Annotated[str, Field(max_length=200)] = ""


class TipCreateIn(Schema):
    channel: Channel
    region_code: RegionCode = Field(description="事发地区代码（可到乡镇街道）")
    content: Annotated[str, Field(max_length=MAX_CONTENT)]
    title: Annotated[str, Field(max_length=100)] = ""
    involved_institution: Annotated[str, Field(max_length=200)] = ""
    involved_person: Annotated[str, Field(max_length=100)] = ""
    involved_phone: Annotated[str, Field(max_length=40)] = ""
    money_amount: MoneyIn | None = Field(None, description="涉及金额（元），字符串或数字，两位小数")
    victim_count: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    occurred_on: dt.date | None = None
    received_at: AwareDatetime | None = Field(None, description="受理时间（含时区）；缺省为现在")
    reporter: ReporterIn | None = Field(None, description="举报人身份；null 表示匿名举报")


class TipCreatedOut(Schema):
    id: int
    number: str
    state: TipState
    is_anonymous: bool


class RevealIn(Schema):
    reason: Annotated[str, Field(max_length=1000)] = Field(
        description="查看事由（4–200字），记入审计"
    )


class ReporterIdentityOut(Schema):
    name: str
    phone: str
    id_number: str
    address: str

    @classmethod
    def of(cls, identity: ReporterIdentity) -> ReporterIdentityOut:
        return cls(
            name=identity.name,
            phone=identity.phone,
            id_number=identity.id_number,
            address=identity.address,
        )


class ReporterSearchIn(Schema):
    phone: Annotated[str, Field(max_length=40)] = ""
    id_number: Annotated[str, Field(max_length=18)] = ""


class ReporterSearchOut(Schema):
    items: list[TipListItem] = Field(description="最近的至多200条")


class RevealDecideIn(Schema):
    approve: bool = Field(description="true 批准 / false 不批准")
    note: Annotated[str, Field(max_length=200)] = ""


class EmptyIn(Schema):
    """No fields: the step itself is the request."""


class RevealRequestOut(Schema):
    id: int
    state: str
    state_label: str
    reason: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    expires_at: dt.datetime | None

    @classmethod
    def of(cls, request: IdentityRevealRequest) -> RevealRequestOut:
        return cls(
            id=request.pk,
            state=request.state,
            state_label=request.get_state_display(),
            reason=request.reason,
            requested_at=request.requested_at,
            decided_at=request.decided_at,
            expires_at=request.expires_at,
        )
