"""Chinese resident identity numbers, validated the way they were actually issued."""

from __future__ import annotations

import datetime as dt

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


def normalize_id_number(value: str) -> str | None:
    """The compact 18-character number, or None when it is not a valid one.

    Checks the format, the birth date and the check digit, and that the first six digits are an
    administrative code that has existed at some time. Not ``stdnum.cn.ric.validate``: that
    requires the code to have existed in the *birth year*, but numbers were issued from the
    1980s with the codes of the day, so it refuses genuine numbers of older people — the very
    victims and reporters of this campaign.
    """
    text = ric.compact(value)
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


def is_valid_id_number(value: str) -> bool:
    return normalize_id_number(value) is not None
