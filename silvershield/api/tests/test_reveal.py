"""Revealing a reporter's identity through the API follows the two-person rule: request with a
reason, a custodian (a different person, with a second factor) approves, the requester opens."""

from __future__ import annotations

import pytest

from conftest import World, make_user
from silvershield.api.tests.conftest import REPORTER_ID, REPORTER_PHONE, Caller, _admin_caller
from silvershield.core.models import AuditEvent
from silvershield.core.permissions import Role
from silvershield.intake.models import GrantReason, Tip, TipGrant

pytestmark = pytest.mark.django_db


def _reveals(tip: Tip) -> int:
    return AuditEvent.objects.filter(action="tip.identity_revealed", object_id=str(tip.pk)).count()


@pytest.fixture
def custodian(world: World) -> Caller:
    return _admin_caller(make_user("keeper", world.city_office, Role.IDENTITY_CUSTODIAN))


def _request(caller: Caller, tip: Tip, reason: str = "需回访举报人核实线索细节") -> int:
    response = caller.post(f"/tips/{tip.pk}/reveal-requests", {"reason": reason})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_request_approve_open(county_a_office: Caller, custodian: Caller, tip_a: Tip) -> None:
    request_id = _request(county_a_office, tip_a)
    base = f"/tips/{tip_a.pk}/reveal-requests/{request_id}"
    early = county_a_office.post(f"{base}/open", {})
    assert early.status_code == 400
    assert _reveals(tip_a) == 0
    decided = custodian.post(f"{base}/decide", {"approve": True, "note": "同意回访"})
    assert decided.status_code == 200, decided.content
    assert decided.json()["state"] == "approved"
    opened = county_a_office.post(f"{base}/open", {})
    assert opened.status_code == 200, opened.content
    assert opened["Cache-Control"] == "no-store"
    assert opened.json() == {
        "name": "王秀英",
        "phone": REPORTER_PHONE,
        "id_number": REPORTER_ID,
        "address": "吴兴区某街道1号",
    }
    assert _reveals(tip_a) == 1
    # the custodian who approved cannot open it themselves
    stolen = custodian.post(f"{base}/open", {})
    assert stolen.status_code in (403, 404)
    assert "王秀英" not in stolen.content.decode()


def test_a_request_needs_a_reason(county_a_office: Caller, tip_a: Tip) -> None:
    short = county_a_office.post(f"/tips/{tip_a.pk}/reveal-requests", {"reason": "看看"})
    assert short.status_code == 400
    assert short.json()["detail"] == [
        {"field": "reason", "message": "请写明查看举报人身份的事由（不少于4个字）"}
    ]


def test_nobody_approves_their_own_request(county_a_office: Caller, tip_a: Tip) -> None:
    request_id = _request(county_a_office, tip_a)
    own = county_a_office.post(
        f"/tips/{tip_a.pk}/reveal-requests/{request_id}/decide", {"approve": True}
    )
    assert own.status_code == 403
    assert _reveals(tip_a) == 0


def test_outside_scope_is_404(county_b_office: Caller, tip_a: Tip) -> None:
    response = county_b_office.post(
        f"/tips/{tip_a.pk}/reveal-requests", {"reason": "需回访举报人核实"}
    )
    assert response.status_code == 404


def test_member_unit_that_sees_the_tip_may_not_ask_and_the_refusal_is_audited(
    county_a_police: Caller, tip_a: Tip
) -> None:
    TipGrant.objects.create(
        tip=tip_a, unit=county_a_police.user.units[0], reason=GrantReason.TRANSFER
    )
    response = county_a_police.post(
        f"/tips/{tip_a.pk}/reveal-requests", {"reason": "需回访举报人核实"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        action="tip.identity_reveal_denied", object_id=str(tip_a.pk)
    ).exists()
