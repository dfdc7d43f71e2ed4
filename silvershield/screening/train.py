"""Fit the model weights on the development set's training split and calibrate the threshold on
its held-out split; writes ``data/model.json``.

    python -m silvershield.screening.train

Relevance: L2-regularised logistic regression (full-batch gradient descent, shrinking towards the
hand-set prior weights of :func:`model.prior_weights`). Type: L2-regularised softmax regression
over the seven fraud codes, trained on the relevant training texts only. Deterministic.
Threshold: the value in [0.2, 0.8] (step 0.01) that maximises relevance F1 on the held-out split;
ties go to the value closest to 0.5, and the middle of the best plateau is taken.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from silvershield.screening.core import feature_vector
from silvershield.screening.devset import load
from silvershield.screening.features import FEATURE_NAMES, FRAUD_CODES, N_FEATURES
from silvershield.screening.model import prior_weights, sigmoid

MODEL_PATH = Path(__file__).parent / "data" / "model.json"


def fit_logistic(
    xs: list[list[float]],
    ys: list[int],
    prior: list[float],
    prior_b: float,
    l2: float = 0.02,
    steps: int = 3000,
    lr: float = 0.5,
) -> tuple[list[float], float]:
    w = list(prior)
    b = prior_b
    n = len(xs)
    pos = sum(ys)
    # Balance the classes.
    cw = {1: n / (2 * max(pos, 1)), 0: n / (2 * max(n - pos, 1))}
    sparse = [[(i, v) for i, v in enumerate(x) if v] for x in xs]
    for _ in range(steps):
        gw = [0.0] * N_FEATURES
        gb = 0.0
        for row, y in zip(sparse, ys, strict=True):
            z = b + sum(w[i] * v for i, v in row)
            err = (sigmoid(z) - y) * cw[y]
            gb += err
            for i, v in row:
                gw[i] += err * v
        for i in range(N_FEATURES):
            w[i] -= lr * (gw[i] / n + l2 * (w[i] - prior[i]))
        b -= lr * gb / n
    return w, b


def fit_softmax(
    xs: list[list[float]],
    ys: list[int],
    prior: list[list[float]],
    l2: float = 0.02,
    steps: int = 3000,
    lr: float = 0.5,
) -> tuple[list[list[float]], list[float]]:
    k = len(prior)
    w = [list(r) for r in prior]
    b = [0.0] * k
    n = len(xs)
    sparse = [[(i, v) for i, v in enumerate(x) if v] for x in xs]
    for _ in range(steps):
        gw = [[0.0] * N_FEATURES for _ in range(k)]
        gb = [0.0] * k
        for row, y in zip(sparse, ys, strict=True):
            zs = [b[c] + sum(w[c][i] * v for i, v in row) for c in range(k)]
            m = max(zs)
            es = [math.exp(z - m) for z in zs]
            s = sum(es)
            for c in range(k):
                err = es[c] / s - (1.0 if c == y else 0.0)
                gb[c] += err
                for i, v in row:
                    gw[c][i] += err * v
        for c in range(k):
            for i in range(N_FEATURES):
                w[c][i] -= lr * (gw[c][i] / n + l2 * (w[c][i] - prior[c][i]))
            b[c] -= lr * gb[c] / n
    return w, b


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    train = load("train")
    held = load("heldout")
    xs = [feature_vector(r["text"]) for r in train]
    ys = [0 if r["label"] == "none" else 1 for r in train]
    pr = prior_weights()
    rel_w, rel_b = fit_logistic(xs, ys, list(pr.rel_w), pr.rel_b)
    txs = [x for x, r in zip(xs, train, strict=True) if r["label"] != "none"]
    tys = [FRAUD_CODES.index(r["label"]) for r in train if r["label"] != "none"]
    type_w, type_b = fit_softmax(txs, tys, [list(r) for r in pr.type_w])
    # Threshold on the held-out split.
    hx = [feature_vector(r["text"]) for r in held]
    hy = [0 if r["label"] == "none" else 1 for r in held]
    probs = [sigmoid(rel_b + sum(w * v for w, v in zip(rel_w, x, strict=True))) for x in hx]
    scores: list[tuple[float, float]] = []
    for step in range(20, 81):
        t = step / 100
        tp = sum(1 for p, y in zip(probs, hy, strict=True) if p >= t and y)
        fp = sum(1 for p, y in zip(probs, hy, strict=True) if p >= t and not y)
        fn = sum(1 for p, y in zip(probs, hy, strict=True) if p < t and y)
        scores.append((t, f1(tp, fp, fn)))
    best = max(s for _, s in scores)
    plateau = [t for t, s in scores if s >= best - 1e-9]
    threshold = round(plateau[len(plateau) // 2], 2)
    data = {
        "features": list(FEATURE_NAMES),
        "rel_w": [round(v, 5) for v in rel_w],
        "rel_b": round(rel_b, 5),
        "type_w": {c: [round(v, 5) for v in type_w[k]] for k, c in enumerate(FRAUD_CODES)},
        "type_b": {c: round(type_b[k], 5) for k, c in enumerate(FRAUD_CODES)},
        "threshold": threshold,
        "meta": {
            "trained_on": f"devset train split ({len(train)} texts)",
            "threshold_from": f"held-out split ({len(held)} texts), best relevance F1 {best:.3f}",
        },
    }
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {threshold} (held-out relevance F1 {best:.3f})")


if __name__ == "__main__":
    main()
