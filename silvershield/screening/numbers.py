"""Parsing of Arabic and Chinese numerals (三万五千, 5.8万, 3万5, 二十余)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

DIGITS: Final[dict[str, int]] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
UNITS: Final[dict[str, int]] = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "k": 1000,
    "K": 1000,
    "万": 10_000,
    "萬": 10_000,
    "w": 10_000,
    "W": 10_000,
    "亿": 100_000_000,
}
NUM_CHARS: Final = "".join(DIGITS) + "".join(UNITS) + "0123456789.,几"


def parse_number(text: str) -> Decimal | None:
    """Parse a numeral like ``三万五千``, ``5.8万``, ``3万5``, ``12,000``, ``十几万`` (the ``几``
    is ignored, giving a lower bound). Returns None if nothing numeric is found."""
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    last_big_unit = 0
    seen = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isascii() and (ch.isdigit() or ch == "."):
            j = i
            while j < n and text[j].isascii() and (text[j].isdigit() or text[j] in ".,"):
                j += 1
            raw = text[i:j].replace(",", "").rstrip(".")
            try:
                number = Decimal(raw) if raw else None
            except InvalidOperation:
                number = None
            seen = seen or number is not None
            i = j
            continue
        if ch in DIGITS:
            # Chinese digits written one by one (二〇二三) are read as positional digits.
            d = DIGITS[ch]
            if number is not None and i > 0 and text[i - 1] in DIGITS:
                number = number * 10 + d
            else:
                number = Decimal(d)
            seen = True
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit >= 10_000:
                section += number if number is not None else Decimal(0)
                if section == 0:
                    section = Decimal(1)
                total = (
                    (total + section) * unit
                    if total and unit > last_big_unit
                    else (total + section * unit)
                )
                last_big_unit = unit
                section = Decimal(0)
            else:
                section += (number if number is not None else Decimal(1)) * unit
            number = None
            seen = True
        i += 1
    if not seen:
        return None
    if number is not None:
        # 3万5 means 35,000 and 3千5 means 3,500: a lone digit right after a unit.
        core = text.rstrip("多余几来")
        if len(core) >= 2 and core[-2] in UNITS and (core[-1].isdigit() or core[-1] in DIGITS):
            number = number * UNITS[core[-2]] / 10
        section += number
    return total + section
