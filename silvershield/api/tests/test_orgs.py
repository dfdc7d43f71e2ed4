from __future__ import annotations

import pytest

from conftest import World
from silvershield.api.tests.conftest import COUNTY_A, Caller
from silvershield.core.models import AuditEvent
from silvershield.orgs.models import Membership, Unit, User

pytestmark = pytest.mark.django_db


def test_me(county_a_police: Caller) -> None:
    body = county_a_police.get("/me").json()
    assert body["full_name"] == "周海峰"
    assert body["roles"] == ["unit_handler"]
    assert body["memberships"][0]["unit"]["name"] == "吴兴公安分局"
    assert body["memberships"][0]["role_label"] == "成员单位经办人"


def test_sysadmin_lists_units_of_the_city(sysadmin: Caller, world: World) -> None:
    outside = Unit.objects.create(name="杭州市专项办", kind="office", sector="office", region=None)
    response = sysadmin.get("/units")
    assert response.status_code == 200
    names = {u["name"] for u in response.json()}
    assert "吴兴区民政局" in names
    assert "长兴县公安局" in names
    assert outside.name not in names


def test_office_staff_may_not_manage_units(city_office: Caller) -> None:
    assert city_office.get("/units").status_code == 403
    assert city_office.get("/users").status_code == 403
    response = city_office.post(
        "/units", {"name": "吴兴区市场监管局", "kind": "member", "sector": "market"}
    )
    assert response.status_code == 403


def test_create_unit(sysadmin: Caller, world: World) -> None:
    response = sysadmin.post(
        "/units",
        {
            "name": "吴兴区市场监管局",
            "kind": "member",
            "sector": "market",
            "region_code": COUNTY_A,
            "parent_id": world.county_a_office.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"]["code"] == COUNTY_A
    assert body["level_label"] == "县级"
    assert Unit.objects.get(pk=body["id"]).parent == world.county_a_office
    assert AuditEvent.objects.filter(action="unit.created").exists()


def test_create_unit_errors(sysadmin: Caller, world: World) -> None:
    unknown = sysadmin.post(
        "/units", {"name": "某单位", "kind": "member", "sector": "market", "region_code": "330599"}
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == [{"field": "region_code", "message": "所选地区不存在"}]
    duplicate = sysadmin.post(
        "/units",
        {
            "name": "吴兴区民政局",
            "kind": "member",
            "sector": "civil_affairs",
            "region_code": COUNTY_A,
        },
    )
    assert duplicate.json()["detail"] == [{"field": "name", "message": "该地区已有同名单位"}]
    national = sysadmin.post("/units", {"name": "全国专项办", "kind": "office", "sector": "office"})
    assert national.json()["detail"] == [
        {"field": "region_code", "message": "所选地区不在您的管辖范围内"}
    ]


def test_update_unit_changes_only_what_is_sent(sysadmin: Caller, world: World) -> None:
    response = sysadmin.patch(f"/units/{world.county_a_civil.pk}", {"is_active": False})
    assert response.status_code == 200
    world.county_a_civil.refresh_from_db()
    assert world.county_a_civil.is_active is False
    assert world.county_a_civil.name == "吴兴区民政局"


def test_update_unit_outside_scope_is_404(sysadmin: Caller) -> None:
    outside = Unit.objects.create(name="杭州市专项办", kind="office", sector="office", region=None)
    assert sysadmin.patch(f"/units/{outside.pk}", {"name": "改名"}).status_code == 404


def test_users_list_and_create(sysadmin: Caller, world: World, county_a_police: Caller) -> None:
    usernames = {u["username"] for u in sysadmin.get("/users").json()}
    assert "county_a_police" in usernames
    response = sysadmin.post(
        "/users",
        {
            "username": "county_a_market",
            "full_name": "陈静",
            "password": "Plenty-long-pass-9",
            "unit_id": world.county_a_civil.pk,
            "role": "unit_handler",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["memberships"][0]["role"] == "unit_handler"
    assert User.objects.get(username="county_a_market").full_name == "陈静"


def test_user_create_errors_are_chinese(sysadmin: Caller, world: World) -> None:
    response = sysadmin.post(
        "/users",
        {
            "username": "x1",
            "full_name": "陈静",
            "password": "123",
            "unit_id": world.county_a_civil.pk,
            "role": "unit_handler",
        },
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"password"}
    messages = [e["message"] for e in response.json()["detail"]]
    assert "这个密码太常见了。" in messages
    assert "密码只包含数字。" in messages
    assert not User.objects.filter(username="x1").exists()


def test_update_user(sysadmin: Caller, county_a_police: Caller) -> None:
    response = sysadmin.patch(
        f"/users/{county_a_police.user.pk}", {"full_name": "周海峰（已调离）", "is_active": False}
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert county_a_police.get("/me").status_code == 401


def test_sysadmin_may_not_grant_privileged_roles(
    sysadmin: Caller, county_a_police: Caller, world: World
) -> None:
    response = sysadmin.post(
        f"/users/{county_a_police.user.pk}/memberships",
        {"unit_id": world.county_a_police.pk, "role": "identity_custodian"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(role="identity_custodian").exists()


def test_security_admin_grants_privileged_roles(
    secadmin: Caller, county_a_office: Caller, world: World
) -> None:
    response = secadmin.post(
        f"/users/{county_a_office.user.pk}/memberships",
        {"unit_id": world.county_a_office.pk, "role": "identity_custodian"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "identity_custodian"


def test_add_and_remove_membership(sysadmin: Caller, county_a_police: Caller, world: World) -> None:
    added = sysadmin.post(
        f"/users/{county_a_police.user.pk}/memberships",
        {"unit_id": world.county_a_civil.pk, "role": "unit_handler"},
    )
    assert added.status_code == 201
    membership_id = added.json()["id"]
    assert sysadmin.delete(f"/memberships/{membership_id}").status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()
    assert sysadmin.delete(f"/memberships/{membership_id}").status_code == 404


def test_membership_unit_outside_scope_is_400(sysadmin: Caller, county_a_police: Caller) -> None:
    outside = Unit.objects.create(name="杭州市专项办", kind="office", sector="office", region=None)
    response = sysadmin.post(
        f"/users/{county_a_police.user.pk}/memberships",
        {"unit_id": outside.pk, "role": "unit_handler"},
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "unit_id"
