"""Keyset pagination: stable and fast on large tables (no OFFSET)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> list[Any] | None:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None


def keyset_page(
    qs: models.QuerySet[M], *, order: tuple[str, str], cursor: str | None, size: int = 50
) -> Page[M]:
    """Order by two fields, both descending (e.g. ("received_at", "id")); the second is unique."""
    first, second = order
    qs = qs.order_by(f"-{first}", f"-{second}")
    values = _decode(cursor) if cursor else None
    if values and len(values) == 2:
        field = qs.model._meta.get_field(first)
        try:
            key0: Any = values[0]
            if isinstance(field, models.DateTimeField):
                key0 = dt.datetime.fromisoformat(str(values[0]))
                if key0.tzinfo is None:
                    raise ValueError("naive cursor")
                key0 = key0.astimezone(dt.UTC)
            key1 = int(values[1])
            if not 0 <= key1 < 2**63:
                raise ValueError("id out of range")
            qs = qs.filter(Q(**{f"{first}__lt": key0}) | Q(**{first: key0, f"{second}__lt": key1}))
        except (ValueError, TypeError, OverflowError):
            pass  # a malformed cursor shows the first page
    items = list(qs[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = _encode([getattr(last, first), getattr(last, second)])
    return Page(items, next_cursor)
