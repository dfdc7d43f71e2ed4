"""The decision: a logistic model for relevance and a softmax model for the fraud type, both over
the keyword features, with weights fitted offline (``python -m silvershield.screening.train``)
and shipped in ``data/model.json``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from itertools import compress
from operator import itemgetter
from typing import Final

from silvershield.screening.features import (
    FEATURE_NAMES,
    FRAUD_CODES,
    GROUP_NAMES,
    N_FEATURES,
    TYPE_OF_GROUP,
)


@dataclass(frozen=True, slots=True)
class Weights:
    rel_w: tuple[float, ...]
    rel_b: float
    type_w: tuple[tuple[float, ...], ...]  # one row per fraud code
    type_b: tuple[float, ...]
    threshold: float
    meta: dict[str, object]


def prior_weights() -> Weights:
    """Hand-set starting point (and the prior the trainer shrinks towards)."""
    rel = [0.0] * N_FEATURES
    idx = {n: i for i, n in enumerate(FEATURE_NAMES)}
    for name, w in {
        "eld_person": 0.8,
        "eld_retired": 0.6,
        "eld_family": 0.5,
        "eld_pension": 0.6,
        "fraud_explicit": 1.0,
        "fraud_legal": 0.8,
        "fraud_flight": 0.8,
        "fraud_lure": 0.6,
        "fraud_deceit": 0.6,
        "fraud_pay": 0.3,
        "neg_service": -0.8,
        "neg_nuisance": -1.0,
        "neg_admin": -0.8,
        "neg_negation": -1.2,
        "neg_young": -1.0,
        "neg_scheme": -1.0,
        "eld_x_fraud": 1.5,
        "pretext_x_fraud": 1.0,
        "age60": 0.6,
        "money": 0.3,
        "victims_many": 0.3,
    }.items():
        rel[idx[name]] = w
    type_w: list[list[float]] = []
    for code in FRAUD_CODES:
        row = [0.0] * N_FEATURES
        for gi, g in enumerate(GROUP_NAMES):
            if TYPE_OF_GROUP.get(g) == code:
                row[gi] = 1.0
        row[idx[f"pretext:{code}"]] = 1.0
        type_w.append(row)
    return Weights(
        tuple(rel), -2.0, tuple(tuple(r) for r in type_w), (0.0,) * len(FRAUD_CODES), 0.5, {}
    )


def load_weights() -> Weights:
    path = resources.files("silvershield.screening").joinpath("data/model.json")
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return prior_weights()
    names: list[str] = raw["features"]
    pos = {n: i for i, n in enumerate(names)}

    def vec(values: list[float]) -> tuple[float, ...]:
        # Features added since training get weight 0; removed ones are ignored.
        return tuple(values[pos[n]] if n in pos else 0.0 for n in FEATURE_NAMES)

    rows = {c: vec(raw["type_w"][c]) for c in raw["type_w"]}
    return Weights(
        vec(raw["rel_w"]),
        float(raw["rel_b"]),
        tuple(rows.get(c, (0.0,) * N_FEATURES) for c in FRAUD_CODES),
        tuple(float(raw["type_b"].get(c, 0.0)) for c in FRAUD_CODES),
        float(raw["threshold"]),
        dict(raw.get("meta", {})),
    )


WEIGHTS: Final = load_weights()


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def relevance(x: list[float], w: Weights = WEIGHTS) -> tuple[float, list[tuple[float, int]]]:
    """Probability and the per-feature contributions (contribution, feature index), largest
    magnitude first."""
    z = w.rel_b
    contrib: list[tuple[float, int]] = []
    for i, v in enumerate(x):
        if v:
            c = w.rel_w[i] * v
            z += c
            if c:
                contrib.append((c, i))
    contrib.sort(key=lambda t: -abs(t[0]))
    return sigmoid(z), contrib


def type_scores(x: list[float], w: Weights = WEIGHTS) -> list[float]:
    """Softmax probabilities over FRAUD_CODES (without ``none``)."""
    nz = [(i, v) for i, v in enumerate(x) if v]
    zs = []
    for k in range(len(FRAUD_CODES)):
        row = w.type_w[k]
        z = w.type_b[k]
        for i, v in nz:
            z += row[i] * v
        zs.append(z)
    m = max(zs)
    es = [math.exp(z - m) for z in zs]
    s = sum(es)
    return [e / s for e in es]


def type_contributions(x: list[float], k: int, w: Weights = WEIGHTS) -> list[tuple[float, int]]:
    """Contributions to type ``k`` relative to the mean of the other types."""
    out: list[tuple[float, int]] = []
    n = len(FRAUD_CODES)
    own_row = w.type_w[k]
    col_sum = _col_sum(w)
    for i, v in enumerate(x):
        if v:
            own = own_row[i]
            others = (col_sum[i] - own) / (n - 1)
            c = (own - others) * v
            if c > 0:
                out.append((c, i))
    out.sort(key=lambda t: -t[0])
    return out


_COL_SUMS: dict[int, tuple[Weights, list[float]]] = {}


def _col_sum(w: Weights) -> list[float]:
    # Keyed by id, holding the weights so that the id cannot be reused by another object.
    hit = _COL_SUMS.get(id(w))
    if hit is None or hit[0] is not w:
        hit = (w, [sum(row[i] for row in w.type_w) for i in range(N_FEATURES)])
        _COL_SUMS[id(w)] = hit
    return hit[1]


# --- sparse evaluation (screen()) ------------------------------------------------------------
# A text has about a dozen non-zero features out of 40-odd: screen() finds them once and
# evaluates the models over those only. The additions happen in the same order as in the
# functions above (feature index order), so the results are the same to the last bit.


@dataclass(frozen=True, slots=True)
class _Compiled:
    weights: Weights
    type_rows: tuple[tuple[tuple[float, ...], float], ...]  # (row, bias) per fraud code
    type_diff: tuple[tuple[float, ...], ...]  # own weight minus the mean of the other types
    type_cols: tuple[tuple[float, ...], ...]  # per feature, its weight in each type


_COMPILED: dict[int, _Compiled] = {}


def _compiled(w: Weights) -> _Compiled:
    c = _COMPILED.get(id(w))
    if c is None or c.weights is not w:
        n = len(FRAUD_CODES)
        col_sum = _col_sum(w)
        diff = tuple(
            tuple(row[i] - (col_sum[i] - row[i]) / (n - 1) for i in range(N_FEATURES))
            for row in w.type_w
        )
        cols = tuple(tuple(row[i] for row in w.type_w) for i in range(N_FEATURES))
        c = _Compiled(w, tuple(zip(w.type_w, w.type_b, strict=True)), diff, cols)
        _COMPILED[id(w)] = c
    return c


def nonzero(x: list[float]) -> list[tuple[int, float]]:
    """(index, value) of the non-zero features of ``x``, in index order."""
    return [(i, x[i]) for i in compress(range(len(x)), x)]


def _neg_abs_first(t: tuple[float, int]) -> float:
    return -abs(t[0])


def relevance_sparse(
    nz: list[tuple[int, float]], w: Weights = WEIGHTS
) -> tuple[float, list[tuple[float, int]]]:
    """:func:`relevance` over the non-zero features ``nz`` only (same result)."""
    z = w.rel_b
    rel_w = w.rel_w
    contrib: list[tuple[float, int]] = []
    for i, v in nz:
        c = rel_w[i] * v
        z += c
        if c:
            contrib.append((c, i))
    contrib.sort(key=_neg_abs_first)
    return sigmoid(z), contrib


def type_scores_sparse(nz: list[tuple[int, float]], w: Weights = WEIGHTS) -> list[float]:
    """:func:`type_scores` over the non-zero features ``nz`` only (same result)."""
    comp = _compiled(w)
    if len(comp.type_rows) == 7:
        # One pass over the features with the seven sums unrolled; each sum still adds its
        # terms in feature order.
        z0, z1, z2, z3, z4, z5, z6 = w.type_b
        cols = comp.type_cols
        for i, v in nz:
            c = cols[i]
            z0 += c[0] * v
            z1 += c[1] * v
            z2 += c[2] * v
            z3 += c[3] * v
            z4 += c[4] * v
            z5 += c[5] * v
            z6 += c[6] * v
        zs = [z0, z1, z2, z3, z4, z5, z6]
    else:  # pragma: no cover - there are seven fraud codes
        zs = []
        for row, z in comp.type_rows:
            for i, v in nz:
                z += row[i] * v
            zs.append(z)
    m = max(zs)
    es = [math.exp(z - m) for z in zs]
    s = sum(es)
    return [e / s for e in es]


def type_contributions_sparse(
    nz: list[tuple[int, float]], k: int, w: Weights = WEIGHTS
) -> list[tuple[float, int]]:
    """:func:`type_contributions` over the non-zero features ``nz`` only (same result)."""
    diff = _compiled(w).type_diff[k]
    out: list[tuple[float, int]] = []
    for i, v in nz:
        c = diff[i] * v
        if c > 0:
            out.append((c, i))
    out.sort(key=_FIRST, reverse=True)  # stable: ties keep index order
    return out


_FIRST: Final = itemgetter(0)
