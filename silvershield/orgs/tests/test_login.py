import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD, World, current_totp
from silvershield.core.middleware import SESSION_KEY
from silvershield.core.models import AuditEvent
from silvershield.orgs.models import User
from silvershield.orgs.services import totp_device_create

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = PASSWORD, otp: str = "") -> Any:
    return client.post(
        reverse("orgs:login"), {"username": username, "password": password, "otp_token": otp}
    )


def test_staff_log_in_with_password_and_land_on_the_workbench(
    county_a_office: User, client: Client
) -> None:
    response = _login(client, "county_a_office")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:workbench")
    page = client.get(reverse("core:workbench")).content.decode()
    assert "待甄别线索" in page and "吴兴区专项办" in page


def test_administrator_refused_without_the_second_factor(sysadmin: User, client: Client) -> None:
    totp_device_create(actor=None, user=sysadmin)
    response = _login(client, "sysadmin")
    assert response.status_code == 200
    assert "管理员账号须填写正确的动态口令" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client, "sysadmin", otp="000000").status_code == 200
    assert AuditEvent.objects.filter(action="login.denied", object_id=str(sysadmin.pk)).count() == 2


def test_administrator_without_an_enrolled_authenticator_cannot_log_in(
    auditor: User, client: Client
) -> None:
    assert _login(client, "auditor", otp="123456").status_code == 200
    assert "_auth_user_id" not in client.session


def test_administrator_logs_in_with_the_second_factor(sysadmin: User, client: Client) -> None:
    totp_device_create(actor=None, user=sysadmin)
    response = _login(client, "sysadmin", otp=current_totp(sysadmin))
    assert response.status_code == 302
    # A system administrator lands on unit management, never on tip content.
    assert client.get(reverse("core:workbench"))["Location"] == reverse("orgs:unit_list")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(county_a_office: User, client: Client) -> None:
    for _ in range(3):
        _login(client, "county_a_office", password="wrong-password")
    locked = _login(client, "county_a_office")  # even the right password is refused now
    assert locked.status_code == 429
    assert "已被临时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_security_administrator_unlocks(
    county_a_office: User, secadmin: User, client: Client
) -> None:
    from silvershield.orgs.services import user_unlock

    for _ in range(3):
        _login(client, "county_a_office", password="wrong-password")
    assert _login(client, "county_a_office").status_code == 429
    assert user_unlock(actor=secadmin, user=county_a_office) >= 1
    assert _login(client, "county_a_office").status_code == 302


def test_idle_sessions_are_ended(county_a_office: User, client: Client) -> None:
    client.force_login(county_a_office)
    assert client.get(reverse("intake:list")).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("intake:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("orgs:login"))
    assert client.get(reverse("intake:list")).status_code == 302


def test_logout_requires_post_and_ends_the_session(county_a_office: User, client: Client) -> None:
    client.force_login(county_a_office)
    assert client.get(reverse("orgs:logout")).status_code == 405
    client.post(reverse("orgs:logout"))
    assert client.get(reverse("intake:list")).status_code == 302


def test_grid_workers_land_on_their_patrol_page(world: World, client: Client) -> None:
    from conftest import make_user
    from silvershield.core.permissions import Role

    make_user("grid_x", world.county_a_office, Role.GRID_WORKER)
    response = _login(client, "grid_x")
    assert response.status_code == 302
    assert client.get(reverse("core:workbench"))["Location"] == reverse("portal:grid")
