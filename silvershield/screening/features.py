"""One Aho–Corasick pass over the text gives every keyword feature, the pretext clauses, the
organisation/app name suffixes and the known region names.

The pass uses ``ahocorasick_rs`` when it is installed (see ``matcher.py``)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress
from typing import Final

from silvershield.screening.entities import REGION_BY_NAME
from silvershield.screening.lexicon import (
    APP_SUFFIXES,
    FLEEING,
    GROUPS,
    NEUTRAL,
    ONGOING,
    ORG_SUFFIXES,
    PRETEXT_BWD,
    PRETEXT_FWD,
    PRETEXT_WINDOW,
)
from silvershield.screening.matcher import make_finder
from silvershield.screening.normalize import fold

#: The fraud types (codes → official form). Ordered; ``none`` last.
FRAUD_TYPES: Final[dict[str, str]] = {
    "elder_service": "以提供“养老服务”为名",
    "elder_project": "以投资“养老项目”为名",
    "elder_product": "以销售“养老产品”为名",
    "house_pension": "以宣称“以房养老”为名",
    "pension_insurance": "以代办“养老保险”为名",
    "elder_aid": "以开展“养老帮扶”为名",
    "other_elder": "其他以老年人为对象的诈骗",
    "none": "非养老诈骗",
}
FRAUD_CODES: Final = tuple(c for c in FRAUD_TYPES if c != "none")

GROUP_NAMES: Final = tuple(GROUPS)
GROUP_INDEX: Final = {g: i for i, g in enumerate(GROUP_NAMES)}
TYPE_OF_GROUP: Final = {g: g.split(":")[0] for g in GROUP_NAMES if ":" in g}

_F_PRE_FWD: Final = 1
_F_PRE_BWD: Final = 2
_F_ONGOING: Final = 4
_F_FLEE: Final = 8
_F_REGION: Final = 16

# Derived features (after the group features and the per-type pretext features).
EXTRA_FEATURES: Final = (
    ("age60", "年龄60岁以上"),
    ("eld_x_fraud", "老年人+诈骗手法同时出现"),
    ("pretext_x_fraud", "养老名目+诈骗手法同时出现"),
    ("money", "涉及金额"),
    ("money_big", "金额较大（10万元以上）"),
    ("victims_many", "受害人较多"),
    ("short", "文本很短"),
)
FEATURE_NAMES: Final = (
    *GROUP_NAMES,
    *(f"pretext:{c}" for c in FRAUD_CODES),
    *(name for name, _ in EXTRA_FEATURES),
)
FEATURE_LABELS: Final[dict[str, str]] = {
    **{g: GROUPS[g][0] for g in GROUP_NAMES},
    **{f"pretext:{c}": f"借口/名义：{FRAUD_TYPES[c]}" for c in FRAUD_CODES},
    **dict(EXTRA_FEATURES),
}
N_FEATURES: Final = len(FEATURE_NAMES)
_PRETEXT_OFFSET: Final = len(GROUP_NAMES)
_EXTRA_OFFSET: Final = _PRETEXT_OFFSET + len(FRAUD_CODES)
_TYPE_INDEX: Final = {c: i for i, c in enumerate(FRAUD_CODES)}

_ELD_GROUPS: Final = (
    GROUP_INDEX["eld_person"],
    GROUP_INDEX["eld_retired"],
    GROUP_INDEX["eld_family"],
)
_FRAUD_GROUPS: Final = tuple(
    GROUP_INDEX[g] for g in ("fraud_explicit", "fraud_legal", "fraud_flight", "fraud_deceit")
)
# Ages of 60 and over: "(?<![0-9])([6-9][0-9]|1[01][0-9])\s?(?:多|余)?\s?(?:岁|周岁)", 六十多岁,
# 七旬, 古稀, 耄耋. Written so that every alternative starts with a literal character (the
# not-a-digit-before check moved after it), which lets the regex engine skip to candidate
# characters instead of trying the pattern at every position.
_AGE_TAIL: Final = r"\s?(?:多|余)?\s?(?:岁|周岁)"
_AGE_RE: Final = re.compile(
    "|".join(f"{d}(?<![0-9]{d})[0-9]{_AGE_TAIL}" for d in "6789")
    + f"|1(?<![0-9]1)[01][0-9]{_AGE_TAIL}"
    + "|"
    + "|".join(f"{c}(?:十(?:多|几|余)?岁|旬)" for c in "六七八九")
    + "|古稀|耄耋"
)


def _case_variants(term: str) -> list[str]:
    """All upper/lower-case spellings of the ASCII letters in ``term`` (at most 4 letters)."""
    letters = [i for i, ch in enumerate(term) if ch.isascii() and ch.isalpha()]
    if not letters or len(letters) > 4:
        return [term]
    out = []
    for mask in range(1 << len(letters)):
        chars = list(term)
        for bit, i in enumerate(letters):
            chars[i] = chars[i].upper() if mask >> bit & 1 else chars[i].lower()
        out.append("".join(chars))
    return out


def _longest_suffix(term: str, suffixes: tuple[str, ...]) -> int:
    best = 0
    low = term.lower()
    for s in suffixes:
        if low.endswith(s) and len(s) > best:
            best = len(s)
    return best


# Per term: (length, group indices, flags, org suffix length, app suffix length, type indices)
_TermInfo = tuple[int, tuple[int, ...], int, int, int, tuple[int, ...]]


def _build() -> tuple[list[str], list[_TermInfo]]:
    groups_of: dict[str, list[int]] = {}
    flags_of: dict[str, int] = {}
    for gi, g in enumerate(GROUP_NAMES):
        for t in GROUPS[g][1]:
            groups_of.setdefault(fold(t), []).append(gi)
    for t in PRETEXT_FWD:
        flags_of[t] = flags_of.get(t, 0) | _F_PRE_FWD
    for t in PRETEXT_BWD:
        flags_of[t] = flags_of.get(t, 0) | _F_PRE_BWD
    for t in ONGOING:
        flags_of[t] = flags_of.get(t, 0) | _F_ONGOING
    for t in FLEEING:
        flags_of[t] = flags_of.get(t, 0) | _F_FLEE
    for t in REGION_BY_NAME:
        flags_of[t] = flags_of.get(t, 0) | _F_REGION
    org_suffixes = tuple(fold(s) for s in ORG_SUFFIXES)
    app_suffixes = tuple(fold(s) for s in APP_SUFFIXES)
    all_terms = sorted(
        set(groups_of) | set(flags_of) | set(org_suffixes) | set(app_suffixes) | set(NEUTRAL)
    )
    names: list[str] = []
    infos: list[_TermInfo] = []
    index: dict[str, int] = {}
    for t in all_terms:
        gis = tuple(sorted(set(groups_of.get(t, ()))))
        types = tuple(
            sorted(
                {
                    _TYPE_INDEX[TYPE_OF_GROUP[GROUP_NAMES[g]]]
                    for g in gis
                    if GROUP_NAMES[g] in TYPE_OF_GROUP
                }
            )
        )
        info: _TermInfo = (
            len(t),
            gis,
            flags_of.get(t, 0),
            _longest_suffix(t, org_suffixes),
            _longest_suffix(t, app_suffixes),
            types,
        )
        for variant in _case_variants(t):
            if variant in index:  # the same spelling of two terms: the later one counts
                infos[index[variant]] = info
                continue
            index[variant] = len(names)
            names.append(variant)
            infos.append(info)
    return names, infos


_NAMES, _INFOS = _build()

_FIND: Final = make_finder(_NAMES)
#: Terms that only count for their groups (no flag, suffix or type): the common case.
_PLAIN: Final = tuple(not (i[2] or i[3] or i[4] or i[5]) for i in _INFOS)
_GROUPS_OF: Final = tuple(i[1] for i in _INFOS)


@dataclass(slots=True)
class Scan:
    """What one pass found."""

    x: list[float]
    matches: list[tuple[int, int, int]]  # (term index, start, end) from the automaton
    pretext_terms: dict[int, list[str]] = field(default_factory=dict)
    extra_terms: dict[int, list[str]] = field(default_factory=dict)
    org_suffix_hits: list[tuple[int, int, str]] = field(default_factory=list)
    app_suffix_hits: list[tuple[int, int, str]] = field(default_factory=list)
    region_hits: list[tuple[int, int]] = field(default_factory=list)
    ongoing: list[str] = field(default_factory=list)
    fleeing: list[str] = field(default_factory=list)

    def terms(self, features: list[int], limit: int = 3) -> dict[int, list[str]]:
        """The words behind each of ``features`` (for reasons), in one pass that stops once
        every list is full."""
        out: dict[int, list[str]] = {}
        wanted = set()
        pretext_terms = self.pretext_terms
        extra_terms = self.extra_terms
        for f in features:
            if f in pretext_terms:
                out[f] = pretext_terms[f][:limit]
            elif f in extra_terms:
                out[f] = extra_terms[f][:limit]
            else:
                out[f] = []
                wanted.add(f)
        if wanted:
            groups_of = _GROUPS_OF
            open_lists = len(wanted)
            for ti, _, _ in self.matches:
                for g in groups_of[ti]:
                    if g in wanted:
                        lst = out[g]
                        name = _NAMES[ti]
                        if len(lst) < limit and name not in lst:
                            lst.append(name)
                            if len(lst) == limit:
                                open_lists -= 1
                if not open_lists:
                    break
        return out


_LOG1P: Final = [math.log1p(i) for i in range(7)]


def scan(text: str) -> Scan:
    """Keyword pass over normalised ``text``; the feature vector gets its extra features later
    (:func:`finish_features`)."""
    matches = _FIND(text)
    res = Scan([0.0] * N_FEATURES, matches)
    if not matches:
        return res
    counts = [0] * len(GROUP_NAMES)
    type_hits: list[tuple[int, int, tuple[int, ...]]] = []
    fwd_cues: list[int] = []  # end positions, ascending
    bwd_cues: list[int] = []  # start positions, ascending
    infos = _INFOS
    plain = _PLAIN
    for ti, start, end in matches:
        info = infos[ti]
        for gi in info[1]:
            counts[gi] += 1
        if plain[ti]:
            continue
        _, _, flags, osuf, asuf, types = info
        if types:
            type_hits.append((start, end, types))
        if flags:
            if flags & _F_PRE_FWD:
                fwd_cues.append(end)
            if flags & _F_PRE_BWD:
                bwd_cues.append(start)
            if flags & _F_ONGOING:
                res.ongoing.append(_NAMES[ti])
            if flags & _F_FLEE:
                res.fleeing.append(_NAMES[ti])
            if flags & _F_REGION:
                res.region_hits.append((start, end))
        if osuf:
            res.org_suffix_hits.append((end - osuf, end, _NAMES[ti][-osuf:]))
        if asuf:
            res.app_suffix_hits.append((end - asuf, end, _NAMES[ti][-asuf:]))
    x = res.x
    log1p = _LOG1P
    for gi in compress(range(len(counts)), counts):
        c = counts[gi]
        x[gi] = log1p[c if c < 6 else 6]
    # Pretext rule: type terms inside a pretext clause count again, as the pretext. A clause is
    # up to PRETEXT_WINDOW characters after a forward cue's end or before a closing cue's start;
    # the cues are in text order, so the nearest one is found by bisection.
    if type_hits and (fwd_cues or bwd_cues):
        pre = [0] * len(FRAUD_CODES)
        n_bwd = len(bwd_cues)
        for start, end, types in type_hits:
            i = bisect_right(fwd_cues, start)
            if not (i and start - fwd_cues[i - 1] <= PRETEXT_WINDOW):
                j = bisect_left(bwd_cues, end)
                if not (j < n_bwd and bwd_cues[j] - end <= PRETEXT_WINDOW):
                    continue
            for tix in types:
                pre[tix] += 1
                lst = res.pretext_terms.setdefault(_PRETEXT_OFFSET + tix, [])
                term = text[start:end]
                if len(lst) < 4 and term not in lst:
                    lst.append(term)
        for tix, c in enumerate(pre):
            if c:
                x[_PRETEXT_OFFSET + tix] = log1p[c if c < 6 else 6]
    return res


_PRETEXT_GROUPS: Final = tuple(
    g for g in range(len(GROUP_NAMES)) if GROUP_NAMES[g] in TYPE_OF_GROUP
)


def finish_features(res: Scan, text: str, amount: float | None, victims: int | None) -> None:
    """Fill the derived features."""
    x = res.x
    o = _EXTRA_OFFSET
    # Every age match holds 岁, 旬, 古稀 or 耄耋: a plain substring test skips most texts.
    age = (
        _AGE_RE.search(text)
        if ("岁" in text or "旬" in text or "古稀" in text or "耄耋" in text)
        else None
    )
    if age:
        x[o] = 1.0
        res.extra_terms[o] = [age.group()]
    eld = x[o]
    for g in _ELD_GROUPS:
        v = x[g]
        if v:
            v = 1.0 if v > 1.0 else v
            if v > eld:
                eld = v
    fraud = 0.0
    for g in _FRAUD_GROUPS:
        v = x[g]
        if v:
            v = 1.0 if v > 1.0 else v
            if v > fraud:
                fraud = v
    pretext = 0.0
    for g in _PRETEXT_GROUPS:
        v = x[g]
        if v:
            v = 1.0 if v > 1.0 else v
            if v > pretext:
                pretext = v
    x[o + 1] = eld * fraud
    x[o + 2] = pretext * fraud
    if amount:
        x[o + 3] = min(1.0, math.log10(max(amount, 1.0)) / 7.0)
        x[o + 4] = 1.0 if amount >= 100_000 else 0.0
    if victims is not None and victims >= 3:
        x[o + 5] = min(1.0, math.log10(victims) / 2.0)
    if len(text) < 30:
        x[o + 6] = 1.0
