"""Key rotation: re-encrypt every encrypted field under the newest key."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from silvershield.core import crypto
from silvershield.core.fields import EncryptedTextField


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
    """Re-encrypt all values under the primary key; returns the number of values rewritten.

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
    return rewritten
