"""The shared people (root conftest.py), each as an API caller with a bearer token.

湖州市 with 吴兴区 (county A) and 长兴县 (county B):
- ``city_office``: staff of 湖州市专项办 (sees everything in 湖州市);
- ``county_a_office`` / ``county_b_office``: staff of 吴兴区 / 长兴县 专项办;
- ``county_a_police``: handler at 吴兴公安分局 (a member unit: its own and granted tips only);
- ``county_a_civil``: handler at 吴兴区民政局;
- ``sysadmin`` / ``secadmin``: system / security administrator of 湖州市 (no tip content).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conftest import current_totp
from silvershield.geo.models import Region
from silvershield.intake import services as intake_services
from silvershield.intake.models import Channel, Tip
from silvershield.orgs.models import User
from silvershield.orgs.services import api_token_create, totp_device_create

CITY = "330500000000"  # 湖州市 (geo.constants.DEMO_CITY_CODE)
COUNTY_A = "330502000000"  # 吴兴区
COUNTY_B = "330522000000"  # 长兴县
REPORTER_PHONE = "13800138000"
REPORTER_ID = "11010519491231002X"


@dataclass
class Caller:
    """A user with an API token, talking to /api/ through Django's test client."""

    user: User
    token: str
    client: Client

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api{path}", params or {}, headers=self._headers())

    def send(self, method: str, path: str, body: Any) -> Any:
        send: Callable[..., Any] = getattr(self.client, method)
        return send(
            f"/api{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers=self._headers(),
        )

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api{path}", headers=self._headers())


def _caller(user: User) -> Caller:
    _, raw = api_token_create(actor=user, user=user, name="测试")
    return Caller(user=user, token=raw, client=Client())


def _admin_caller(user: User) -> Caller:
    """An administrator's token works only after the second factor: enrol an authenticator,
    issue the token, then pass POST /api/auth/second-factor with the current code."""
    totp_device_create(actor=None, user=user)
    caller = _caller(user)
    response = caller.post("/auth/second-factor", {"otp": current_totp(user)})
    assert response.status_code == 200, response.content
    return caller


# Each person of the shared world (the root conftest), holding an API token.


@pytest.fixture
def city_office(city_office: User) -> Caller:
    return _caller(city_office)


@pytest.fixture
def county_a_office(county_a_office: User) -> Caller:
    return _caller(county_a_office)


@pytest.fixture
def county_b_office(county_b_office: User) -> Caller:
    return _caller(county_b_office)


@pytest.fixture
def county_a_police(county_a_police: User) -> Caller:
    return _caller(county_a_police)


@pytest.fixture
def county_a_civil(county_a_civil: User) -> Caller:
    return _caller(county_a_civil)


@pytest.fixture
def sysadmin(sysadmin: User) -> Caller:
    return _admin_caller(sysadmin)


@pytest.fixture
def secadmin(secadmin: User) -> Caller:
    return _admin_caller(secadmin)


def file_tip(caller: Caller, *, code: str, content: str, with_reporter: bool = False) -> Tip:
    reporter = None
    if with_reporter:
        reporter = intake_services.ReporterInput(
            name="王秀英", phone=REPORTER_PHONE, id_number=REPORTER_ID, address="吴兴区某街道1号"
        )
    return intake_services.tip_create(
        actor=caller.user,
        channel=Channel.PHONE,
        region=Region.objects.get(code=code),
        content=content,
        involved_institution="某某养老服务有限公司",
        money_amount="50000",
        reporter=reporter,
    )


@pytest.fixture
def tip_a(county_a_office: Caller) -> Tip:
    """吴兴区 tip filed by the county A office, with the reporter's identity."""
    return file_tip(
        county_a_office,
        code=COUNTY_A,
        content="某公司以养老公寓床位为名向老人集资，承诺高额返利。",
        with_reporter=True,
    )


@pytest.fixture
def tip_b(county_b_office: Caller) -> Tip:
    """长兴县 tip filed by the county B office, anonymous."""
    return file_tip(
        county_b_office, code=COUNTY_B, content="有人上门推销保健品，声称可以治疗老年病。"
    )


@pytest.fixture
def tip_a_civil(county_a_civil: Caller) -> Tip:
    """吴兴区 tip filed (and so owned) by 吴兴区民政局."""
    return file_tip(
        county_a_civil, code=COUNTY_A, content="某养老机构以预付费会员卡名义收取老人大额费用。"
    )
