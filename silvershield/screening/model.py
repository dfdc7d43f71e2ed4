"""The decision: a logistic model for relevance and a softmax model for the fraud type, both over
the keyword features, with weights fitted offline (``python -m silvershield.screening.train``)
and shipped in ``data/model.json``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
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


_COL_SUMS: dict[int, list[float]] = {}


def _col_sum(w: Weights) -> list[float]:
    key = id(w)
    cs = _COL_SUMS.get(key)
    if cs is None:
        cs = [sum(row[i] for row in w.type_w) for i in range(N_FEATURES)]
        _COL_SUMS[key] = cs
    return cs
