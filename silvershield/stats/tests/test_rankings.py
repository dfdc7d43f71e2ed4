"""Rankings of counties and member units, minimum volume, snapshots of closed periods, weights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import World, file_tip
from silvershield.campaigns.models import Campaign
from silvershield.orgs.models import User
from silvershield.stats.models import IndicatorWeight, Normalisation, RankingSnapshot
from silvershield.stats.rankings import ranking_for
from silvershield.stats.tests.scenario import WEEK, Scenario, at

pytestmark = pytest.mark.django_db


def _row(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["rows"] if r["name"] == name)


@pytest.fixture
def campaign() -> Campaign:
    return Campaign.objects.create(
        name="打击整治养老诈骗专项行动", code="elder-2026", starts_on=WEEK.start, ends_on=WEEK.end
    )


def test_counties_ranked_on_weighted_indicators(
    scenario: Scenario, city_office: User, world: World, campaign: Campaign
) -> None:
    IndicatorWeight.objects.create(
        campaign=campaign,
        indicator="transfer_rate",
        weight=Decimal(1),
        normalisation=Normalisation.RATE,
    )
    IndicatorWeight.objects.create(
        campaign=campaign,
        indicator="overdue_now",
        weight=Decimal(1),
        normalisation=Normalisation.MIN_MAX,
    )
    # transfer_rate needs 5 valid tips: lower its bar for this test by adding none — both counties
    # are below it, so nobody gets a score.
    data = ranking_for(
        user=city_office, region=world.city, kind="region", period=WEEK, campaign=campaign
    )
    assert {r["name"] for r in data["rows"]} == {"吴兴区", "南浔区", "德清县", "长兴县", "安吉县"}
    wuxing = _row(data, "吴兴区")
    assert wuxing["figures"]["overdue_now"]["value"] == 1.0
    assert wuxing["figures"]["overdue_now"]["rank"] == 5  # one overdue item: last (lower is better)
    assert _row(data, "长兴县")["figures"]["overdue_now"]["rank"] == 1
    assert wuxing["figures"]["transfer_rate"]["ranked"] is False
    assert all(r["score"] is None for r in data["rows"])  # transfer_rate below minimum volume
    # Snapshots of closed periods keep the weights they were computed with; an older week not yet
    # looked at is computed with the weights now in force.
    IndicatorWeight.objects.filter(indicator="transfer_rate").delete()
    data = ranking_for(
        user=city_office,
        region=world.city,
        kind="region",
        period=WEEK.previous().previous(),
        campaign=campaign,
    )
    # "Overdue now" ignores the period: 吴兴区 is still the only county with an overdue item.
    assert _row(data, "吴兴区")["score"] == 0.0
    assert _row(data, "长兴县")["score"] == 100.0
    assert _row(data, "吴兴区")["score_rank"] == 5


def test_member_units_ranked_never_people(
    scenario: Scenario, city_office: User, world: World
) -> None:
    data = ranking_for(user=city_office, region=world.city, kind="unit", period=WEEK, campaign=None)
    names = {r["name"] for r in data["rows"]}
    assert names == {"吴兴公安分局", "吴兴区民政局", "长兴县公安局"}
    assert "周海峰" not in str(data)
    assert _row(data, "吴兴公安分局")["figures"]["overdue_now"]["value"] == 1.0


def test_closed_period_ranking_is_frozen(
    scenario: Scenario, city_office: User, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = ranking_for(
        user=city_office, region=world.city, kind="region", period=WEEK, campaign=None
    )
    assert RankingSnapshot.objects.filter(period_start=WEEK.start, period_end=WEEK.end).count() == 1
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(at(6), tick=False):
        file_tip(city_office, world.county_b, "补录一条上周受理的养老诈骗线索")
    again = ranking_for(
        user=city_office, region=world.city, kind="region", period=WEEK, campaign=None
    )
    assert again["rows"] == first["rows"]
    assert again["snapshot_id"] == first["snapshot_id"]


def test_county_office_cannot_rank_the_city(scenario: Scenario, county_a_office: User) -> None:
    c = Client()
    c.force_login(county_a_office)
    response = c.get("/stats/rankings/?region=330500000000&date_from=2026-11-02&date_to=2026-11-08")
    assert response.status_code == 400 and "无权查看" in response.content.decode()
    own = c.get("/stats/rankings/?date_from=2026-11-02&date_to=2026-11-08&kind=unit")
    assert own.status_code == 200 and "吴兴公安分局" in own.content.decode()
    assert "长兴县公安局" not in own.content.decode()


def test_weights_page_for_campaign_managers(
    scenario: Scenario, sysadmin: User, city_office: User, campaign: Campaign
) -> None:
    c = Client()
    c.force_login(city_office)
    assert c.get("/stats/weights/").status_code == 403
    c.force_login(sysadmin)
    assert c.get("/stats/weights/").status_code == 200
    response = c.post(
        "/stats/weights/",
        {
            "campaign": campaign.pk,
            "use_on_time_rate": "on",
            "weight_on_time_rate": "60",
            "norm_on_time_rate": "rate",
            "use_overdue_now": "on",
            "weight_overdue_now": "40",
            "norm_overdue_now": "min_max",
        },
    )
    assert response.status_code == 302
    assert set(
        IndicatorWeight.objects.filter(campaign=campaign).values_list("indicator", "weight")
    ) == {
        ("on_time_rate", Decimal(60)),
        ("overdue_now", Decimal(40)),
    }
    missing = c.post("/stats/weights/", {"campaign": campaign.pk, "use_close_rate": "on"})
    assert "选用的指标请填写权重" in missing.content.decode()
