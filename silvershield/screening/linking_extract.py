"""What linking needs from a text, found fast: identifiers (phone, ID number, USCC, bank card,
WeChat, QQ) and institution names.

The rules are screening's (:mod:`silvershield.screening.entities`) for these kinds, written out
for linking alone so that a million texts can be read in a minute: one digit-run pattern that
only stops at runs of seven or more digits, no entity objects, no money, dates, places or URLs.
Names are scanned back from their suffix past 都 and 投 (成都市…, …投资有限公司), and short names
(某某养老) count. A test checks that the identifiers agree with screening's on many texts.

All offsets are into the normalised text (see :func:`silvershield.screening.normalize`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from stdnum.cn import uscc

from silvershield.screening.entities import context_before as _context_before
from silvershield.screening.entities import luhn_ok as _luhn_ok
from silvershield.screening.entities import phone_e164
from silvershield.screening.entities import ric_shape as _ric_shape
from silvershield.screening.identifiers import is_valid_id_number
from silvershield.screening.lexicon import BANK_CONTEXT, ORG_SUFFIXES
from silvershield.screening.matcher import make_finder

#: (kind, value as written, normalised value, start, end, valid)
Found = tuple[str, str, str, int, int, bool]

SHORT_NAME_SUFFIXES: Final = ("养老", "康养", "养生")

# ---------------------------------------------------------------------------------------------
# Numbers: runs of digits with single separators, as screening finds them. The run pattern is
# tried only inside stretches of seven or more characters that can make up a run (most numbers in
# a text, such as ages, amounts and years, are shorter): a run with seven digits lies inside
# one, no run crosses the start of one, so the runs found are the same as those of a scan of the
# whole text.
_STRETCH: Final = re.compile(r"[+(0-9][-+() 0-9]{6,}")
_DIGIT_RUN: Final = re.compile(r"[+(0-9][0-9)]*(?:[- ]\(?[0-9][0-9)]*)*[Xx]?(?![0-9A-Za-z])")
_SEP: Final = re.compile(r"[- ]+")
_RUN_SEPARATORS: Final = str.maketrans("", "", "+()- ")
_ID_CONTEXT: Final = ("身份证", "证件号", "公民身份", "身份号")
_USCC_CONTEXT: Final = ("信用代码", "社会信用", "统一代码", "营业执照")
_PHONE_CONTEXT: Final = ("电话", "手机", "号码", "联系")


def _classify(text: str, d: str, start: int, end: int) -> Found | None:
    """The identifier a separator-free digit string is, if any."""
    raw = text[start:end]
    n = len(d)
    if n in (18, 15):
        upper = d.upper()
        if n == 18 and _ric_shape(upper):
            return ("id_number", raw, upper, start, end, is_valid_id_number(upper))
        if n == 18 and upper[-1] == "X" and upper[:17].isdigit():
            return ("id_number", raw, upper, start, end, False)
        if n == 15 and _context_before(text, start, _ID_CONTEXT):
            return ("id_number", raw, upper, start, end, is_valid_id_number(upper))
    if not d.isdigit():
        return None
    if n == 18 and uscc.is_valid(d):
        return ("uscc", raw, d, start, end, True)
    e164 = phone_e164(d) if 10 <= n <= 15 else None
    if e164 is not None:
        return ("phone", raw, e164, start, end, True)
    if 16 <= n <= 19:
        if _luhn_ok(d):
            return ("bank_card", raw, d, start, end, True)
        if _context_before(text, start, BANK_CONTEXT, 16):
            return ("bank_card", raw, d, start, end, False)
        if n == 18 and _context_before(text, start, _USCC_CONTEXT, 16):
            return ("uscc", raw, d, start, end, False)
    if n == 11 and d[0] == "1" and _context_before(text, start, _PHONE_CONTEXT):
        return ("phone", raw, "+86" + d, start, end, False)
    return None


def _runs(text: str) -> Iterator[re.Match[str]]:
    run_at = _DIGIT_RUN.match
    for stretch in _STRETCH.finditer(text):
        pos, end = stretch.span()
        while pos < end:
            m = run_at(text, pos)
            if m is None:
                pos += 1
                continue
            yield m
            pos = m.end()


def _numbers(text: str, out: list[Found]) -> None:
    for m in _runs(text):
        s = m.group()
        if len(s) < 7 or sum(map(str.isdigit, s)) < 7:
            continue
        base = m.start()
        if base and (
            (text[base - 1].isascii() and text[base - 1].isalnum()) or text[base - 1] == "."
        ):
            continue
        if s.isdigit():
            found = _classify(text, s, base, m.end())
            if found is not None:
                out.append(found)
            continue
        # Groups between separators; the longest run of groups from each group on that is an
        # identifier wins.
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
                digits = s[g_start:g_end].translate(_RUN_SEPARATORS)
                if len(digits) < 7:
                    continue
                found = _classify(text, digits, base + g_start, base + g_end)
                if found is not None:
                    out.append(found)
                    i = k
                    break
            else:
                i += 1


_ID_CHAR: Final = "[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]"
_USCC_RE: Final = re.compile(_ID_CHAR + _ID_CHAR + "[0-9]{6}" + _ID_CHAR + "{10}(?![0-9A-Za-z])")
_USCC_LETTER: Final = re.compile("[A-HJ-NP-RTUWXYa-hj-np-rtuwxy]")


def _usccs(text: str, out: list[Found]) -> None:
    """Credit codes with a letter (all-digit ones are found with the digit runs)."""
    if _USCC_LETTER.search(text) is None:
        return
    taken = [(f[3], f[4]) for f in out]
    for m in _USCC_RE.finditer(text):
        start = m.start()
        if any(a <= start < b for a, b in taken):
            continue
        if start and text[start - 1].isascii() and text[start - 1].isalnum():
            continue
        code = m.group().upper()
        if not code.isdigit():
            out.append(("uscc", m.group(), code, start, m.end(), uscc.is_valid(code)))


# ---------------------------------------------------------------------------------------------
# WeChat and QQ
_WECHAT_CUES: Final = ("微信", "薇信", "威信", "v信", "V信", "vx", "VX", "Vx", "wx", "WX", "Wx")
_WECHAT_CUE_RE: Final = re.compile("|".join((*_WECHAT_CUES, "wechat", "WeChat")))
_WECHAT_RE: Final = re.compile(
    r"(?:微信号?|薇信|威信|v信|vx|wx|wechat)\s?(?:号|名|id)?\s?(?:是|为|:|：)?\s?"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9][0-9]{9})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
_QQ_RE: Final = re.compile(
    r"(?:qq|扣扣)\s?(?:号码?|群)?\s?(?:是|为|:|：)?\s?([1-9][0-9]{4,11})(?![0-9])", re.IGNORECASE
)


def _chat_ids(text: str, out: list[Found]) -> None:
    if _WECHAT_CUE_RE.search(text):
        for m in _WECHAT_RE.finditer(text):
            out.append(("wechat", m.group(1), m.group(1).lower(), m.start(1), m.end(1), True))
    if "qq" in text or "QQ" in text or "Qq" in text or "扣扣" in text:
        for m in _QQ_RE.finditer(text):
            out.append(("qq", m.group(1), m.group(1), m.start(1), m.end(1), True))


# ---------------------------------------------------------------------------------------------
# Institution names: a suffix found by Aho–Corasick, the name scanned backwards from it.
_SUFFIX_WORDS: Final = tuple(dict.fromkeys((*ORG_SUFFIXES, *SHORT_NAME_SUFFIXES)))
_FIND_SUFFIXES: Final = make_finder(_SUFFIX_WORDS)
#: Characters that end a name scanned backwards: screening's stop characters without 都 (成都)
#: and 投 (投资), which belong to names often enough.
_NAME_STOP: Final = "与且个也买了交从他们但你到卖却去又及叫向吗吧呀呢啊嘛在她对将就并我或找把是由的称等经给而被让说跟还这那骗"
_NOT_NAME: Final = re.compile("[^\u4e00-\u9fff（）·0-9A-Za-z()]|[" + _NAME_STOP + "]")
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
MAX_NAME: Final = 16


def _orgs(text: str, out: list[Found]) -> None:
    hits = _FIND_SUFFIXES(text)
    if not hits:
        return
    words = _SUFFIX_WORDS
    spans: list[tuple[int, int]] = []
    for w, start, end in hits:
        limit = max(0, start - MAX_NAME)
        m = _NOT_NAME.search(text[limit:start][::-1])
        name_start = start - m.start() if m else limit
        if start - name_start < 2:
            continue
        if text[name_start] in _PREFIX_FIRST:
            term_len = len(words[w])
            for p in _NAME_PREFIX_STRIP:
                if text.startswith(p, name_start) and end - name_start - len(p) > term_len:
                    name_start += len(p)
        if start - name_start >= 2:
            spans.append((name_start, end))
    if len(spans) > 1:
        # Drop spans inside a longer one.
        spans.sort(key=lambda t: (t[0], t[0] - t[1]))
        kept: list[tuple[int, int]] = []
        for a, b in spans:
            if any(ka <= a and b <= kb for ka, kb in kept):
                continue
            kept = [(ka, kb) for ka, kb in kept if not (a <= ka and kb <= b)]
            kept.append((a, b))
        spans = kept
    for a, b in spans:
        out.append(("org", text[a:b], "", a, b, True))


def find_link_entities(norm: str) -> list[Found]:
    """Identifiers and institution names in a normalised text, in the order: numbers, credit
    codes with letters, WeChat and QQ, names. The normalised value of a name is left empty
    (linking takes the core with :func:`silvershield.screening.linking.normalize_name`)."""
    out: list[Found] = []
    _numbers(norm, out)
    _usccs(norm, out)
    _chat_ids(norm, out)
    _orgs(norm, out)
    return out
