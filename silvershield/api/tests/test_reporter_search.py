from __future__ import annotations

import pytest

from silvershield.api.tests.conftest import REPORTER_ID, Caller
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip

pytestmark = pytest.mark.django_db


def test_finds_the_reporter_by_phone_in_another_spelling(
    city_office: Caller, tip_a: Tip, tip_b: Tip
) -> None:
    response = city_office.get("/reporters/tips", {"phone": "+86 138-0013-8000"})
    assert response.status_code == 200
    assert [item["number"] for item in response.json()["items"]] == [tip_a.number]
    assert "王秀英" not in response.content.decode()
    event = AuditEvent.objects.get(action="reporter.searched")
    assert event.data["by_phone"] is True


def test_finds_the_reporter_by_id_number(city_office: Caller, tip_a: Tip) -> None:
    response = city_office.get("/reporters/tips", {"id_number": REPORTER_ID.lower()})
    assert [item["number"] for item in response.json()["items"]] == [tip_a.number]


def test_search_stays_in_scope(county_b_office: Caller, tip_a: Tip) -> None:
    response = county_b_office.get("/reporters/tips", {"phone": "13800138000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_needs_phone_or_id_number(city_office: Caller) -> None:
    response = city_office.get("/reporters/tips")
    assert response.status_code == 400
    assert response.json()["detail"] == [{"field": "phone", "message": "请填写电话或身份证号"}]


def test_member_units_may_not_search(county_a_police: Caller, tip_a: Tip) -> None:
    assert county_a_police.get("/reporters/tips", {"phone": "13800138000"}).status_code == 403
