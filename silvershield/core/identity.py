"""Normalising personal identifiers for validation and blind indexes."""

from __future__ import annotations

import unicodedata

import phonenumbers

from silvershield.core import crypto
from silvershield.screening.identifiers import normalize_id_number as screening_normalize_id_number


def _halfwidth(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def normalize_phone(value: str) -> str | None:
    """E.164 form of a Chinese phone number, or None when it is not a valid number."""
    text = _halfwidth(value).strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_id_number(value: str) -> str | None:
    """The compact 18-character resident identity number, or None when it is not one."""
    return screening_normalize_id_number(_halfwidth(value))


def phone_index(value: str) -> str:
    normalized = normalize_phone(value)
    return crypto.blind_index("phone", normalized) if normalized else ""


def id_index(value: str) -> str:
    normalized = normalize_id_number(value)
    return crypto.blind_index("ric", normalized) if normalized else ""


def mask_name(value: str) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_phone(value: str) -> str:
    digits = _halfwidth(value).strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(value: str) -> str:
    text = _halfwidth(value).strip()
    if len(text) < 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
