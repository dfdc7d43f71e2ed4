"""Key rotation re-encrypts stored attachments too, so the old key can be removed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from silvershield.core import crypto
from silvershield.core.keys import rotate_field_keys
from silvershield.portal import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    crypto.reset_key_cache()
    with override_settings(MEDIA_ROOT=tmp_path):
        yield
    crypto.reset_key_cache()


def test_attachments_are_readable_with_only_the_new_key_after_rotation() -> None:
    secret = "%PDF-1.4 contract of the fictitious 康乐夕阳红 company".encode()
    relative = files.store(secret)
    stored = (files.storage_root() / relative).read_bytes()
    assert secret not in stored
    old_key = crypto.keyring().field_keys[0]
    new_key = Fernet.generate_key().decode()
    with override_settings(SILVERSHIELD_FIELD_KEYS=[new_key, old_key]):
        crypto.reset_key_cache()
        assert rotate_field_keys() >= 1
    with override_settings(SILVERSHIELD_FIELD_KEYS=[new_key]):
        crypto.reset_key_cache()
        assert files.load(relative) == secret
    with override_settings(SILVERSHIELD_FIELD_KEYS=[old_key]):
        crypto.reset_key_cache()
        with pytest.raises(crypto.KeyMaterialError):
            files.load(relative)
