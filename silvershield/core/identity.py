"""Normalising personal identifiers for validation and blind indexes."""

from __future__ import annotations

import datetime as dt
import unicodedata

import phonenumbers
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from silvershield.core import crypto


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
    """The compact 18-character resident identity number, or None when it is not one.

    Checks the format, the birth date and the check digit, and that the first six digits are an
    administrative code that has existed at some time. Not ``stdnum.cn.ric.validate``: that
    requires the code to have existed in the *birth year*, but numbers were issued from the
    1980s with the codes of the day, so it rejects genuine numbers of older people — our
    reporters and victims.
    """
    text = ric.compact(_halfwidth(value))
    if len(text) != 18 or not text[:17].isdigit() or text[17] not in "0123456789X":
        return None
    try:
        birth = ric.get_birth_date(text)
    except StdnumError:
        return None
    if not (dt.date(1880, 1, 1) <= birth <= dt.date.today()):  # noqa: DTZ011 - a calendar date
        return None
    if ric.calc_check_digit(text) != text[17]:
        return None
    if not numdb.get("cn/loc").info(text[:6])[-1][1]:
        return None
    return text


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
