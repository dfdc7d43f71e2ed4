from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from silvershield.api.tests.conftest import Caller
from silvershield.orgs.models import ApiToken
from silvershield.orgs.services import api_token_revoke

pytestmark = pytest.mark.django_db


def test_missing_token_is_401(county_a_office: Caller) -> None:
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "令牌" in response.json()["detail"]


def test_wrong_token_is_401(county_a_office: Caller) -> None:
    response = Client().get("/api/me", headers={"Authorization": "Bearer ss_not-a-real-token"})
    assert response.status_code == 401


def test_other_scheme_is_401(county_a_office: Caller) -> None:
    response = Client().get("/api/me", headers={"Authorization": f"Basic {county_a_office.token}"})
    assert response.status_code == 401


def test_valid_token_is_accepted(county_a_office: Caller) -> None:
    response = county_a_office.get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "county_a_office"
    assert body["roles"] == ["office_staff"]
    assert [u["name"] for u in body["units"]] == ["吴兴区专项办"]


def test_revoked_token_is_401(county_a_office: Caller) -> None:
    token = ApiToken.objects.get(user=county_a_office.user)
    api_token_revoke(actor=county_a_office.user, token=token)
    assert county_a_office.get("/me").status_code == 401


def test_expired_token_is_401(county_a_office: Caller) -> None:
    ApiToken.objects.filter(user=county_a_office.user).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert county_a_office.get("/me").status_code == 401


def test_deactivated_user_is_401(county_a_office: Caller) -> None:
    county_a_office.user.is_active = False
    county_a_office.user.save(update_fields=["is_active"])
    assert county_a_office.get("/me").status_code == 401


def test_session_login_is_not_accepted(county_a_office: Caller) -> None:
    """The API takes tokens only: a logged-in browser cannot write through it (no CSRF hole)."""
    client = Client()
    client.force_login(county_a_office.user)
    response = client.post(
        "/api/tips",
        data={"channel": "phone", "region_code": "330502", "content": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_schema_and_docs_need_no_token(county_a_office: Caller) -> None:
    assert Client().get("/api/openapi.json").status_code == 200
    assert Client().get("/api/docs").status_code == 200


# -- second factor for administrators' tokens ------------------------------------------------


def test_administrator_token_is_refused_until_the_second_factor(world: Any) -> None:
    from conftest import current_totp, make_user
    from silvershield.core.permissions import Role
    from silvershield.orgs.services import api_token_create, totp_device_create

    admin = make_user("sys_api", world.city_office, Role.SYSTEM_ADMIN)
    totp_device_create(actor=None, user=admin)
    _, raw = api_token_create(actor=admin, user=admin, name="脚本")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/units", headers=headers).status_code == 401
    wrong = client.post(
        "/api/auth/second-factor",
        {"otp": "000000"},
        content_type="application/json",
        headers=headers,
    )
    assert wrong.status_code == 400
    assert client.get("/api/units", headers=headers).status_code == 401
    ok = client.post(
        "/api/auth/second-factor",
        {"otp": current_totp(admin)},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200
    assert client.get("/api/units", headers=headers).status_code == 200


def test_token_stops_working_when_its_owner_gains_a_second_factor_role(world: Any) -> None:
    from conftest import make_user
    from silvershield.core.permissions import Role
    from silvershield.orgs.services import api_token_create, membership_add

    staff = make_user("staff_api", world.city_office, Role.OFFICE_STAFF)
    secadmin = make_user("sec_api", world.city_office, Role.SECURITY_ADMIN)
    _, raw = api_token_create(actor=staff, user=staff, name="脚本")
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/tips", headers=headers).status_code == 200
    membership_add(actor=secadmin, user=staff, unit=world.city_office, role=Role.IDENTITY_CUSTODIAN)
    assert Client().get("/api/tips", headers=headers).status_code == 401
