from __future__ import annotations

import pytest

from silvershield.api.tests.conftest import REPORTER_PHONE, Caller
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip

pytestmark = pytest.mark.django_db


def test_detail_has_timeline_without_views_and_records_a_view(
    county_a_office: Caller, tip_a: Tip
) -> None:
    views = AuditEvent.objects.filter(action="tip.viewed", object_id=str(tip_a.pk))
    assert views.count() == 0

    response = county_a_office.get(f"/tips/{tip_a.pk}")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["number"] == tip_a.number
    assert body["content"] == tip_a.content
    assert [e["action"] for e in body["timeline"]] == ["tip.created"]
    assert body["timeline"][0]["actor_unit"] == "吴兴区专项办"
    assert body["view_count"] == 1
    assert body["can_reveal_identity"] is True
    assert views.count() == 1
    assert views.get().actor_name == "county_a_office"
    county_a_office.get(f"/tips/{tip_a.pk}")
    assert views.count() == 2


def test_detail_never_carries_reporter_identity(county_a_office: Caller, tip_a: Tip) -> None:
    text = county_a_office.get(f"/tips/{tip_a.pk}").content.decode()
    assert REPORTER_PHONE not in text
    assert "王秀英" not in text


def test_detail_outside_scope_is_404_and_not_recorded(county_b_office: Caller, tip_a: Tip) -> None:
    response = county_b_office.get(f"/tips/{tip_a.pk}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="tip.viewed").exists()


def test_unknown_and_absurd_ids(county_a_office: Caller, tip_a: Tip) -> None:
    assert county_a_office.get(f"/tips/{tip_a.pk + 1000}").status_code == 404
    assert county_a_office.get("/tips/99999999999999999999999").status_code == 400
    assert county_a_office.get("/tips/0").status_code == 400


def test_member_unit_handler_may_not_reveal(county_a_civil: Caller, tip_a_civil: Tip) -> None:
    body = county_a_civil.get(f"/tips/{tip_a_civil.pk}").json()
    assert body["can_reveal_identity"] is False
