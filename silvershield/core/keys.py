"""Key rotation: re-encrypt every encrypted field under the newest key."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction

from silvershield.core import crypto
from silvershield.core.fields import EncryptedTextField

Rotator = Callable[[], int]
_rotators: list[Rotator] = []


def register_rotator(rotator: Rotator) -> None:
    """Apps that keep encrypted files register how to re-encrypt them (returns files rewritten)."""
    if rotator not in _rotators:
        _rotators.append(rotator)


def rotate_files(root: Path) -> int:
    """Re-encrypt every file below ``root`` under the newest key; each file is replaced atomically."""
    rewritten = 0
    if not root.exists():
        return 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".tmp")):
        rotated = crypto.rotate_bytes(path.read_bytes())
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(rotated)
        os.replace(temporary, path)
        rewritten += 1
    return rewritten


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, pk column, column) of every EncryptedTextField in the project."""
    found: list[tuple[str, str, str]] = []
    for model in apps.get_models():
        pk = model._meta.pk
        assert pk is not None
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model._meta.db_table, str(pk.column), str(field.column)))
    return found


def rotate_field_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt all values (and registered encrypted files) under the primary key; returns the
    number of values and files rewritten.

    Streams by primary key in batches, one transaction per batch, so it can run on a live system.
    """
    crypto.reset_key_cache()
    rewritten = 0
    qn = connection.ops.quote_name
    for table, pk, column in encrypted_columns():
        last = None
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {qn(pk)} > %s " if last is not None else ""
                params: list[int | str] = [last] if last is not None else []
                cursor.execute(
                    f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} {where}ORDER BY {qn(pk)} LIMIT %s",  # noqa: S608
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                for row_pk, token in rows:
                    if token:
                        cursor.execute(
                            f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s",  # noqa: S608
                            [crypto.rotate(token), row_pk],
                        )
                        rewritten += 1
            last = rows[-1][0]
    for rotator in _rotators:
        rewritten += rotator()
    return rewritten
