from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from silvershield.api.tests.conftest import Caller
from silvershield.campaigns.models import Campaign, RoutingRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db: None) -> Campaign:
    return Campaign.objects.create(
        name="打击整治养老诈骗专项行动",
        code="elder-2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )


def test_list_and_get(sysadmin: Caller, campaign: Campaign) -> None:
    listed = sysadmin.get("/campaigns")
    assert listed.status_code == 200
    assert [c["code"] for c in listed.json()] == ["elder-2026"]
    body = sysadmin.get(f"/campaigns/{campaign.pk}").json()
    assert body["warning_ratio"] == "0.80"
    assert body["transfer_working_days"] == 15
    assert sysadmin.get(f"/campaigns/{campaign.pk + 100}").status_code == 404


def test_office_staff_may_not_manage_campaigns(city_office: Caller, campaign: Campaign) -> None:
    assert city_office.get("/campaigns").status_code == 403
    assert (
        city_office.patch(f"/campaigns/{campaign.pk}", {"transfer_working_days": 5}).status_code
        == 403
    )


def test_update_policy_changes_only_what_is_sent(sysadmin: Caller, campaign: Campaign) -> None:
    response = sysadmin.patch(
        f"/campaigns/{campaign.pk}", {"transfer_working_days": 10, "warning_ratio": "0.75"}
    )
    assert response.status_code == 200, response.content
    campaign.refresh_from_db()
    assert campaign.transfer_working_days == 10
    assert campaign.warning_ratio == Decimal("0.75")
    assert campaign.name == "打击整治养老诈骗专项行动"


def test_update_policy_errors(sysadmin: Caller, campaign: Campaign) -> None:
    response = sysadmin.patch(f"/campaigns/{campaign.pk}", {"transfer_working_days": 500})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["detail"]] == ["transfer_working_days"]
    response = sysadmin.patch(f"/campaigns/{campaign.pk}", {"ends_on": "2025-01-01"})
    assert response.json()["detail"] == [
        {"field": "ends_on", "message": "结束日期不能早于开始日期"}
    ]
    campaign.refresh_from_db()
    assert campaign.transfer_working_days == 15


def test_set_routing_rule(sysadmin: Caller, campaign: Campaign) -> None:
    path = f"/campaigns/{campaign.pk}/routing-rules"
    response = sysadmin.put(path, {"fraud_type": "house_pension", "sector": "market"})
    assert response.status_code == 200
    assert response.json()["sector_label"] == "市场监管"
    sysadmin.put(path, {"fraud_type": "house_pension", "sector": "finance"})
    assert (
        RoutingRule.objects.get(campaign=campaign, fraud_type="house_pension").sector == "finance"
    )
    refused = sysadmin.put(path, {"fraud_type": "none", "sector": "market"})
    assert refused.json()["detail"] == [{"field": "fraud_type", "message": "诈骗类型无效"}]
