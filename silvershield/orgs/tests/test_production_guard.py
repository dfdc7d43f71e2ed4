import pytest
from django.core.management import call_command
from django.test import override_settings

from conftest import World, make_user
from silvershield.core.permissions import Role
from silvershield.core.startup import UnsafeProductionError, refuse_unsafe_production
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def test_production_refuses_to_start_while_demo_accounts_exist(world: World) -> None:
    user = make_user("demo_x", world.city_office, Role.OFFICE_STAFF)
    User.objects.filter(pk=user.pk).update(is_demo=True)
    with override_settings(PRODUCTION=True), pytest.raises(UnsafeProductionError):
        refuse_unsafe_production()
    with override_settings(PRODUCTION=False):
        refuse_unsafe_production()  # the embedded default starts
    call_command("purge_demo_accounts")
    with override_settings(PRODUCTION=True):
        refuse_unsafe_production()
    assert not User.objects.filter(is_demo=True).exists()
