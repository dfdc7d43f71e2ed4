"""Campaigns: their deadline policy and routing rules (system administrators)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from silvershield.api.auth import actor_of
from silvershield.api.schemas.campaigns import (
    CampaignOut,
    CampaignPolicyIn,
    RoutingRuleIn,
    RoutingRuleOut,
)
from silvershield.api.schemas.common import DETAIL_ERRORS, READ_ERRORS, WRITE_ERRORS, ObjectId
from silvershield.campaigns import services
from silvershield.campaigns.models import Campaign
from silvershield.core.access import require
from silvershield.core.permissions import Perm
from silvershield.orgs.models import User

router = Router(tags=["专项行动"])


def _campaign(user: User, campaign_id: int) -> Campaign:
    # Campaigns are national configuration, not scoped records: the permission is the gate.
    require(user, Perm.CAMPAIGN_MANAGE)
    campaign = Campaign.objects.prefetch_related("routing_rules").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **READ_ERRORS},
    operation_id="campaigns_list",
    summary="专项行动列表",
)
def campaigns_list(request: HttpRequest) -> list[CampaignOut]:
    user = actor_of(request)
    require(user, Perm.CAMPAIGN_MANAGE)
    return [CampaignOut.of(c) for c in Campaign.objects.prefetch_related("routing_rules")]


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **DETAIL_ERRORS},
    operation_id="campaigns_get",
    summary="专项行动详情",
)
def campaigns_get(request: HttpRequest, campaign_id: ObjectId) -> CampaignOut:
    return CampaignOut.of(_campaign(actor_of(request), campaign_id))


@router.patch(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **WRITE_ERRORS},
    operation_id="campaigns_update",
    summary="修改专项行动设置",
)
def campaigns_update(
    request: HttpRequest, campaign_id: ObjectId, payload: CampaignPolicyIn
) -> CampaignOut:
    """Change the deadline policy; only the fields sent are changed."""
    user = actor_of(request)
    campaign = _campaign(user, campaign_id)
    values = payload.dict(exclude_unset=True)
    if values:
        campaign = services.campaign_update(actor=user, campaign=campaign, **values)
    return CampaignOut.of(_campaign(user, campaign.pk))


@router.put(
    "/campaigns/{campaign_id}/routing-rules",
    response={200: RoutingRuleOut, **WRITE_ERRORS},
    operation_id="campaigns_routing_rule_set",
    summary="设置分流规则",
)
def campaigns_routing_rule_set(
    request: HttpRequest, campaign_id: ObjectId, payload: RoutingRuleIn
) -> RoutingRuleOut:
    """Set which member-unit sector leads on a fraud type (replaces the type's earlier rule)."""
    user = actor_of(request)
    campaign = _campaign(user, campaign_id)
    rule = services.routing_rule_set(
        actor=user, campaign=campaign, fraud_type=payload.fraud_type, sector=payload.sector
    )
    return RoutingRuleOut.of(rule)
