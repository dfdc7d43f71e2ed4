"""Hazards: 发现 → 整治中 → 已整治 → 复核通过 (the last only by the office with RECTIFICATION_CHECK)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silvershield.core.audit import timeline
from silvershield.orgs.models import User
from silvershield.rectification import services
from silvershield.rectification.models import Hazard, HazardState

pytestmark = pytest.mark.django_db


def test_hazard_goes_from_found_to_verified(
    hazard: Hazard, county_a_civil: User, county_a_office: User
) -> None:
    assert hazard.state == HazardState.FOUND
    services.hazard_start(
        actor=county_a_civil, hazard=hazard, measures="责令退还超额预收费用并建立监管账户"
    )
    services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="已退还全部超额费用")
    services.hazard_check(actor=county_a_office, hazard=hazard, accept=True, note="现场复核属实")
    hazard.refresh_from_db()
    assert hazard.state == HazardState.VERIFIED
    assert hazard.verified_by == county_a_office
    actions = list(timeline(obj=hazard).values_list("action", flat=True))
    assert actions == [
        "hazard.created",
        "hazard.rectifying",
        "hazard.rectified",
        "hazard.verified",
    ]


def test_only_the_office_may_verify(
    hazard: Hazard, county_a_civil: User, county_b_office: User
) -> None:
    services.hazard_start(actor=county_a_civil, hazard=hazard, measures="责令限期整改到位")
    services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="整改完毕请复核")
    with pytest.raises(PermissionDenied):
        services.hazard_check(actor=county_a_civil, hazard=hazard, accept=True)
    with pytest.raises(PermissionDenied):  # an office of another county
        services.hazard_check(actor=county_b_office, hazard=hazard, accept=True)
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFIED


def test_illegal_moves_are_refused_and_change_nothing(
    hazard: Hazard, county_a_civil: User, county_a_office: User, county_a_police: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="已整治完毕")
    assert "不能报整治完成" in str(exc.value)
    with pytest.raises(ValidationError):
        services.hazard_check(actor=county_a_office, hazard=hazard, accept=True)
    with pytest.raises(PermissionDenied):  # police are not the responsible unit
        services.hazard_start(actor=county_a_police, hazard=hazard, measures="公安代为整改")
    with pytest.raises(ValidationError) as exc:
        services.hazard_start(actor=county_a_civil, hazard=hazard, measures="")
    assert "整治措施" in str(exc.value)
    hazard.refresh_from_db()
    assert hazard.state == HazardState.FOUND
    assert hazard.version == 1


def test_a_failed_check_sends_it_back_with_a_reason(
    hazard: Hazard, county_a_civil: User, county_a_office: User
) -> None:
    services.hazard_start(actor=county_a_civil, hazard=hazard, measures="责令限期整改到位")
    services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="整改完毕请复核")
    with pytest.raises(ValidationError) as exc:
        services.hazard_check(actor=county_a_office, hazard=hazard, accept=False)
    assert "理由" in str(exc.value)
    services.hazard_check(
        actor=county_a_office, hazard=hazard, accept=False, note="现场仍在收取会员费"
    )
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING
    assert hazard.check_note == "现场仍在收取会员费"


def test_the_office_batch_passes_rectified_hazards(
    client: object, hazard: Hazard, county_a_civil: User, county_a_office: User
) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    services.hazard_start(actor=county_a_civil, hazard=hazard, measures="责令限期整改到位")
    services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="整改完毕请复核")
    client.force_login(county_a_office)
    response = client.post("/rectification/hazards/batch-check/", {"ids": [hazard.pk]})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.VERIFIED
