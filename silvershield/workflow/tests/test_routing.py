"""Routing suggestions from the campaign's rules, confirmed for a whole selection in one step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World, file_tip
from silvershield.campaigns.models import Campaign, RoutingRule
from silvershield.core.choices import FraudType
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import Sector, User
from silvershield.workflow import routing, services
from silvershield.workflow.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign() -> Campaign:
    campaign = Campaign.objects.create(
        name="专项", code="c", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31)
    )
    RoutingRule.objects.create(
        campaign=campaign, fraud_type=FraudType.ELDER_SERVICE, sector=Sector.CIVIL_AFFAIRS
    )
    RoutingRule.objects.create(
        campaign=campaign, fraud_type=FraudType.ELDER_PROJECT, sector=Sector.POLICE
    )
    return campaign


def _screened(actor: User, world: World, text: str, fraud_type: str, campaign: Campaign) -> Tip:
    tip = file_tip(actor, world.town_a, text, campaign_id=campaign.pk)
    return services.tip_classify(actor=actor, tip=tip, fraud_type=fraud_type)


def test_the_rule_and_the_tips_county_decide(
    campaign: Campaign, city_office: User, world: World
) -> None:
    service = _screened(city_office, world, "养老公寓预收床位费", FraudType.ELDER_SERVICE, campaign)
    project = _screened(city_office, world, "养老项目高息理财", FraudType.ELDER_PROJECT, campaign)
    product = _screened(city_office, world, "保健品讲座推销", FraudType.ELDER_PRODUCT, campaign)
    assert routing.suggest_lead_unit(service).lead_unit == world.county_a_civil
    assert routing.suggest_lead_unit(project).lead_unit == world.county_a_police
    no_rule = routing.suggest_lead_unit(product)
    assert no_rule.lead_unit is None
    assert "没有分流规则" in no_rule.reason


def test_an_accused_unit_is_never_suggested(
    campaign: Campaign, city_office: User, world: World
) -> None:
    tip = _screened(
        city_office, world, "举报吴兴区民政局包庇养老公寓", FraudType.ELDER_SERVICE, campaign
    )
    Tip.objects.filter(pk=tip.pk).update(accused_unit=world.county_a_civil)
    tip.refresh_from_db()
    assert routing.suggest_lead_unit(tip).lead_unit is None


def test_confirming_a_selection_in_one_step(
    campaign: Campaign, city_office: User, world: World, client: Client
) -> None:
    tips = [
        _screened(city_office, world, "养老公寓收会员费", FraudType.ELDER_SERVICE, campaign),
        _screened(city_office, world, "养老院预收费跑路", FraudType.ELDER_SERVICE, campaign),
        _screened(city_office, world, "养老基地股权投资", FraudType.ELDER_PROJECT, campaign),
    ]
    client.force_login(city_office)
    page = client.get(reverse("workflow:to_transfer")).content.decode()
    assert "吴兴区民政局" in page
    response = client.post(
        reverse("workflow:to_transfer"), {"tips": [t.pk for t in tips], "as_suggested": "1"}
    )
    assert response.status_code == 302
    by_unit = {t.tip_id: t.lead_unit for t in Transfer.objects.all()}
    assert by_unit == {
        tips[0].pk: world.county_a_civil,
        tips[1].pk: world.county_a_civil,
        tips[2].pk: world.county_a_police,
    }
    assert len({t.letter_id for t in Transfer.objects.all()}) == 2
    assert set(Tip.objects.filter(pk__in=[t.pk for t in tips]).values_list("state", flat=True)) == {
        TipState.TRANSFERRED
    }
