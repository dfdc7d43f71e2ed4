"""Model fields whose values are encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from silvershield.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Stores a Fernet token; Python code sees the plaintext (empty string stays empty).

    Encrypted values cannot be filtered on: search through a blind index instead.
    """

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)
