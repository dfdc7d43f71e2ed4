"""The campaign, its deadline policy and its routing rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, PlainSerializer

from silvershield.campaigns.models import Campaign, RoutingRule
from silvershield.core.choices import FraudType
from silvershield.orgs.models import Sector

Ratio = Annotated[
    Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="always")
]
SmallInt = Annotated[int, Field(ge=0, le=32767)]


class RoutingRuleOut(Schema):
    fraud_type: FraudType
    fraud_type_label: str
    sector: Sector
    sector_label: str

    @classmethod
    def of(cls, rule: RoutingRule) -> RoutingRuleOut:
        return cls(
            fraud_type=FraudType(rule.fraud_type),
            fraud_type_label=rule.get_fraud_type_display(),
            sector=Sector(rule.sector),
            sector_label=rule.get_sector_display(),
        )


class CampaignOut(Schema):
    id: int
    name: str
    code: str
    starts_on: dt.date
    ends_on: dt.date
    is_active: bool
    transfer_working_days: int
    warning_ratio: Ratio
    reminder_interval_days: int
    reminders_before_supervision: int
    serious_overdue_days: int
    routing_rules: list[RoutingRuleOut]

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignOut:
        return cls(
            id=campaign.pk,
            name=campaign.name,
            code=campaign.code,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            is_active=campaign.is_active,
            transfer_working_days=campaign.transfer_working_days,
            warning_ratio=campaign.warning_ratio,
            reminder_interval_days=campaign.reminder_interval_days,
            reminders_before_supervision=campaign.reminders_before_supervision,
            serious_overdue_days=campaign.serious_overdue_days,
            routing_rules=[RoutingRuleOut.of(r) for r in campaign.routing_rules.all()],
        )


class CampaignPolicyIn(Schema):
    """Only the fields sent are changed."""

    name: Annotated[str, Field(max_length=100)] | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    is_active: bool | None = None
    transfer_working_days: SmallInt | None = Field(None, description="转办办理时限（工作日，1–90）")
    warning_ratio: Annotated[Decimal, Field(max_digits=3, decimal_places=2)] | None = Field(
        None, description="预警比例（0.10–0.99）"
    )
    reminder_interval_days: SmallInt | None = Field(None, description="催办间隔（工作日，1–30）")
    reminders_before_supervision: SmallInt | None = Field(
        None, description="催办几次后督办（1–10）"
    )
    serious_overdue_days: SmallInt | None = Field(None, description="严重超期（工作日，1–90）")


class RoutingRuleIn(Schema):
    fraud_type: FraudType
    sector: Sector
