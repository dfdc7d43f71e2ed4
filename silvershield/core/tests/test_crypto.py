from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from conftest import World
from silvershield.core import crypto, identity
from silvershield.core.keys import rotate_field_keys
from silvershield.orgs.models import User


@pytest.fixture(autouse=True)
def _fresh_keys() -> Iterator[None]:
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def test_encrypt_round_trip_and_randomised() -> None:
    a = crypto.encrypt("王秀英")
    b = crypto.encrypt("王秀英")
    assert a != b
    assert "王秀英" not in a
    assert crypto.decrypt(a) == "王秀英"


def test_blind_index_matches_normalised_phone_formats() -> None:
    assert identity.phone_index("13805720001") == identity.phone_index("+86 138-0572-0001")
    assert identity.phone_index("１３８０５７２０００１") == identity.phone_index("13805720001")
    assert identity.phone_index("13805720001") != identity.phone_index("13805720002")
    assert identity.phone_index("12") == ""


def test_blind_index_depends_on_the_key() -> None:
    before = identity.phone_index("13805720001")
    with override_settings(SILVERSHIELD_BLIND_INDEX_KEY="another-key"):
        crypto.reset_key_cache()
        assert identity.phone_index("13805720001") != before


def test_key_file_is_created_outside_the_database_with_owner_only_access(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k.json"
    with override_settings(
        SILVERSHIELD_FIELD_KEYS=[],
        SILVERSHIELD_BLIND_INDEX_KEY="",
        SILVERSHIELD_AUDIT_KEY="",
        SILVERSHIELD_KEY_FILE=path,
    ):
        crypto.reset_key_cache()
        token = crypto.encrypt("秘密")
        assert path.exists()
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        crypto.reset_key_cache()
        assert crypto.decrypt(token) == "秘密"


@pytest.mark.django_db
def test_rotation_re_encrypts_so_the_old_key_can_go(county_a_office: User, world: World) -> None:
    from conftest import REPORTER, file_tip
    from silvershield.intake.models import TipReporter

    tip = file_tip(county_a_office, world.county_a, reporter=REPORTER)
    old_key = crypto.keyring().field_keys[0]
    new_key = Fernet.generate_key().decode()
    with override_settings(SILVERSHIELD_FIELD_KEYS=[new_key, old_key]):
        assert rotate_field_keys() >= 3
    with override_settings(SILVERSHIELD_FIELD_KEYS=[new_key]):
        crypto.reset_key_cache()
        reporter = TipReporter.objects.get(tip=tip)
        assert reporter.name == REPORTER.name
        assert reporter.phone == REPORTER.phone
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM intake_tipreporter WHERE tip_id = %s", [tip.pk])
            (raw,) = cursor.fetchone()
        assert REPORTER.name not in raw
