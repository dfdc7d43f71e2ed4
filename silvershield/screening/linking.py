"""Linking primitives (串并): normalised identifiers, a near-duplicate text signature and a
union-find clusterer.

Rules: records sharing a strong identifier (phone, ID number, bank account, USCC, WeChat, QQ)
link; records naming the same institution (same core name after stripping region prefixes and
legal-form/trade suffixes, and the core not a generic word) link; near-identical texts (one-
permutation MinHash over character 3-shingles, LSH bands, verified) link. Common words alone
(养老院, 老年公寓, 保健品) never link.
"""

from __future__ import annotations

import multiprocessing
import re
import zlib
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, pairwise, repeat
from operator import eq
from typing import Final

from silvershield.screening import entities as ent
from silvershield.screening.entities import Entity, org_core_name
from silvershield.screening.lexicon import ORG_SUFFIXES
from silvershield.screening.matcher import make_finder
from silvershield.screening.normalize import coerce_text, fold, normalize

SHORT_NAME_SUFFIXES: Final = ("养老", "康养", "养生")
STRONG_KINDS: Final = frozenset({"phone", "id_number", "uscc", "bank_card", "wechat", "qq"})

#: Core names too common to identify an institution on their own.
GENERIC_CORES: Final = frozenset(
    [
        "幸福",
        "阳光",
        "夕阳红",
        "夕阳",
        "康乐",
        "福寿",
        "长寿",
        "安康",
        "颐和",
        "和谐",
        "温馨",
        "快乐",
        "健康",
        "爱心",
        "老年",
        "社区",
        "金色",
        "晚霞",
        "红星",
        "东方",
        "中华",
        "中国",
        "国际",
        "华夏",
        "平安",
        "吉祥",
        "如意",
        "福星",
        "康宁",
        "康泰",
        "颐养",
        "老人",
        "老年人",
        "敬老",
        "养老",
        "保健",
        "保健品",
        "医疗",
        "科技",
        "生物",
        "服务",
        "管理",
        "投资",
        "咨询",
        "文化",
        "我们",
        "他们",
        "这家",
        "那家",
        "一家",
        "某某",
        "某",
        "该",
        "当地",
        "本地",
        "社区养老",
        "居家",
        "居家养老",
        "机构",
        "民营",
        "私人",
        "公办",
        "民办",
        "街道",
        "乡镇",
        "农村",
        "城市",
        "市区",
        "县城",
        "小区",
        "天天",
        "百姓",
        "人民",
        "大众",
        "以房",
        "异地",
        "候鸟式",
        "候鸟",
        "旅居",
        "互助",
        "抱团",
        "智慧",
        "医养",
        "康养",
        "养生",
        "健康养老",
        "机构养老",
        "社区居家",
    ]
)

MIN_CORE: Final = 3  # a core name of two characters (福寿, 康乐…) is too common to link on
#: A weak key (institution name, phone) found in more records than this is a common word or a
#: service number, not an identifier: it links nothing.
MAX_WEAK_KEY_RECORDS: Final = 200
_TRADE_FRAGMENTS: Final = (
    "服务",
    "管理",
    "养老",
    "健康",
    "投资",
    "科技",
    "生物",
    "产业",
    "咨询",
    "有限",
    "公司",
)


def _fuzzy_trades() -> dict[str, str]:
    """Trade words that a misspelt name may end with, by their spelling with one character
    replaced by "?" (养老 → ?老, 养?): the first in alphabetical order wins."""
    out: dict[str, str] = {}
    for w in sorted(t for t in ent._TRADE_SET if len(t) >= 2):
        for k in range(len(w)):
            out.setdefault(w[:k] + "?" + w[k + 1 :], w)
    return out


_FUZZY_TRADES: Final = _fuzzy_trades()
_FUZZY_LENGTHS: Final = sorted({len(w) for w in _FUZZY_TRADES.values()}, reverse=True)
_CUT_BRACKET: Final = re.compile(r"^[^（(]*[）)]")
#: Names scanned back from their suffix for linking stop at fewer characters than for
#: screening: 都 (成都) and 投 (投资) belong to names often enough.
_LINK_NOT_NAME: Final = ent.not_name_pattern(ent._NAME_STOP - {"都", "投"})
SIG_BINS: Final = 24
SIG_ROWS: Final = 4  # bins per LSH band
SIG_EMPTY: Final = 0xFFFFFFFF
NEAR_DUP_MIN: Final = 0.7  # estimated Jaccard needed to link two texts
MIN_SIG_CHARS: Final = 24
_BOUNDS: Final = [(j << 32) // SIG_BINS for j in range(SIG_BINS + 1)]
_SKIP: Final = re.compile(r"[\s,.，。、;；:：!！?？\"'“”‘’()（）【】\[\]《》<>\-—…·]+")


def normalize_phone(value: str) -> str | None:
    """E.164 form of a CN phone number written in any common way (+86, spaces, dashes,
    full-width digits); None if it is not a valid number."""
    digits = "".join(ch for ch in normalize(value) if ch.isdigit())
    return ent._phone(digits) if digits else None


def _usable(core: str) -> bool:
    return not (len(core) < MIN_CORE or core in GENERIC_CORES or core.endswith("老"))


def _damaged(core: str) -> bool:
    """Ends in 老 or holds a trade word: a name whose trade word has a typo (氧老, 养老服)."""
    return core.endswith("老") or any(w in core for w in _TRADE_FRAGMENTS)


def _strip_misspelt_trade(core: str, min_len: int) -> str:
    """``core`` without a trailing trade word of at least ``min_len`` characters written with
    one wrong character (瑞绿翠东氧老 → 瑞绿翠东), or "" when it has none. The longest such
    word is taken (the first in alphabetical order among equally long ones)."""
    for n in _FUZZY_LENGTHS:
        if n < min_len:
            break
        if len(core) <= n:
            continue
        tail = core[-n:]
        found = [
            w
            for k in range(n)
            if (w := _FUZZY_TRADES.get(tail[:k] + "?" + tail[k + 1 :])) is not None and w != tail
        ]
        if found:
            return org_core_name(core[:-n]) or "-"
    return ""


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Core name of an organisation for matching (see :func:`org_core_name`); "" if generic.

    A name cut after a bracket (）某某养老) loses the fragment. A trailing word one character
    away from a trade word is taken for a misspelt trade word and dropped (某某氧老院 → 某某):
    always for words of three or more characters, for two-character ones when the core looks
    damaged (ends in 老 or holds a trade word); a core still damaged is not linked."""
    s = _CUT_BRACKET.sub("", fold(normalize(name)).replace(" ", ""))
    core = org_core_name(s)
    damaged = _damaged(core)
    fixed = _strip_misspelt_trade(core, 2 if damaged else 3)
    if fixed:
        core = fixed
    if (not fixed and damaged) or _damaged(core):
        return ""
    return core if _usable(core) else ""


def text_signature(text: str) -> array[int]:
    """One-permutation MinHash of the text's character 3-shingles (punctuation and spaces
    removed): SIG_BINS unsigned 32-bit values. Deterministic across processes and runs."""
    return _signature(normalize(text))


def _signature(norm: str) -> array[int]:
    t = _SKIP.sub("", norm)
    if len(t) < 3:
        return array("I", [SIG_EMPTY] * SIG_BINS)
    b = t.encode("utf-32-le")
    crc = zlib.crc32
    hs = [crc(b[i : i + 12]) for i in range(0, len(b) - 8, 4)]
    hs.sort()  # duplicates do not change the first hash of a bin
    # The first hash of each bin: hs[at[j]] when bin j (at[j] <= i < at[j + 1]) is not empty.
    at = list(map(bisect_left, repeat(hs, SIG_BINS + 1), _BOUNDS))
    return array("I", [hs[a] if a < z else SIG_EMPTY for a, z in pairwise(at)])


def signature_similarity(a: array[int], b: array[int]) -> float:
    """Estimated Jaccard similarity of two signatures (empty bins on both sides are skipped)."""
    if len(a) != len(b):
        raise ValueError("signatures of different sizes")
    same = sum(map(eq, a, b))
    used = len(a)
    if SIG_EMPTY in a and SIG_EMPTY in b:
        both_empty = sum(1 for x, y in zip(a, b, strict=True) if x == y == SIG_EMPTY)
        same -= both_empty
        used -= both_empty
    return same / used if used else 0.0


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A record to link: its id, its text and (optionally) its entities; without entities they
    are extracted from the text."""

    id: Hashable
    text: str = ""
    entities: tuple[Entity, ...] | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    ids: tuple[Hashable, ...]
    keys: tuple[str, ...]  # some of the shared keys that joined it (e.g. "phone:+86138…")


# Short names (某某养老) count for linking, not for screening's entity list.
_SUFFIX_WORDS: Final = tuple(dict.fromkeys((*ORG_SUFFIXES, *SHORT_NAME_SUFFIXES)))
_FIND_SUFFIXES: Final = make_finder(_SUFFIX_WORDS)


def link_entities(text: str) -> list[Entity]:
    """The entities linking needs (numbers, accounts, organisation names): a cheaper extraction
    than :func:`silvershield.screening.screen` (no keyword features, money, dates, places)."""
    return _link_entities(normalize(coerce_text(text)[0]))


def _link_entities(norm: str) -> list[Entity]:
    out: list[Entity] = []
    ent._numbers(norm, out)
    ent._usccs(norm, out, [(e.start, e.end) for e in out])
    ent._web(norm, out)
    words = _SUFFIX_WORDS
    hits = [(a, b, words[w]) for w, a, b in _FIND_SUFFIXES(norm)]
    if hits:
        ent.orgs_and_apps(norm, hits, out, _LINK_NOT_NAME)
    return out


def record_keys(rec: LinkRecord) -> tuple[list[str], bytes]:
    """Identifier keys and the packed text signature (b"" when the text is too short)."""
    keys, sig, _ = _record_keys(rec.text, rec.entities)
    return list(keys), sig


#: What a worker sends back per record: identifier keys, the packed signature (b"" for a short
#: text) and the LSH band keys of the signature (ints: hashes of int tuples are the same in
#: every process).
_Keys = tuple[tuple[str, ...], bytes, tuple[int, ...]]


def _record_keys(text: str, entities: tuple[Entity, ...] | None) -> _Keys:
    raw = coerce_text(text)[0]
    norm = normalize(text)
    ents = entities
    if ents is None:
        ents = tuple(_link_entities(norm if raw is text else normalize(raw)))
    keys: list[str] = []
    for e in ents:
        if e.kind in STRONG_KINDS:
            if e.kind == "phone":
                keys.append("phone:" + e.normalized)
            else:
                keys.append(e.kind + ":" + e.normalized.upper())
        elif e.kind == "org":
            core = normalize_name(e.value)
            if core:
                keys.append("org:" + core)
    if len(text) < MIN_SIG_CHARS:
        return tuple(sorted(set(keys))), b"", ()
    sig = _signature(norm)
    bands = []
    for band in range(SIG_BINS // SIG_ROWS):
        part = tuple(sig[band * SIG_ROWS : (band + 1) * SIG_ROWS])
        if SIG_EMPTY not in part:
            bands.append(hash((band, *part)))
    return tuple(sorted(set(keys))), sig.tobytes(), tuple(bands)


def _keys_chunk(chunk: list[tuple[str, tuple[Entity, ...] | None]]) -> list[_Keys]:
    return [_record_keys(text, ents) for text, ents in chunk]


def _iter_keys(
    records: Iterable[LinkRecord], workers: int, chunk_size: int
) -> Iterator[tuple[Hashable, _Keys]]:
    it = iter(records)
    if workers <= 1:
        for r in it:
            yield r.id, _record_keys(r.text, r.entities)
        return
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ctx.Pool(workers) as pool:
        # Only texts (and given entities) go to the workers; ids stay here.
        pending: deque[tuple[list[Hashable], multiprocessing.pool.AsyncResult[list[_Keys]]]] = (
            deque()
        )
        while True:
            while len(pending) < workers * 4:
                chunk = list(islice(it, chunk_size))
                if not chunk:
                    break
                work = [(r.text, r.entities) for r in chunk]
                pending.append(([r.id for r in chunk], pool.apply_async(_keys_chunk, (work,))))
            if not pending:
                break
            ids, res = pending.popleft()
            yield from zip(ids, res.get(), strict=True)


class _UnionFind:
    def __init__(self) -> None:
        self.parent = array("l")

    def add(self) -> int:
        i = len(self.parent)
        self.parent.append(i)
        return i

    def find(self, i: int) -> int:
        p = self.parent
        root = i
        while p[root] != root:
            root = p[root]
        while p[i] != root:
            p[i], i = root, p[i]
        return root

    def union(self, a: int, b: int) -> tuple[int, int] | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return ra, rb


def link(
    records: Iterable[LinkRecord], *, workers: int = 1, chunk_size: int = 2048
) -> list[Cluster]:
    """Cluster records; returns the clusters of two or more records, in order of their first
    record. Streams: only ids, keys and signatures are kept, not texts."""
    uf = _UnionFind()
    ids: list[Hashable] = []
    first: dict[str | int, int] = {}
    weak: dict[str, list[int]] = {}
    sigs: dict[int, bytes] = {}
    why: dict[int, list[str]] = {}

    def join(a: int, b: int, key: str) -> None:
        r = uf.union(a, b)
        if r is None:
            return
        keep, gone = r
        lst = why.setdefault(keep, [])
        lst.extend(why.pop(gone, []))
        if len(lst) < 5 and key not in lst:
            lst.append(key)

    for rec_id, (keys, sig, bands) in _iter_keys(records, workers, chunk_size):
        i = uf.add()
        ids.append(rec_id)
        for k in keys:
            if k.startswith(("org:", "phone:")):
                members = weak.setdefault(k, [])
                if len(members) <= MAX_WEAK_KEY_RECORDS:
                    members.append(i)
                continue
            j = first.setdefault(k, i)
            if j != i:
                join(j, i, k)
        if bands:
            sig_i: array[int] | None = None
            is_rep = False
            for bkey in bands:
                j = first.setdefault(bkey, i)
                if j == i:
                    is_rep = True
                    continue
                if sig_i is None:
                    sig_i = array("I")
                    sig_i.frombytes(sig)
                other = array("I")
                other.frombytes(sigs[j])
                if signature_similarity(sig_i, other) >= NEAR_DUP_MIN:
                    join(j, i, "text:near-duplicate")
            if is_rep:
                sigs[i] = sig
    for k, members in weak.items():
        if 1 < len(members) <= MAX_WEAK_KEY_RECORDS:
            for m in members[1:]:
                join(members[0], m, k)
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        groups.setdefault(uf.find(i), []).append(i)
    out: list[Cluster] = []
    for root, members in groups.items():
        if len(members) > 1:
            out.append(Cluster(tuple(ids[m] for m in members), tuple(why.get(root, []))))
    return out
