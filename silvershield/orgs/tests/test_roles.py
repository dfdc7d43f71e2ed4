import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import World, make_user
from silvershield.core.permissions import Role
from silvershield.orgs.models import Membership, Sector, UnitKind, User
from silvershield.orgs.services import membership_add, unit_create, user_create

pytestmark = pytest.mark.django_db


def test_no_account_holds_two_administrator_roles(
    sysadmin: User, secadmin: User, world: World
) -> None:
    with pytest.raises(ValidationError) as exc:
        membership_add(actor=secadmin, user=sysadmin, unit=world.city_office, role=Role.AUDITOR)
    assert "不同人员" in str(exc.value)
    with pytest.raises(ValidationError):
        membership_add(
            actor=secadmin, user=sysadmin, unit=world.city_office, role=Role.SECURITY_ADMIN
        )
    assert set(Membership.objects.filter(user=sysadmin).values_list("role", flat=True)) == {
        Role.SYSTEM_ADMIN
    }


def test_an_administrator_holds_no_working_role_either(sysadmin: User, world: World) -> None:
    other_admin = make_user("sys2", world.city_office, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        membership_add(
            actor=other_admin, user=sysadmin, unit=world.city_office, role=Role.OFFICE_STAFF
        )


def test_staff_cannot_become_administrators(
    county_a_office: User, secadmin: User, world: World
) -> None:
    with pytest.raises(ValidationError):
        membership_add(
            actor=secadmin, user=county_a_office, unit=world.city_office, role=Role.AUDITOR
        )


def test_system_administrator_cannot_grant_privileged_roles(
    sysadmin: User, county_a_office: User, world: World
) -> None:
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=sysadmin,
            user=county_a_office,
            unit=world.city_office,
            role=Role.IDENTITY_CUSTODIAN,
        )


def test_no_one_grants_roles_to_themselves(secadmin: User, world: World) -> None:
    with pytest.raises(ValidationError):
        membership_add(
            actor=secadmin, user=secadmin, unit=world.city_office, role=Role.IDENTITY_CUSTODIAN
        )


def test_system_administrator_manages_units_and_users(sysadmin: User, world: World) -> None:
    unit = unit_create(
        actor=sysadmin,
        name="吴兴区卫生健康局",
        kind=UnitKind.MEMBER,
        sector=Sector.HEALTH,
        region=world.county_a,
    )
    user = user_create(
        actor=sysadmin,
        username="county_a_health",
        full_name="卫生健康局经办人",
        password="A-long-passphrase-9",
        unit=unit,
        role=Role.UNIT_HANDLER,
    )
    assert user.roles == {Role.UNIT_HANDLER}
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=sysadmin,
            name="吴兴区卫生健康局",
            kind=UnitKind.MEMBER,
            sector=Sector.HEALTH,
            region=world.county_a,
        )
    assert "name" in exc.value.message_dict


def test_weak_passwords_are_refused_with_field_messages(sysadmin: User, world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=sysadmin,
            username="x1",
            full_name="某",
            password="12345678",
            unit=world.county_a_office,
            role=Role.OFFICE_STAFF,
        )
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(username="x1").exists()


def test_county_system_administrator_is_confined_to_the_county(world: World) -> None:
    county_admin = make_user("county_a_sysadmin", world.county_a_office, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        unit_create(
            actor=county_admin,
            name="长兴县某局",
            kind=UnitKind.MEMBER,
            sector=Sector.HEALTH,
            region=world.county_b,
        )


def test_system_administrator_pages_show_units_but_never_tips(
    sysadmin: User, client: Client
) -> None:
    client.force_login(sysadmin)
    units = client.get(reverse("orgs:unit_list"))
    assert "吴兴区专项办" in units.content.decode()
    assert client.get(reverse("intake:list")).status_code == 403
    assert client.get(reverse("intake:reporter_search")).status_code == 403


def test_user_creation_page_explains_errors_in_chinese(
    sysadmin: User, world: World, client: Client
) -> None:
    client.force_login(sysadmin)
    response = client.post(
        reverse("orgs:user_create"),
        {
            "username": "",
            "full_name": "新人",
            "password": "short",
            "unit": world.county_a_office.pk,
            "role": "office_staff",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in html
    assert "新人" in html
