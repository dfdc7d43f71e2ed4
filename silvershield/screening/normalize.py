"""Text normalisation: full-width → half-width, traditional → simplified, control characters.

Every mapping is one character to one character, so offsets found in the normalised text are
valid offsets into the original text (after the length cut, which keeps a prefix).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Final

#: Texts longer than this (in characters) are cut before screening; the screening says so.
MAX_CHARS: Final = 20_000


def _load_t2s() -> dict[int, str]:
    table: dict[int, str] = {}
    raw = resources.files("silvershield.screening").joinpath("data/t2s.txt").read_text("utf-8")
    for line in raw.splitlines():
        if line.startswith("#"):
            continue
        for token in line.split():
            if len(token) == 2 and token[0] != token[1]:
                table[ord(token[0])] = token[1]
    return table


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII block → ASCII.
    # Full-width letters, digits and the symbols used in numbers, URLs and IDs. Chinese
    # punctuation (，：！？；（）) is kept: every pattern accepts both forms.
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp - 0xFEE0)
        if ch.isalnum() or ch in "+-./@#%&*=_~$":
            table[cp] = ch
    table[0x3000] = " "  # ideographic space
    # Other spaces and invisible characters → a plain space (keeps offsets 1:1).
    for cp in (0x00A0, 0x2002, 0x2003, 0x2009, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202F):
        table[cp] = " "
    # C0/C1 control characters except tab and newline → space.
    for cp in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        if cp not in (0x09, 0x0A):
            table[cp] = " "
    # Dashes and similar look-alikes used inside phone numbers.
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63):
        table[cp] = "-"
    table[0x00B7] = "·"
    table.update(_load_t2s())
    # Upper-case ASCII letters are lowered so that keyword matching is case-free
    # (identifiers like the USCC or an ID's X are matched case-insensitively anyway).
    return table


_TABLE: Final = _build_table()
_NEEDS: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")
_TABLE_BY_CHAR: Final = {chr(c): v for c, v in _TABLE.items()}


def _map_char(m: re.Match[str]) -> str:
    return _TABLE_BY_CHAR[m.group()]


_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_FOLD: Final = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def normalize(text: str) -> str:
    """Return ``text`` with full-width forms, traditional characters and control characters
    normalised. Same length as the input; case is kept."""
    if _NEEDS.search(text) is None:
        return text
    # Usually a few characters need mapping: replacing just those is several times faster
    # than str.translate, which looks every character up.
    return _NEEDS.sub(_map_char, text)


def fold(text: str) -> str:
    """Lower-case ASCII letters only (for keyword matching); same length."""
    return text.translate(_FOLD)


def coerce_text(value: object) -> tuple[str, list[str]]:
    """Turn any input into screenable text. Returns the text and notes about what was done
    (in Chinese, for reasons)."""
    notes: list[str] = []
    if value is None:
        return "", notes
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        for enc in ("utf-8", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = raw.decode("utf-8", errors="replace")
            notes.append("输入含无法解码的字节，已替换")
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    if len(text) > MAX_CHARS:
        notes.append(f"文本过长（{len(text)}字），仅甄别前{MAX_CHARS}字")
        text = text[:MAX_CHARS]
    # Lone surrogates would break encoding downstream; replace them 1:1. Only text holding one
    # fails to encode, and the encoder is several times faster than the pattern search.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text, notes


_GOOD: Final = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf]")
_GOOD_CLASS: Final = "0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf"


@cache
def _at_least_good(n: int) -> re.Pattern[str]:
    """Matches a prefix holding ``n`` (a multiple of 8) letters, digits or CJK characters.

    Eight steps are written out inside the repeat, which costs the engine far less than
    repeating one step ``n`` times; the skips are possessive (a skipped character is never a
    wanted one, so giving it back cannot help)."""
    step = f"[^{_GOOD_CLASS}]*+[{_GOOD_CLASS}]"
    return re.compile(f"(?:{step * 8}){{{n // 8}}}")


_NOT_GOOD: Final = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf]+")


def is_mostly_garbage(text: str) -> bool:
    """True when the text has almost no letters, digits or CJK characters."""
    if not text:
        return True
    sample = text[:400]
    need = max(2, len(sample) // 5)
    # At least ``need`` (rounded up to a multiple of 8, so few patterns are compiled) good
    # characters: the match stops as soon as it has seen them.
    if _at_least_good(-(-need // 8) * 8).match(sample):
        return False
    good = len(sample) - sum(map(len, _NOT_GOOD.findall(sample)))
    # Other scripts (Cyrillic, Arabic, kana…) count as text too.
    good += sum(1 for ch in sample if ch.isalpha() and not _GOOD.match(ch))
    return good < max(2, len(sample) // 5)
