from __future__ import annotations

import pytest

from silvershield.api.tests.conftest import REPORTER_ID, REPORTER_PHONE, Caller
from silvershield.core.models import AuditEvent
from silvershield.intake.models import GrantReason, Tip, TipGrant

pytestmark = pytest.mark.django_db


def _reveals(tip: Tip) -> int:
    return AuditEvent.objects.filter(action="tip.identity_revealed", object_id=str(tip.pk)).count()


def test_reveal_with_reason_returns_identity_and_is_audited(
    county_a_office: Caller, tip_a: Tip
) -> None:
    response = county_a_office.post(
        f"/tips/{tip_a.pk}/reveal-identity", {"reason": "需回访举报人核实线索细节"}
    )
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "name": "王秀英",
        "phone": REPORTER_PHONE,
        "id_number": REPORTER_ID,
        "address": "吴兴区某街道1号",
    }
    event = AuditEvent.objects.get(action="tip.identity_revealed", object_id=str(tip_a.pk))
    assert event.actor_name == "county_a_office"
    assert event.data == {"reason": "需回访举报人核实线索细节"}


def test_reveal_needs_a_reason(county_a_office: Caller, tip_a: Tip) -> None:
    missing = county_a_office.post(f"/tips/{tip_a.pk}/reveal-identity", {})
    assert missing.status_code == 400
    assert missing.json()["detail"] == [{"field": "reason", "message": "必填"}]
    short = county_a_office.post(f"/tips/{tip_a.pk}/reveal-identity", {"reason": "看看"})
    assert short.status_code == 400
    assert short.json()["detail"] == [
        {"field": "reason", "message": "请写明查看举报人身份的事由（不少于4个字）"}
    ]
    assert _reveals(tip_a) == 0


def test_anonymous_tip_has_nothing_to_reveal(county_b_office: Caller, tip_b: Tip) -> None:
    response = county_b_office.post(
        f"/tips/{tip_b.pk}/reveal-identity", {"reason": "需回访举报人核实"}
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["message"] == "该线索为匿名举报，没有举报人身份信息"


def test_reveal_outside_scope_is_404(county_b_office: Caller, tip_a: Tip) -> None:
    response = county_b_office.post(
        f"/tips/{tip_a.pk}/reveal-identity", {"reason": "需回访举报人核实"}
    )
    assert response.status_code == 404
    assert _reveals(tip_a) == 0


def test_member_unit_that_sees_the_tip_may_not_reveal(county_a_police: Caller, tip_a: Tip) -> None:
    TipGrant.objects.create(
        tip=tip_a, unit=county_a_police.user.units[0], reason=GrantReason.TRANSFER
    )
    response = county_a_police.post(
        f"/tips/{tip_a.pk}/reveal-identity", {"reason": "需回访举报人核实"}
    )
    assert response.status_code == 403
    assert "王秀英" not in response.content.decode()
    assert _reveals(tip_a) == 0


def test_refused_reveal_is_audited(county_a_police: Caller, tip_a: Tip) -> None:
    TipGrant.objects.create(
        tip=tip_a, unit=county_a_police.user.units[0], reason=GrantReason.TRANSFER
    )
    county_a_police.post(f"/tips/{tip_a.pk}/reveal-identity", {"reason": "需回访举报人核实"})
    assert AuditEvent.objects.filter(
        action="tip.identity_reveal_denied", object_id=str(tip_a.pk)
    ).exists()
