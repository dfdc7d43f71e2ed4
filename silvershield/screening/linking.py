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
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, islice, pairwise, repeat
from math import ceil
from operator import add, eq, ne
from typing import Final, TypeVar

from silvershield.screening import entities as ent
from silvershield.screening.entities import Entity, org_core_name, phone_e164
from silvershield.screening.linking_extract import find_link_entities
from silvershield.screening.normalize import coerce_text, fold, normalize

_K = TypeVar("_K", str, int)

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
    return phone_e164(digits) if digits else None


def _usable(core: str) -> bool:
    return not (len(core) < MIN_CORE or core in GENERIC_CORES or core.endswith("老"))


_DAMAGED: Final = re.compile("|".join((r"老\Z", *_TRADE_FRAGMENTS)))


def _damaged(core: str) -> bool:
    """Ends in 老 or holds a trade word: a name whose trade word has a typo (氧老, 养老服)."""
    return _DAMAGED.search(core) is not None


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
    return array("I", _sig_values(norm))


def _sig_values(norm: str) -> list[int]:
    t = _SKIP.sub("", norm)
    if len(t) < 3:
        return [SIG_EMPTY] * SIG_BINS
    b = t.encode("utf-32-le")
    crc = zlib.crc32
    hs = [crc(b[i : i + 12]) for i in range(0, len(b) - 8, 4)]
    hs.sort()  # duplicates do not change the first hash of a bin
    # The first hash of each bin: hs[at[j]] when bin j (at[j] <= i < at[j + 1]) is not empty.
    at = list(map(bisect_left, repeat(hs, SIG_BINS + 1), _BOUNDS))
    return [hs[a] if a < z else SIG_EMPTY for a, z in pairwise(at)]


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


def link_entities(text: str) -> list[Entity]:
    """The entities linking needs (phones, ID numbers, credit codes, bank cards, WeChat and QQ
    ids, institution names): a much cheaper extraction than
    :func:`silvershield.screening.screen` (see :mod:`~silvershield.screening.linking_extract`)."""
    out = []
    for kind, value, norm, start, end, valid in find_link_entities(normalize(coerce_text(text)[0])):
        if kind == "org":
            norm = org_core_name(value) or value
        out.append(Entity(kind, value, norm, start, end, valid))
    return out


def record_keys(rec: LinkRecord) -> tuple[list[str], bytes]:
    """Identifier keys and the packed text signature (b"" when the text is too short)."""
    strong, weak, sig = _record_keys(rec.text, rec.entities)
    return sorted({*strong, *weak}), array("I", sig).tobytes() if sig else b""


def _record_keys(
    text: str, entities: tuple[Entity, ...] | None
) -> tuple[list[str], list[str], list[int] | None]:
    """Strong keys, weak keys (institution names, phones) and the signature values (None when
    the text is too short)."""
    norm = normalize(text)
    found: Iterable[tuple[str, str, str]]
    if entities is None:
        raw = coerce_text(text)[0]
        found = [f[:3] for f in find_link_entities(norm if raw is text else normalize(raw))]
    else:
        found = [(e.kind, e.value, e.normalized) for e in entities]
    strong: list[str] = []
    weak: list[str] = []
    for kind, value, normalized in found:
        if kind == "phone":
            weak.append("phone:" + normalized)
        elif kind == "org":
            core = normalize_name(value)
            if core:
                weak.append("org:" + core)
        elif kind in STRONG_KINDS:
            strong.append(kind + ":" + normalized.upper())
    sig = _sig_values(norm) if len(text) >= MIN_SIG_CHARS else None
    return strong, weak, sig


#: What a worker sends back for a chunk of records, as flat lists with the offset of the record
#: in the chunk each item belongs to: strong keys, weak keys (each key once per record), the LSH
#: band keys (ints: hashes of int tuples are the same in every process) and the signatures of
#: all records, packed (zeros for a text too short to have one).
_ChunkKeys = tuple[list[str], list[int], list[str], list[int], list[int], list[int], bytes]
_NO_SIG: Final = bytes(4 * SIG_BINS)
_LOW_BYTE: Final = 0 if sys.byteorder == "little" else 3  # of a packed unsigned 32-bit value
_BYTE_BITS: Final = int.from_bytes(b"\x01" * SIG_BINS, "little")
_BAND_STARTS: Final = tuple(range(0, SIG_BINS, SIG_ROWS))
_BAND_NUMBERS: Final = tuple(range(len(_BAND_STARTS)))


def _keys_chunk(chunk: list[tuple[str, tuple[Entity, ...] | None]]) -> _ChunkKeys:
    strong: list[str] = []
    strong_at: list[int] = []
    weak: list[str] = []
    weak_at: list[int] = []
    bands: list[int] = []
    bands_at: list[int] = []
    sigs = array("I")
    no_sig = _NO_SIG
    for at, (text, ents) in enumerate(chunk):
        s, w, sig = _record_keys(text, ents)
        if s:
            s = list(dict.fromkeys(s))
            strong += s
            strong_at += [at] * len(s)
        if w:
            w = list(dict.fromkeys(w))
            weak += w
            weak_at += [at] * len(w)
        if sig is None:
            sigs.frombytes(no_sig)
            continue
        sigs.extend(sig)
        if SIG_EMPTY not in sig:
            # hash((band, *values of the band)) for every band at once.
            rows = (sig[r::SIG_ROWS] for r in range(SIG_ROWS))
            bands += map(hash, zip(_BAND_NUMBERS, *rows, strict=True))
            bands_at += [at] * len(_BAND_NUMBERS)
            continue
        for band, k in enumerate(_BAND_STARTS):
            part = sig[k : k + SIG_ROWS]
            if SIG_EMPTY not in part:
                bands.append(hash((band, *part)))
                bands_at.append(at)
    return strong, strong_at, weak, weak_at, bands, bands_at, sigs.tobytes()


def _iter_chunks(
    records: Iterable[LinkRecord], workers: int, chunk_size: int
) -> Iterator[tuple[list[Hashable], _ChunkKeys]]:
    it = iter(records)
    if workers <= 1:
        while chunk := list(islice(it, chunk_size)):
            yield [r.id for r in chunk], _keys_chunk([(r.text, r.entities) for r in chunk])
        return
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ctx.Pool(workers) as pool:
        # Only texts (and given entities) go to the workers; ids stay here.
        pending: deque[tuple[list[Hashable], multiprocessing.pool.AsyncResult[_ChunkKeys]]] = (
            deque()
        )
        while True:
            while len(pending) < workers * 3:
                chunk = list(islice(it, chunk_size))
                if not chunk:
                    break
                work = [(r.text, r.entities) for r in chunk]
                pending.append(([r.id for r in chunk], pool.apply_async(_keys_chunk, (work,))))
            if not pending:
                break
            ids, res = pending.popleft()
            yield ids, res.get()


class _UnionFind:
    """Array-based union-find whose roots are the smallest index of their set."""

    def __init__(self) -> None:
        self.parent = array("l")

    def extend(self, n: int) -> None:
        start = len(self.parent)
        self.parent.extend(range(start, start + n))

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


def _seen_before(
    first: dict[_K, int], keys: list[_K], at: list[int], base: int
) -> tuple[list[int], list[int], Iterator[bool]]:
    """For keys found in records ``base + at``: the first record of each key (recording new
    keys), those records, and whether each key was seen before in another record."""
    recs = list(map(add, at, repeat(base)))
    firsts = list(map(first.setdefault, keys, recs))
    return firsts, recs, map(ne, firsts, recs)


def _repeats(
    first: dict[str, int], keys: list[str], at: list[int], base: int
) -> Iterator[tuple[int, int, str]]:
    """(first record, record, key) for every key seen before in another record."""
    firsts, recs, again = _seen_before(first, keys, at, base)
    return compress(zip(firsts, recs, keys, strict=True), again)


def _band_candidates(
    first: dict[int, int], bands: list[int], at: list[int], base: int
) -> Iterable[tuple[int, int]]:
    """(first record, record) for every band key seen before in another record, each once."""
    firsts, recs, again = _seen_before(first, bands, at, base)
    return dict.fromkeys(compress(zip(firsts, recs, strict=True), again))


def link(
    records: Iterable[LinkRecord], *, workers: int = 1, chunk_size: int = 2048
) -> list[Cluster]:
    """Cluster records; returns the clusters of two or more records, in order of their first
    record. Streams: only ids, keys and signatures are kept, not texts."""
    return _link_chunks(_iter_chunks(records, workers, chunk_size))


def _link_chunks(chunks: Iterable[tuple[list[Hashable], _ChunkKeys]]) -> list[Cluster]:
    uf = _UnionFind()
    ids: list[Hashable] = []
    first: dict[str, int] = {}
    weak_first: dict[str, int] = {}
    weak_count: Counter[str] = Counter()
    weak_pairs: list[tuple[int, int, str]] = []
    band_first: dict[int, int] = {}
    sigs = array("I")
    lows: list[int] = []  # per record, the low bytes of its signature values as one int
    why: dict[int, list[str]] = {}
    width = SIG_BINS
    # Signatures with more bins that differ than this are below NEAR_DUP_MIN (bins empty in
    # both count as equal here, which only lowers the bar).
    max_differ = SIG_BINS - ceil(NEAR_DUP_MIN * SIG_BINS - 1e-9)

    def join(a: int, b: int, key: str) -> None:
        r = uf.union(a, b)
        if r is None:
            return
        keep, gone = r
        lst = why.setdefault(keep, [])
        lst.extend(why.pop(gone, []))
        if len(lst) < 5 and key not in lst:
            lst.append(key)

    for chunk_ids, result in chunks:
        strong, strong_at, weak, weak_at, bands, bands_at, packed = result
        base = len(ids)
        ids += chunk_ids
        uf.extend(len(chunk_ids))
        sigs.frombytes(packed)
        for j, i, k in _repeats(first, strong, strong_at, base):
            join(j, i, k)
        weak_count.update(weak)
        weak_pairs += _repeats(weak_first, weak, weak_at, base)
        low = packed[_LOW_BYTE::4]
        lows += [int.from_bytes(low[k : k + width], "little") for k in range(0, len(low), width)]
        for j, i in _band_candidates(band_first, bands, bands_at, base):
            # Most candidates share a band by chance (the same template phrases). Bins whose
            # low bytes differ differ: counting the bytes that differ (XOR, then fold each byte
            # onto its lowest bit) rejects them without unpacking the signatures; the exact
            # test runs for the rest.
            x = lows[j] ^ lows[i]
            x |= x >> 4
            x |= x >> 2
            x |= x >> 1
            if (x & _BYTE_BITS).bit_count() > max_differ:
                continue
            a = sigs[j * width : (j + 1) * width]
            b = sigs[i * width : (i + 1) * width]
            if signature_similarity(a, b) >= NEAR_DUP_MIN:
                join(j, i, "text:near-duplicate")
    for j, i, k in weak_pairs:
        if weak_count[k] <= MAX_WEAK_KEY_RECORDS:
            join(j, i, k)
    parent = uf.parent
    groups: dict[int, list[int]] = {}
    for i in compress(range(len(parent)), map(ne, parent, range(len(parent)))):
        root = uf.find(i)
        members = groups.get(root)
        if members is None:
            groups[root] = [root, i]
        else:
            members.append(i)
    return [
        Cluster(tuple(ids[m] for m in members), tuple(why.get(root, [])))
        for root, members in sorted(groups.items())
    ]


def _similarity(a: array[int], b: array[int]) -> bool:
    """Whether two signatures are similar enough to link."""
    return signature_similarity(a, b) >= NEAR_DUP_MIN
