"""Entity extraction: candidates by regular expression or Aho–Corasick, then validation.

All offsets are into the (normalised, same-length) text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Final

import phonenumbers
from stdnum.cn import uscc

from silvershield.screening.identifiers import is_valid_id_number
from silvershield.screening.lexicon import APP_SUFFIXES, BANK_CONTEXT, ORG_SUFFIXES
from silvershield.screening.numbers import DIGITS, parse_number

ENTITY_KINDS: Final = (
    "phone",
    "id_number",
    "uscc",
    "bank_card",
    "money",
    "date",
    "org",
    "address",
    "url",
    "app",
    "wechat",
    "qq",
    "victims",
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One thing found in a text. ``value`` is the text as written, ``normalized`` its canonical
    form (digits only for numbers, E.164 for phones, yuan for money, ISO for full dates, region
    code plus name for addresses). ``valid`` is False for numbers whose checksum fails."""

    kind: str
    value: str
    normalized: str
    start: int
    end: int
    valid: bool = True

    def __reduce__(self) -> tuple[object, tuple[str, str, str, int, int, bool]]:
        # Pickled as one call of the fast constructor: the dataclass default sets the fields
        # one by one in Python, which made results from worker processes slow to ship.
        return _entity, (self.kind, self.value, self.normalized, self.start, self.end, self.valid)


_NEW: Final = object.__new__
_SET_FIELDS: Final = tuple(
    Entity.__dict__[f].__set__ for f in ("kind", "value", "normalized", "start", "end", "valid")
)


def _entity(
    kind: str, value: str, normalized: str, start: int, end: int, valid: bool = True
) -> Entity:
    """``Entity(...)`` without the frozen dataclass's per-field ``object.__setattr__`` calls
    (extraction makes many)."""
    e: Entity = _NEW(Entity)
    s_kind, s_value, s_norm, s_start, s_end, s_valid = _SET_FIELDS
    s_kind(e, kind)
    s_value(e, value)
    s_norm(e, normalized)
    s_start(e, start)
    s_end(e, end)
    s_valid(e, valid)
    return e


# ---------------------------------------------------------------------------------------------
# Numbers: phones, ID numbers, bank cards (digit runs with optional single separators)
_DIGIT_RUN: Final = re.compile(r"[+(0-9][0-9)]*(?:[- ]\(?[0-9][0-9)]*)*[Xx]?(?![0-9A-Za-z])")
_USCC_RE: Final = re.compile(
    r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy][0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy][0-9]{6}[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{10}(?![0-9A-Za-z])"
)
_SEP: Final = re.compile(r"[- ]+")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _ric_shape(d: str) -> bool:
    """Looks like a mainland ID number (region code, birth date)."""
    if len(d) != 18 or d[0] not in "123456":
        return False
    year, month, day = d[6:10], d[10:12], d[12:14]
    return (
        year[:2] in ("19", "20")
        and year.isdigit()
        and "01" <= month <= "12"
        and "01" <= day <= "31"
        and d[:17].isdigit()
    )


def _desc_matcher(
    desc: phonenumbers.PhoneNumberDesc | None,
) -> tuple[frozenset[int], re.Pattern[str]]:
    if desc is None or desc.national_number_pattern is None:
        return frozenset(), re.compile(r"(?!)")
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


def _cn_descs() -> tuple[tuple[frozenset[int], re.Pattern[str]], ...]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    if meta is None:  # pragma: no cover - phonenumbers always ships CN
        return ()
    return tuple(_desc_matcher(d) for d in (meta.general_desc, meta.mobile, meta.fixed_line))


_CN_DESCS: Final = _cn_descs()


def _desc_ok(nsn: str, desc: tuple[frozenset[int], re.Pattern[str]]) -> bool:
    lengths, pattern = desc
    return (not lengths or len(nsn) in lengths) and pattern.fullmatch(nsn) is not None


def _cn_valid(nsn: str) -> bool:
    """``phonenumbers.is_valid_number`` for a CN national significant number (no leading 0).

    That function tests the general pattern and then every number type in turn; a number that
    fits the general and the mobile or fixed-line pattern is valid whatever the others say, so
    those two are tried first and the full test runs only for the rest."""
    if (
        len(_CN_DESCS) == 3
        and _desc_ok(nsn, _CN_DESCS[0])
        and (_desc_ok(nsn, _CN_DESCS[1]) or _desc_ok(nsn, _CN_DESCS[2]))
    ):
        return True
    num = phonenumbers.PhoneNumber(country_code=86, national_number=int(nsn))
    return bool(phonenumbers.is_valid_number(num))


@lru_cache(maxsize=65536)
def _phone(d: str) -> str | None:
    """E.164 for a valid CN phone number given as digits (with or without 86/0086). Cached:
    the same numbers come back in many tips (a scammer's line, a hotline)."""
    if d.startswith("0086"):
        d = d[4:]
        if d[:1] != "1":
            d = "0" + d
    elif d.startswith("86") and len(d) == 13 and d[2] == "1":
        d = d[2:]
    elif d.startswith("86") and len(d) in (11, 12) and d[2] in "23456789":
        d = "0" + d[2:]
    if len(d) == 11 and d[0] == "1" and d[1] in "3456789":
        if d[1:3] != "79":
            # What phonenumbers.parse(d, "CN") gives for a mobile number (no national or
            # carrier prefix to strip unless it starts with 179), without its slow parsing.
            return "+86" + d if _cn_valid(d) else None
    elif d[:1] == "0" and 10 <= len(d) <= 12:
        # A landline with its trunk 0: when the number without it is valid, that is what
        # parse() gives; otherwise let parse() decide.
        if d[1] != "0" and _cn_valid(d[1:]):
            return "+86" + d[1:]
    elif d[:3] in ("400", "800") and len(d) == 10:
        pass
    else:
        return None
    try:
        num = phonenumbers.parse(d, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _context_before(text: str, start: int, words: tuple[str, ...], width: int = 12) -> bool:
    window = text[max(0, start - width) : start]
    return any(w in window for w in words)


_ID_CONTEXT: Final = ("身份证", "证件号", "公民身份", "身份号")
_USCC_CONTEXT: Final = ("信用代码", "社会信用", "统一代码", "营业执照")


def _classify_digits(text: str, d: str, start: int, end: int, out: list[Entity]) -> bool:
    """Classify a separator-free digit string. Returns True if it was recognised."""
    raw = text[start:end]
    upper = d.upper()
    if len(upper) in (18, 15) and (upper[-1] == "X" or _ric_shape(upper) or len(upper) == 15):
        if len(upper) == 18 and _ric_shape(upper):
            out.append(_entity("id_number", raw, upper, start, end, is_valid_id_number(upper)))
            return True
        if len(upper) == 18 and upper[-1] == "X" and upper[:17].isdigit():
            out.append(_entity("id_number", raw, upper, start, end, False))
            return True
        if len(upper) == 15 and _context_before(text, start, _ID_CONTEXT):
            out.append(_entity("id_number", raw, upper, start, end, is_valid_id_number(upper)))
            return True
    if not d.isdigit():
        return False
    if len(d) == 18 and uscc.is_valid(d):
        out.append(_entity("uscc", raw, d, start, end, True))
        return True
    e164 = _phone(d) if 10 <= len(d) <= 15 else None
    if e164 is not None:
        out.append(_entity("phone", raw, e164, start, end, True))
        return True
    if 16 <= len(d) <= 19:
        if _luhn_ok(d):
            out.append(_entity("bank_card", raw, d, start, end, True))
            return True
        if _context_before(text, start, BANK_CONTEXT, 16):
            out.append(_entity("bank_card", raw, d, start, end, False))
            return True
        if len(d) == 18 and _context_before(text, start, _USCC_CONTEXT, 16):
            out.append(_entity("uscc", raw, d, start, end, False))
            return True
    if (
        len(d) == 11
        and d[0] == "1"
        and _context_before(text, start, ("电话", "手机", "号码", "联系"))
    ):
        out.append(_entity("phone", raw, "+86" + d, start, end, False))
        return True
    return False


_RUN_SEPARATORS: Final = str.maketrans("", "", "+()- ")


def _numbers(text: str, out: list[Entity]) -> None:
    for m in _DIGIT_RUN.finditer(text):
        s = m.group()
        if len(s) < 7 or sum(map(str.isdigit, s)) < 7:
            continue
        if m.start() and (
            (text[m.start() - 1].isascii() and text[m.start() - 1].isalnum())
            or text[m.start() - 1] == "."
        ):
            continue
        base = m.start()
        # Split into groups at separators; keep offsets.
        groups: list[tuple[int, int]] = []
        pos = 0
        for part in _SEP.split(s):
            idx = s.index(part, pos) if part else pos
            groups.append((idx, idx + len(part)))
            pos = idx + len(part)
        i = 0
        while i < len(groups):
            for k in range(len(groups), i, -1):
                g_start, g_end = groups[i][0], groups[k - 1][1]
                piece = s[g_start:g_end]
                # A run holds digits, X/x and the separators + ( ) - and space: dropping those
                # keeps the digits (the + of +86 goes too; _phone handles 86).
                digits = piece.translate(_RUN_SEPARATORS)
                if len(digits) < 7:
                    continue
                # Trim brackets that are not part of the number.
                a = base + g_start
                b = base + g_end
                if _classify_digits(text, digits, a, b, out):
                    i = k
                    break
            else:
                i += 1


_USCC_LETTER: Final = re.compile("[A-HJ-NP-RTUWXYa-hj-np-rtuwxy]")


def _usccs(text: str, out: list[Entity], taken: list[tuple[int, int]]) -> None:
    # All-digit codes are found with the digit runs: only codes with a letter are wanted here.
    if _USCC_LETTER.search(text) is None:
        return
    for m in _USCC_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum():
            continue
        code = m.group().upper()
        if code.isdigit():
            continue  # handled with the digit runs
        out.append(_entity("uscc", m.group(), code, m.start(), m.end(), uscc.is_valid(code)))


# ---------------------------------------------------------------------------------------------
# Money
_CN_NUM: Final = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_MONEY_RE: Final = re.compile(
    # (?<![0-9][0-9]): a number does not start right after a digit. Exact, as a match never
    # ends after a digit and a start one digit earlier can reach every end this one can; it
    # keeps the engine from retrying at every digit of a phone or card number.
    # The look-ahead after the numeral names every character the rest can start with, so a
    # numeral followed by anything else (一个, 三天, a digit run) fails before the unit list.
    r"([0-9" + _CN_NUM + r"](?<![0-9][0-9])[0-9,." + _CN_NUM + r"]*)"
    r"(?=[\s多余几来万千百亿元块wr人])\s?(多|余|几|来)?\s?"
    r"(万元|千元|百元|亿元|万块|千块|元|块钱|块|w元|w|万|亿|rmb|人民币)"
    r"(?![人名位户个次岁平米里公斤份件天年月日号a-zA-Z])"
)


@lru_cache(maxsize=8192)
def _cached_number(numeral: str) -> Decimal | None:
    return parse_number(numeral)


@lru_cache(maxsize=8192)
def _money_text(value: Decimal) -> str:
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return format(value, "f")


@lru_cache(maxsize=8192)
def _money_norm(num_text: str, unit: str) -> str | None:
    """Yuan amount of a numeral and its unit as text, or None when it is not money."""
    if unit in ("万", "亿", "w") and not any(c.isdigit() or c in DIGITS for c in num_text):
        if num_text in ("十", "百", "千"):
            pass
        else:
            return None
    value = _cached_number(num_text + (unit[0] if unit[0] in "万千百亿w" else ""))
    if value is None or value <= 0:
        return None
    if unit == "块" and not any(c.isdigit() for c in num_text):
        return None  # 一块 (together), 两块 … too ambiguous without digits
    return _money_text(value)


def _money(text: str, out: list[Entity]) -> None:
    for m in _MONEY_RE.finditer(text):
        num_text, approx, unit = m.groups()
        start = m.start()
        if start and num_text[0].isdigit():
            prev = text[start - 1]
            if prev == "." or (prev.isascii() and prev.isalnum()):
                continue
        norm = _money_norm(num_text, unit)
        if norm is None:
            continue
        if approx:
            norm += "+"
        out.append(_entity("money", m.group(), norm, start, m.end(), True))


def money_value(entity: Entity) -> Decimal:
    return decimal_of(entity.normalized)


@lru_cache(maxsize=8192)
def decimal_of(normalized: str) -> Decimal:
    """The amount of a money entity's ``normalized`` value (yuan, ``+`` for 多/余 dropped)."""
    return Decimal(normalized.rstrip("+"))


# ---------------------------------------------------------------------------------------------
# Dates
# The year/month digits are possessive: what follows them never starts with a digit, so giving
# digits back cannot make a match; inside a phone or card number a try fails at once.
_DATE_RE: Final = re.compile(
    r"[0-9][0-9]{0,3}+(?:\s?年\s?[0-9]{1,2}\s?月(?:\s?[0-9]{1,2}\s?[日号])?"
    r"|[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])"
    r"|\s?年"
    r"|\s?月(?:\s?[0-9]{1,2}\s?[日号])?)"
)
_DATE_PARTS: Final = re.compile(r"[0-9]+")
_REL_DATE_RE: Final = re.compile(
    r"今年|去年|前年|上个月|这个月|本月|上周|上星期|昨天|前天|近日|日前"
)


def _dates(text: str, out: list[Entity]) -> None:
    for m in _REL_DATE_RE.finditer(text):
        out.append(_entity("date", m.group(), "rel:" + m.group(), m.start(), m.end()))
    for m in _DATE_RE.finditer(text):
        start = m.start()
        if start and text[start - 1].isdigit():
            continue
        raw = m.group()
        date = _date_norm(raw)
        if date is not None:
            out.append(_entity("date", raw, date[0], start, m.end(), date[1]))


@lru_cache(maxsize=8192)
def _date_norm(raw: str) -> tuple[str, bool] | None:
    """ISO-like form (``????`` for an unknown year) and validity of a date as written, or None
    when it is not a date."""
    nums = [int(n) for n in _DATE_PARTS.findall(raw)]
    year: int | None = None
    if "年" in raw or "-" in raw or "/" in raw or "." in raw:
        year = nums.pop(0)
        if not 1900 <= year <= 2099:
            return None
    month = nums[0] if nums else None
    day = nums[1] if len(nums) > 1 else None
    if month is not None and not 1 <= month <= 12:
        return None
    valid = day is None or 1 <= day <= 31
    parts = [str(year) if year else "????"]
    if month is not None:
        parts.append(f"{month:02d}")
        if day is not None:
            parts.append(f"{day:02d}")
    return "-".join(parts), valid


# ---------------------------------------------------------------------------------------------
# URLs, WeChat, QQ
_URL_RE: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9.:/-]*\.(?:com|cn|net|org|top|vip|xyz|cc|shop|app|info)(?![A-Za-z])"
    r"(?:[/?#:][A-Za-z0-9._~:/?#@!$&'*+,;=%-]*)?",
    re.IGNORECASE,
)
#: Every URL has one of these; texts without it skip the URL pattern.
_TLD_RE: Final = re.compile(
    r"\.(?:com|cn|net|org|top|vip|xyz|cc|shop|app|info)(?![A-Za-z])", re.IGNORECASE
)
_WECHAT_RE: Final = re.compile(
    r"(?:微信号?|薇信|威信|v信|vx|wx|wechat)\s?(?:号|名|id)?\s?(?:是|为|:|：)?\s?"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9][0-9]{9})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
_QQ_RE: Final = re.compile(
    r"(?:qq|扣扣)\s?(?:号码?|群)?\s?(?:是|为|:|：)?\s?([1-9][0-9]{4,11})(?![0-9])", re.IGNORECASE
)


_WECHAT_CUES: Final = (
    "微信",
    "薇信",
    "威信",
    "v信",
    "V信",
    "vx",
    "VX",
    "Vx",
    "wx",
    "WX",
    "Wx",
    "wechat",
    "WeChat",
)


_WECHAT_CUE_RE: Final = re.compile("|".join(map(re.escape, _WECHAT_CUES)))
#: Every _WECHAT_RE match starts with one of these (v and w have no other case-free forms).
_WECHAT_START: Final = re.compile("[微薇威vVwW]")


def _web(text: str, out: list[Entity]) -> None:
    if "." in text and _TLD_RE.search(text):
        for m in _URL_RE.finditer(text):
            if m.start() and (
                text[m.start() - 1] in "@."
                or (text[m.start() - 1].isascii() and text[m.start() - 1].isalnum())
            ):
                continue
            val = m.group().rstrip(".,;:)")
            out.append(_entity("url", val, val.lower(), m.start(), m.start() + len(val)))
    if _WECHAT_CUE_RE.search(text):
        # What _WECHAT_RE.finditer gives, tried only where a match can start: the pattern is
        # case-free, so the engine cannot skip to its first characters by itself.
        end = 0
        for c in _WECHAT_START.finditer(text):
            if c.start() < end:
                continue
            w = _WECHAT_RE.match(text, c.start())
            if w is not None:
                out.append(_entity("wechat", w.group(1), w.group(1).lower(), w.start(1), w.end(1)))
                end = w.end()
    if "qq" in text or "QQ" in text or "Qq" in text or "扣扣" in text:
        for m in _QQ_RE.finditer(text):
            out.append(_entity("qq", m.group(1), m.group(1), m.start(1), m.end(1)))


# ---------------------------------------------------------------------------------------------
# Organisations and apps: suffix found by Aho–Corasick (in the caller), name scanned backwards.
_NAME_STOP: Final = frozenset(
    "的在到去被与向给了是叫从对把让说称及或等由跟找经们我他她你也都又就还将并而且但却啊呀吧呢吗嘛"
    "这那个买卖骗交投"
)
_NAME_PREFIX_STRIP: Final = (
    "一家",
    "一个",
    "名为",
    "叫做",
    "所谓的",
    "所谓",
    "该",
    "某家",
    "一所",
    "这家",
    "那家",
)
_PREFIX_FIRST: Final = frozenset(p[0] for p in _NAME_PREFIX_STRIP)
_CJK_LO: Final = 0x4E00
_CJK_HI: Final = 0x9FFF


def _name_char(ch: str) -> bool:
    o = ord(ch)
    return (
        (_CJK_LO <= o <= _CJK_HI)
        or ch in "（）·"
        or (ch.isascii() and (ch.isalnum() or ch in "()"))
    )


_NAME_RANGES: Final = (
    (0x4E00, 0x9FFF),
    (ord("（"), ord("（")),
    (ord("）"), ord("）")),
    (ord("·"), ord("·")),
    (ord("0"), ord("9")),
    (ord("A"), ord("Z")),
    (ord("a"), ord("z")),
    (ord("("), ord(")")),
)


#: A character that ends a name scanned backwards (not :func:`_name_char`, or a stop character).
def not_name_pattern(stop: frozenset[str]) -> re.Pattern[str]:
    # One negated class of the name characters less the stop characters: the same characters
    # as "not a name character, or a stop character", tested in one step instead of two.
    stops = sorted(ord(c) for c in stop)
    keep: list[tuple[int, int]] = []
    for lo, hi in _NAME_RANGES:
        cur = lo
        for cp in stops:
            if lo <= cp <= hi:
                if cur < cp:
                    keep.append((cur, cp - 1))
                cur = cp + 1
        if cur <= hi:
            keep.append((cur, hi))
    parts = (
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in keep
    )
    return re.compile("[^" + "".join(parts) + "]")


_NOT_NAME: Final = not_name_pattern(_NAME_STOP)


def _scan_name(
    text: str, suffix_start: int, max_len: int = 16, not_name: re.Pattern[str] = _NOT_NAME
) -> int:
    """Start index of the name that ends with the suffix at ``suffix_start``."""
    limit = max(0, suffix_start - max_len)
    m = not_name.search(text[limit:suffix_start][::-1])
    return suffix_start - m.start() if m else limit


_ORG_SET: Final = frozenset(ORG_SUFFIXES)
_APP_SET: Final = frozenset(APP_SUFFIXES)
_GENERIC_ORG: Final = frozenset(
    {"公司", "中心", "基地", "集团", "医院", "银行", "公寓", "协会", "驿站", "科技", "生物", "商贸"}
)


def orgs_and_apps(
    text: str,
    suffix_hits: list[tuple[int, int, str]],
    out: list[Entity],
    not_name: re.Pattern[str] = _NOT_NAME,
) -> None:
    """``suffix_hits``: (start, end, term) of org/app suffix terms found by the automaton;
    ``not_name``: what ends a name scanned backwards from its suffix."""
    spans: list[tuple[int, int, str]] = []
    for start, end, term in suffix_hits:
        kind = "app" if term.lower() in _APP_SET else "org"
        name_start = _scan_name(text, start, not_name=not_name)
        name = text[name_start:end]
        if name[:1] in _PREFIX_FIRST:
            for p in _NAME_PREFIX_STRIP:
                if name.startswith(p) and len(name) - len(p) > len(term):
                    name_start += len(p)
                    name = name[len(p) :]
        core_len = start - name_start
        if kind == "org":
            if core_len < 2:
                continue
        elif core_len < 2 or core_len > 12:
            continue
        spans.append((name_start, end, kind))
    # Drop spans inside a longer span of the same kind.
    if len(spans) > 1:
        spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        kept: list[tuple[int, int, str]] = []
        for s in spans:
            if any(k[2] == s[2] and k[0] <= s[0] and s[1] <= k[1] for k in kept):
                continue
            kept = [k for k in kept if not (k[2] == s[2] and s[0] <= k[0] and k[1] <= s[1])]
            kept.append(s)
        spans = kept
    for a, b, kind in spans:
        val = text[a:b]
        if kind == "org":
            out.append(_entity("org", val, org_core_name(val) or val, a, b))
        else:
            out.append(_entity("app", val, val.lower(), a, b))


# ---------------------------------------------------------------------------------------------
# Regions and addresses


def _load_regions() -> tuple[dict[str, str], dict[str, str]]:
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    raw = resources.files("silvershield.screening").joinpath("data/regions.txt").read_text("utf-8")
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        code, full, short = line.split("\t")
        by_name[full] = code
        names[code] = full
        if short != "-":
            by_name[short] = code
    return by_name, names


REGION_BY_NAME, REGION_NAMES = _load_regions()
_REGION_BY_FIRST: Final[dict[str, list[tuple[str, str]]]] = {}
for _n, _c in REGION_BY_NAME.items():
    _REGION_BY_FIRST.setdefault(_n[0], []).append((_n, _c))
_ADDR_TAIL: Final = re.compile(
    r"(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|地区|盟|县|区|旗|镇|乡|街道|村|社区|小区|大道|路|街|巷|弄|里)"
    r"(?:[0-9一二三四五六七八九十百]+(?:号楼|号院|号|栋|幢|单元|室|组))*)+"
)
_ADDR_TRIGGER: Final = re.compile(r"(?:家住|住在|住址|地址|位于|地点|家在)\s?(?:是|为)?[:：]?\s?")
_ADMIN_START: Final = re.compile(
    r"[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|自治州|县|区|镇|乡|街道|村|社区|小区|路|街)"
)


def _sig(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@lru_cache(maxsize=16384)
def region_code(place: str) -> str | None:
    """The most specific code of a region named in ``place`` (from the small shipped table) that
    agrees with every less specific region named there."""
    by_first = _REGION_BY_FIRST
    found = {c for ch in set(place) for n, c in by_first.get(ch, ()) if n in place}
    codes = sorted(found, key=lambda c: -len(_sig(c)))
    for c in codes:
        if all(c.startswith(_sig(o)) for o in codes if len(_sig(o)) <= len(_sig(c))):
            return c
    return None


def addresses(text: str, region_hits: list[tuple[int, int]], out: list[Entity]) -> None:
    """``region_hits``: spans of known region names (from the automaton)."""
    starts: set[int] = {a for a, _ in region_hits}
    for m in _ADDR_TRIGGER.finditer(text):
        s = m.end()
        if _ADMIN_START.match(text, s):
            starts.add(s)
    last_end = -1
    for s in sorted(starts):
        if s < last_end:
            continue
        tail = _ADDR_TAIL.match(text, s)
        end = tail.end() if tail else s
        # A bare region name (杭州, 北京市) is an address hint too.
        for a, b in region_hits:
            if a == s and b > end:
                end = b
        if end <= s:
            continue
        place = text[s:end]
        code = region_code(place)
        norm = f"{code}|{place}" if code else f"|{place}"
        out.append(_entity("address", place, norm, s, end))
        last_end = end


# ---------------------------------------------------------------------------------------------
# Victims
# The numeral runs are possessive and followed by a look-ahead for what may come next: a shorter
# run leaves a numeral next, which nothing after the number accepts (a trailing 几 given back
# as the 多/余/来/几 part only repeats a path already tried), so the matches are the same and a
# failing candidate (a digit of a phone number, 一个, 三天) fails without backtracking.
_VICTIM_RE: Final = re.compile(
    r"([0-9二两三四五六七八九十百千万几](?<![0-9][0-9])"
    r"(?:(?<=[0-9])[0-9]*+|(?<![0-9])[零一二两三四五六七八九十百千万几]*+))"
    r"(?=[\s多余来几名位个户人老群居村受被会退投客])"
    r"\s?(多|余|来|几)?\s?(?:名|位|个|户|人次)?\s?"
    r"(老年群众|老年人|老人|群众|居民|村民|受害人|被害人|受害者|会员|退休职工|退休人员|投资人|客户|人)"
)
_VICTIM_CONTEXT: Final = (
    "骗",
    "受害",
    "被害",
    "涉及",
    "涉案",
    "损失",
    "报案",
    "集资",
    "投资",
    "上当",
    "被",
)


def victims(text: str, out: list[Entity]) -> None:
    for m in _VICTIM_RE.finditer(text):
        num, noun = m.group(1), m.group(3)
        if "几" in num and len(num) == 1:
            continue
        value = _cached_number(num)
        if value is None or value < 1 or value > 10_000_000:
            continue
        if noun == "人":
            window = text[max(0, m.start() - 20) : m.end() + 20]
            if value < 2 or not any(w in window for w in _VICTIM_CONTEXT):
                continue
        n = int(value)
        out.append(
            _entity("victims", m.group(), str(n) + ("+" if m.group(2) else ""), m.start(), m.end())
        )


# ---------------------------------------------------------------------------------------------
# Company / institution names for linking

_ORG_TAILS: Final = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "分公司",
    "集团公司",
    "集团",
    "公司",
    "商行",
    "工作室",
    "体验店",
    "体验馆",
    "门店",
    "店",
)
_ORG_TRADES: Final = (
    "养老服务",
    "养老产业",
    "养老管理",
    "健康管理",
    "健康咨询",
    "健康产业",
    "养生",
    "养老",
    "康养",
    "生物科技",
    "生物技术",
    "科技",
    "生物",
    "医疗器械",
    "医疗",
    "保健品",
    "保健",
    "投资管理",
    "投资咨询",
    "投资",
    "资产管理",
    "咨询服务",
    "信息咨询",
    "咨询",
    "服务",
    "管理",
    "文化传播",
    "文化",
    "贸易",
    "商贸",
    "实业",
    "网络",
    "电子商务",
    "旅游",
    "旅行社",
    "老年公寓",
    "养老公寓",
    "养老院",
    "敬老院",
    "福利院",
    "护理院",
    "颐养院",
    "康养中心",
    "养老中心",
    "服务中心",
    "中心",
    "公寓",
    "发展",
    "有限",
)
_REGION_SUFFIX_RE: Final = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|地区|县|区))+"
)
_BRACKET_RE: Final = re.compile(r"[(（][^)）]*[)）]")


@lru_cache(maxsize=65536)
def org_core_name(name: str) -> str:
    """Core of an organisation name for matching: 杭州某某养老服务有限公司 → 某某.

    Strips bracketed parts, leading region names (known ones, then …省/市/县/区 prefixes of a
    name that stays long enough), legal-form and trade suffixes. Returns "" when nothing but
    generic words is left."""
    s = _BRACKET_RE.sub("", name.replace(" ", ""))
    while True:
        m = _TAIL_RE.search(s)
        if not m or m.start() < 2:
            # Keep at least two characters of core.
            if m and m.start() < 2 and s[: m.start()] and len(s) > m.end() - m.start():
                pass
            break
        s = s[: m.start()]
    while True:
        m = _REGION_PREFIX_RE.match(s)
        if not m or len(s) - m.end() < 2:
            break
        s = s[m.end() :]
    m = _REGION_SUFFIX_RE.match(s)
    if m and len(s) - m.end() >= 2:
        s = s[m.end() :]
    if s in _TRADE_SET:
        return ""
    return s


_TRADE_SET: Final = frozenset(_ORG_TAILS + _ORG_TRADES)
_TAIL_RE: Final = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _TRADE_SET), key=len, reverse=True)) + ")$"
)
_REGION_PREFIX_RE: Final = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, REGION_BY_NAME), key=len, reverse=True)) + ")"
)


# The same rules for linking's own key extraction (``linking_extract``): one copy of each.
phone_e164 = _phone
luhn_ok = _luhn_ok
ric_shape = _ric_shape
context_before = _context_before
