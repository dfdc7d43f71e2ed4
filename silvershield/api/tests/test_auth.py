from __future__ import annotations

import datetime as dt

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
