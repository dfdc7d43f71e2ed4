"""screen(): normalise → keyword features → entities → relevance → type → priority."""

from __future__ import annotations

import multiprocessing
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from operator import attrgetter
from typing import Final

from silvershield.screening import entities as ent
from silvershield.screening.entities import Entity
from silvershield.screening.features import (
    FEATURE_LABELS,
    FEATURE_NAMES,
    FRAUD_CODES,
    FRAUD_TYPES,
    Scan,
    finish_features,
    scan,
)
from silvershield.screening.model import (
    WEIGHTS,
    Weights,
    nonzero,
    relevance_sparse,
    type_contributions_sparse,
    type_scores_sparse,
)
from silvershield.screening.normalize import coerce_text, is_mostly_garbage, normalize

MODEL_VERSION: Final = "kw-logit-1"
_ENTITY_ORDER: Final = attrgetter("start", "end", "kind")


@dataclass(frozen=True, slots=True)
class Screening:
    """The result of screening one text."""

    relevance: float
    is_relevant: bool
    fraud_type: str
    type_confidence: float
    entities: tuple[Entity, ...]
    reasons: tuple[str, ...]
    priority: int
    victims: int | None = None
    amount: Decimal | None = None
    truncated: bool = False

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled as one constructor call (see Entity.__reduce__): worker results ship faster.
        return _screening, tuple(getattr(self, f) for f in _SCREENING_FIELDS)

    @property
    def fraud_type_label(self) -> str:
        return FRAUD_TYPES[self.fraud_type]

    def entities_of(self, kind: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == kind)


_SCREENING_FIELDS: Final = tuple(Screening.__dataclass_fields__)
_SCREENING_SETTERS: Final = tuple(Screening.__dict__[f].__set__ for f in _SCREENING_FIELDS)


def _screening(*values: object) -> Screening:
    s: Screening = object.__new__(Screening)
    for setter, value in zip(_SCREENING_SETTERS, values, strict=True):
        setter(s, value)
    return s


def _inside(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def _extract(text: str, sc: Scan) -> tuple[list[Entity], list[Entity], list[Entity]]:
    """Entities of a normalised text, sorted; and the money and victim entities among them
    (in text order), which :func:`screen` needs for the amount and the victim count."""
    nums: list[Entity] = []  # phones, ID numbers, bank cards, USCCs
    ent._numbers(text, nums)
    ent._usccs(text, nums, [(e.start, e.end) for e in nums])
    money: list[Entity] = []
    ent._money(text, money)
    rest: list[Entity] = []
    ent._dates(text, rest)
    ent._web(text, rest)
    kept: list[Entity] = []  # organisations, apps and addresses are never dropped
    if sc.org_suffix_hits or sc.app_suffix_hits:
        ent.orgs_and_apps(text, sc.org_suffix_hits + sc.app_suffix_hits, kept)
    ent.addresses(text, sc.region_hits, kept)
    victims: list[Entity] = []
    ent.victims(text, victims)
    if nums:
        # Numbers inside an ID/card/phone are not money, dates, web ids or victim counts.
        strong = [(e.start, e.end) for e in nums]
        if money:
            money = [e for e in money if not _inside(e.start, strong)]
        if rest:
            rest = [e for e in rest if not _inside(e.start, strong)]
        if victims:
            victims = [e for e in victims if not _inside(e.start, strong)]
    # The order before the (stable) sort is the extractors' order, as it always was.
    out = nums + money + rest + kept + victims
    if len(out) > 1:
        out.sort(key=_ENTITY_ORDER)
    return out, money, victims


def extract(text: str, sc: Scan | None = None) -> tuple[list[Entity], Scan]:
    """Entities of a normalised text (and the keyword scan, reused by :func:`screen`)."""
    if sc is None:
        sc = scan(text)
    return _extract(text, sc)[0], sc


def _as_written(found: list[Entity], raw: str, norm: str) -> list[Entity]:
    """Entity values as written in the input (offsets are the same in both texts)."""
    if raw is norm or raw == norm:
        return found
    out = []
    for e in found:
        value = raw[e.start : e.end]
        out.append(e if value == e.value else replace(e, value=value))
    return out


def extract_entities(text: object) -> tuple[Entity, ...]:
    """Public helper: entities of any text (normalised first; values as written)."""
    raw, _ = coerce_text(text)
    norm = normalize(raw)
    return tuple(_as_written(extract(norm)[0], raw, norm))


def _amount(entities: list[Entity]) -> Decimal | None:
    """Total money mentioned as lost: the sum of distinct amounts, or the largest one when one
    amount is a total of the others (共计/合计)."""
    money = tuple(e.normalized for e in entities if e.kind == "money")
    return _amount_of(money) if money else None


@lru_cache(maxsize=4096)
def _amount_of(money: tuple[str, ...]) -> Decimal | None:
    """:func:`_amount` of the money entities' normalised values (amounts recur: cached)."""
    vals = [ent.decimal_of(m) for m in money]
    if not vals:
        return None
    biggest = max(vals)
    rest = sum(vals) - biggest
    if rest and abs(rest - biggest) <= biggest / 100:
        return biggest  # the largest amount is the total of the others (共计/合计)
    return sum(sorted(set(vals)), Decimal(0))


def _victims(entities: list[Entity]) -> int | None:
    vals = [int(e.normalized.rstrip("+")) for e in entities if e.kind == "victims"]
    return max(vals) if vals else None


_LABEL_OF: Final = tuple(FEATURE_LABELS[name] for name in FEATURE_NAMES)


def _labels(items: list[tuple[float, int]], words: dict[int, list[str]]) -> str:
    parts = []
    for _, i in items:
        label = _LABEL_OF[i]
        t = "、".join(words.get(i, ()))
        parts.append(f"{label}（{t}）" if t else label)
    return "；".join(parts)


def _priority(
    relevant: bool, victims: int | None, amount: Decimal | None, sc: Scan
) -> tuple[int, list[str]]:
    if not relevant:
        return 1, []
    score = 0
    why: list[str] = []
    if victims is not None and victims >= 30:
        score += 2
        why.append(f"受害人约{victims}人")
    elif victims is not None and victims >= 10:
        score += 1
        why.append(f"受害人约{victims}人")
    if amount is not None and amount >= 1_000_000:
        score += 2
        why.append(f"金额约{amount}元")
    elif amount is not None and amount >= 100_000:
        score += 1
        why.append(f"金额约{amount}元")
    if sc.fleeing:
        score += 2
        why.append(f"有卷款跑路迹象（{sc.fleeing[0]}）")
    if sc.ongoing:
        score += 1
        why.append(f"仍在进行（{sc.ongoing[0]}）")
    level = 2 + (score >= 2) + (score >= 4)
    return level, why


def screen(
    text: object, meta: Mapping[str, object] | None = None, *, weights: Weights = WEIGHTS
) -> Screening:
    """Screen one tip text. Never raises on bad input (None, bytes, huge or garbage text).

    ``meta`` (e.g. ``{"channel": "12345", "region_code": "330100"}``) is accepted for callers;
    the decision uses the text only, so that a tip is judged by what it says."""
    raw, notes = coerce_text(text)
    truncated = any("过长" in n for n in notes)
    norm = normalize(raw)
    if not norm.strip() or is_mostly_garbage(norm):
        entities = tuple(extract(norm)[0]) if norm.strip() else ()
        empty_reasons = (*notes, "文本为空或无可识别内容")
        return Screening(0.0, False, "none", 1.0, entities, empty_reasons, 1, None, None, truncated)
    sc = scan(norm)
    found, money, victim_entities = _extract(norm, sc)
    found = _as_written(found, raw, norm)
    amount = _amount(money)
    victims = _victims(victim_entities)
    finish_features(sc, norm, float(amount) if amount is not None else None, victims)
    nz = nonzero(sc.x)
    prob, contrib = relevance_sparse(nz, weights)
    is_rel = prob >= weights.threshold
    reasons: list[str] = list(notes)
    pos = [c for c in contrib if c[0] > 0.15][:3]
    neg = [c for c in contrib if c[0] < -0.15][:2]
    fraud_type = "none"
    conf = 1.0 - prob
    tc: list[tuple[float, int]] = []
    if is_rel:
        probs = type_scores_sparse(nz, weights)
        k = probs.index(max(probs))  # the first of equal best, as max() over (p, -j) gave
        fraud_type = FRAUD_CODES[k]
        conf = probs[k]
        tc = type_contributions_sparse(nz, k, weights)[:3]
    # The words behind every feature named in the reasons, found in one pass.
    words = sc.terms([i for _, i in pos] + [i for _, i in neg] + [i for _, i in tc])
    if is_rel:
        if pos:
            reasons.append("相关依据：" + _labels(pos, words))
        if neg:
            reasons.append("减分因素：" + _labels(neg, words))
        if tc:
            reasons.append(f"类型判断：{FRAUD_TYPES[fraud_type]}，依据：" + _labels(tc, words))
        else:
            reasons.append(f"类型判断：{FRAUD_TYPES[fraud_type]}（无明确名目特征）")
    else:
        if neg:
            reasons.append("不相关依据：" + _labels(neg, words))
        if pos:
            reasons.append("相关迹象不足：" + _labels(pos, words))
        if not pos and not neg:
            reasons.append("未发现养老诈骗相关特征")
    reasons.insert(len(notes), f"相关度{prob:.2f}（阈值{weights.threshold:.2f}）")
    priority, why = _priority(is_rel, victims, amount, sc)
    if why:
        reasons.append(f"优先级{priority}：" + "，".join(why))
    return _screening(
        round(prob, 6),
        is_rel,
        fraud_type,
        round(conf, 6),
        tuple(found),
        tuple(reasons),
        priority,
        victims,
        amount,
        truncated,
    )


def feature_vector(text: object) -> list[float]:
    """The model's input for a text (used by the trainer)."""
    raw, _ = coerce_text(text)
    norm = normalize(raw)
    found, sc = extract(norm)
    amount = _amount(found)
    finish_features(sc, norm, float(amount) if amount is not None else None, _victims(found))
    return sc.x


# A result as plain values: the C pickler ships these without a Python call per object, which
# halves the cost of sending results from the workers (``Screening.__reduce__`` and
# ``Entity.__reduce__`` are Python methods run for every object).
_Row = tuple[
    float,
    bool,
    str,
    float,
    tuple[tuple[str, str, str, int, int, bool], ...],
    tuple[str, ...],
    int,
    int | None,
    Decimal | None,
    bool,
]


def _screen_chunk(chunk: list[object]) -> bytes:
    rows: list[_Row] = []
    add = rows.append
    for t in chunk:
        s = screen(t)
        add(
            (
                s.relevance,
                s.is_relevant,
                s.fraud_type,
                s.type_confidence,
                tuple(
                    [(e.kind, e.value, e.normalized, e.start, e.end, e.valid) for e in s.entities]
                ),
                s.reasons,
                s.priority,
                s.victims,
                s.amount,
                s.truncated,
            )
        )
    return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def _from_rows(blob: bytes) -> Iterator[Screening]:
    new_entity = ent._entity
    for r, i, f, c, ents, reasons, p, v, a, tr in pickle.loads(blob):  # noqa: S301 - our workers
        yield _screening(r, i, f, c, tuple([new_entity(*e) for e in ents]), reasons, p, v, a, tr)


def screen_many(
    texts: Iterable[object], workers: int = 1, chunk_size: int = 512
) -> Iterator[Screening]:
    """Screen texts in order, streaming: at most ``workers * 4`` chunks are held at once.
    ``workers > 1`` uses worker processes."""
    it = iter(texts)
    if workers <= 1:
        for t in it:
            yield screen(t)
        return
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ctx.Pool(workers) as pool:
        pending: deque[multiprocessing.pool.AsyncResult[bytes]] = deque()
        while True:
            while len(pending) < workers * 4:
                chunk = list(islice(it, chunk_size))
                if not chunk:
                    break
                pending.append(pool.apply_async(_screen_chunk, (chunk,)))
            if not pending:
                break
            yield from _from_rows(pending.popleft().get())
