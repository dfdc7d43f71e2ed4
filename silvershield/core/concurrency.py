"""Optimistic concurrency: two people acting on one record at once — the second is told."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class StaleRecordError(Exception):
    """The record changed since the user loaded it; nothing was written."""

    message = "该记录已被他人修改，请刷新页面查看最新情况后再操作。"

    def __str__(self) -> str:
        return self.message


def guarded_update(obj: models.Model, *, expected_version: int, **fields: Any) -> None:
    """Update ``fields`` only if the row still has ``expected_version``; bump the version.

    Raises StaleRecordError (and writes nothing) when someone else changed it meanwhile. On
    success ``obj`` carries the new values and version.
    """
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise StaleRecordError
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1  # type: ignore[attr-defined]
