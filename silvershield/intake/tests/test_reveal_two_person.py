"""Revealing a reporter's identity takes two people: a handler asks with a reason, the identity
custodian approves or refuses; the approval expires; every step is audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import REPORTER, World, file_tip, make_user
from silvershield.core.models import AuditEvent
from silvershield.core.permissions import Role
from silvershield.intake import reveal
from silvershield.intake.models import RevealState, Tip
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def custodian(world: World) -> User:
    return make_user("custodian", world.city_office, Role.IDENTITY_CUSTODIAN, full_name="林守正")


@pytest.fixture
def tip(county_a_office: User, world: World) -> Tip:
    return file_tip(county_a_office, world.county_a, reporter=REPORTER)


def _actions(tip: Tip) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(tip.pk), action__startswith="tip.identity")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_request_approve_open_expire(tip: Tip, city_office: User, custodian: User) -> None:
    request = reveal.reveal_request(actor=city_office, tip=tip, reason="需回访举报人核实细节")
    assert request.state == RevealState.PENDING
    with pytest.raises(ValidationError):
        reveal.reveal_open(actor=city_office, request=request)
    approved = reveal.reveal_decide(actor=custodian, request=request, approve=True)
    assert approved.state == RevealState.APPROVED and approved.is_open
    identity = reveal.reveal_open(actor=city_office, request=approved)
    assert identity.name == REPORTER.name and identity.phone == REPORTER.phone
    assert _actions(tip) == [
        "tip.identity_reveal_requested",
        "tip.identity_reveal_approved",
        "tip.identity_revealed",
    ]
    revealed = AuditEvent.objects.get(action="tip.identity_revealed")
    assert revealed.actor_name == "city_office" and "林守正" in revealed.summary
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        assert not approved.is_open
        with pytest.raises(ValidationError) as exc:
            reveal.reveal_open(actor=city_office, request=approved)
        assert "时限已过" in str(exc.value)


def test_no_one_approves_their_own_request(tip: Tip, world: World) -> None:
    both = make_user("both", world.city_office, Role.OFFICE_STAFF)
    from silvershield.orgs.models import Membership

    Membership.objects.create(user=both, unit=world.county_a_office, role=Role.IDENTITY_CUSTODIAN)
    both.forget_memberships()
    request = reveal.reveal_request(actor=both, tip=tip, reason="需回访举报人核实细节")
    with pytest.raises(ValidationError):
        reveal.reveal_decide(actor=both, request=request, approve=True)
    assert reveal.reveal_requests_to_decide(user=both).count() == 0
    assert "tip.identity_reveal_denied" in _actions(tip)


def test_a_handler_cannot_approve_and_others_cannot_open(
    tip: Tip, city_office: User, county_a_office: User, custodian: User
) -> None:
    request = reveal.reveal_request(actor=city_office, tip=tip, reason="需回访举报人核实细节")
    with pytest.raises(PermissionDenied):
        reveal.reveal_decide(actor=county_a_office, request=request, approve=True)
    reveal.reveal_decide(actor=custodian, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        reveal.reveal_open(actor=county_a_office, request=request)
    with pytest.raises(PermissionDenied):
        reveal.reveal_open(actor=custodian, request=request)
    assert _actions(tip).count("tip.identity_reveal_denied") == 3


def test_refusal_and_reasons(tip: Tip, city_office: User, custodian: User) -> None:
    with pytest.raises(ValidationError):
        reveal.reveal_request(actor=city_office, tip=tip, reason="看看")
    request = reveal.reveal_request(actor=city_office, tip=tip, reason="需回访举报人核实细节")
    again = reveal.reveal_request(actor=city_office, tip=tip, reason="需回访举报人核实细节")
    assert again.pk == request.pk
    refused = reveal.reveal_decide(
        actor=custodian, request=request, approve=False, note="理由不充分"
    )
    assert refused.state == RevealState.REFUSED
    with pytest.raises(ValidationError):
        reveal.reveal_open(actor=city_office, request=refused)
    with pytest.raises(ValidationError):
        reveal.reveal_decide(actor=custodian, request=refused, approve=True)
    assert "tip.identity_reveal_refused" in _actions(tip)


def test_anonymous_tips_have_nothing_to_request(
    county_a_office: User, world: World, city_office: User
) -> None:
    anonymous = file_tip(county_a_office, world.county_a)
    with pytest.raises(ValidationError):
        reveal.reveal_request(actor=city_office, tip=anonymous, reason="需回访举报人核实细节")


def test_the_tip_page_uses_the_two_person_flow(
    tip: Tip, city_office: User, custodian: User
) -> None:
    handler, keeper = Client(), Client()
    handler.force_login(city_office)
    keeper.force_login(custodian)
    url = reverse("intake:reveal", args=[tip.pk])
    asked = handler.post(url, {"step": "request", "reason": "回访核实情况"}, HTTP_HX_REQUEST="true")
    html = asked.content.decode()
    assert "须经身份信息保管人批准" in html and REPORTER.name not in html
    request = tip.reveal_requests.get()
    page = keeper.get(reverse("intake:detail", args=[tip.pk])).content.decode()
    assert "批准查看" in page and REPORTER.name not in page
    assert keeper.get(reverse("portal:reveal_requests")).content.decode().count(tip.number) == 1
    decided = keeper.post(
        url, {"step": "approve", "request_id": request.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert REPORTER.name not in decided and "已批准" in decided
    shown = handler.post(
        url, {"step": "open", "request_id": request.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert REPORTER.name in shown and REPORTER.phone in shown
    stolen = keeper.post(url, {"step": "open", "request_id": request.pk}, HTTP_HX_REQUEST="true")
    assert stolen.status_code == 403 and REPORTER.name not in stolen.content.decode()
