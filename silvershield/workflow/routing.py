"""Routing suggestions: from a tip's fraud type, the campaign's routing rule names the sector; the
unit of that sector nearest to the tip's region (its county, else up the hierarchy) is suggested.
Staff confirm; nothing is transferred by itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from silvershield.campaigns.models import RoutingRule
from silvershield.intake.models import Tip
from silvershield.orgs.models import Unit, UnitKind
from silvershield.workflow.services import policy_for


@dataclass(frozen=True)
class Suggestion:
    tip: Tip
    lead_unit: Unit | None
    reason: str


def _rule_sector(tip: Tip) -> str | None:
    campaign = policy_for(tip)
    if campaign is None or not tip.fraud_type:
        return None
    rule = RoutingRule.objects.filter(campaign=campaign, fraud_type=tip.fraud_type).first()
    return rule.sector if rule else None


def suggest_lead_unit(tip: Tip) -> Suggestion:
    sector = _rule_sector(tip)
    if sector is None:
        return Suggestion(tip, None, "该诈骗类型没有分流规则，请人工选择")
    codes = [c for c in tip.region.path.split("/") if c]
    candidates = {
        u.region.code if u.region else "": u
        for u in Unit.objects.filter(
            kind=UnitKind.MEMBER, sector=sector, is_active=True, region__code__in=codes
        )
        .exclude(pk=tip.accused_unit_id or 0)
        .select_related("region")
    }
    for code in reversed(codes):  # nearest first
        unit = candidates.get(code)
        if unit is not None:
            return Suggestion(
                tip, unit, f"按分流规则（{tip.get_fraud_type_display()}）由{unit.name}牵头"
            )
    return Suggestion(tip, None, "所在地区没有该领域的成员单位，请人工选择")


def suggest_many(tips: Iterable[Tip]) -> list[Suggestion]:
    return [suggest_lead_unit(t) for t in tips]
