"""Field encryption and blind indexes for personal information.

Keys live outside the database: in production in the environment (SILVERSHIELD_FIELD_KEYS,
newest first; SILVERSHIELD_BLIND_INDEX_KEY), on the embedded default in a key file created with
owner-only permissions on first use. Rotation: put a new key first, run ``rotate_keys``; old
keys are still accepted for reading until they are removed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class KeyMaterialError(RuntimeError):
    """The key material is missing or unusable."""


@dataclass(frozen=True)
class KeyRing:
    field_keys: tuple[str, ...]
    blind_index_key: bytes
    audit_key: bytes


def _read_key_file(path: Path) -> dict[str, object]:
    if path.exists():
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise KeyMaterialError(f"key file {path} is malformed")
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    data = {
        "field_keys": [Fernet.generate_key().decode()],
        "blind_index_key": Fernet.generate_key().decode(),
        "audit_key": Fernet.generate_key().decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    return data


@functools.cache
def keyring() -> KeyRing:
    field_keys = list(settings.SILVERSHIELD_FIELD_KEYS)
    blind = settings.SILVERSHIELD_BLIND_INDEX_KEY
    audit = settings.SILVERSHIELD_AUDIT_KEY
    if not (field_keys and blind and audit):
        data = _read_key_file(Path(settings.SILVERSHIELD_KEY_FILE))
        keys = data.get("field_keys")
        if not field_keys and isinstance(keys, list):
            field_keys = [str(k) for k in keys]
        blind = blind or str(data.get("blind_index_key", ""))
        audit = audit or str(data.get("audit_key", ""))
    if not field_keys or not blind or not audit:
        raise KeyMaterialError("no encryption keys configured")
    return KeyRing(tuple(field_keys), blind.encode(), audit.encode())


@functools.cache
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keyring().field_keys])
    except ValueError as exc:
        raise KeyMaterialError("a field key is not a valid Fernet key") from exc


def reset_key_cache() -> None:
    keyring.cache_clear()
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise KeyMaterialError(
            "cannot decrypt: the key that wrote this value is not configured"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return _fernet().rotate(token.encode()).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a file's content with the field keys (attachments, evidence)."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise KeyMaterialError(
            "cannot decrypt: the key that wrote this file is not configured"
        ) from exc


def rotate_bytes(token: bytes) -> bytes:
    return _fernet().rotate(token)


def blind_index(kind: str, normalized: str) -> str:
    """Keyed hash of a normalised identifier: equal values match, nothing can be read back."""
    message = f"{kind}:{normalized}".encode()
    return hmac.new(keyring().blind_index_key, message, hashlib.sha256).hexdigest()


def audit_signature(message: bytes) -> str:
    return hmac.new(keyring().audit_key, message, hashlib.sha256).hexdigest()
