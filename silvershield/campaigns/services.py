from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from silvershield.campaigns.models import Campaign, RoutingRule
from silvershield.core.access import require
from silvershield.core.audit import audit_record
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Perm
from silvershield.orgs.models import Sector, User

POLICY_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "is_active",
    "transfer_working_days",
    "warning_ratio",
    "reminder_interval_days",
    "reminders_before_supervision",
    "serious_overdue_days",
)


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, **values: Any) -> Campaign:
    require(actor, Perm.CAMPAIGN_MANAGE)
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"未知设置：{', '.join(sorted(unknown))}"})
    before = {f: str(getattr(campaign, f)) for f in values}
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.full_clean()
    if campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    campaign.save(update_fields=list(values))
    audit_record(
        actor=actor,
        action="campaign.updated",
        obj=campaign,
        summary=f"修改专项行动设置：{campaign.name}",
        data={"before": before, "after": {f: str(getattr(campaign, f)) for f in values}},
    )
    return campaign


@transaction.atomic
def routing_rule_set(
    *, actor: User, campaign: Campaign, fraud_type: str, sector: str
) -> RoutingRule:
    require(actor, Perm.CAMPAIGN_MANAGE)
    if fraud_type not in FraudType.values or fraud_type == FraudType.NONE:
        raise ValidationError({"fraud_type": "诈骗类型无效"})
    if sector not in Sector.values or sector == Sector.OFFICE:
        raise ValidationError({"sector": "请选择成员单位所属领域"})
    rule, _ = RoutingRule.objects.update_or_create(
        campaign=campaign, fraud_type=fraud_type, defaults={"sector": sector}
    )
    audit_record(
        actor=actor,
        action="campaign.routing_rule_set",
        obj=campaign,
        summary=f"分流规则：{rule.get_fraud_type_display()} → {rule.get_sector_display()}",
        data={"fraud_type": fraud_type, "sector": sector},
    )
    return rule


def campaign_current() -> Campaign | None:
    return Campaign.objects.filter(is_active=True).order_by("-starts_on").first()
