"""Screening quality on the development set's frozen held-out split.

    python bench/screening_quality.py [--split heldout|train|all] [--errors]

Prints precision/recall/F1 per class, relevance P/R/F1 and type accuracy (8 classes incl. none),
for all held-out texts and for the hand-written ones alone (template texts share phrasing with
the training split, so the hand-written figure is the more honest one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from silvershield.screening import FRAUD_TYPES, screen
from silvershield.screening.devset import load


def report(rows: list[dict[str, str]], title: str, show_errors: bool) -> None:
    preds = [screen(r["text"]) for r in rows]
    print(f"\n== {title}: {len(rows)} texts ==")
    print(f"{'class':18} {'n':>4} {'prec':>6} {'rec':>6} {'f1':>6}")
    for code in FRAUD_TYPES:
        tp = sum(
            1
            for r, p in zip(rows, preds, strict=True)
            if p.fraud_type == code and r["label"] == code
        )
        fp = sum(
            1
            for r, p in zip(rows, preds, strict=True)
            if p.fraud_type == code and r["label"] != code
        )
        fn = sum(
            1
            for r, p in zip(rows, preds, strict=True)
            if p.fraud_type != code and r["label"] == code
        )
        n = sum(1 for r in rows if r["label"] == code)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{code:18} {n:4d} {prec:6.3f} {rec:6.3f} {f1:6.3f}")
    tp = sum(1 for r, p in zip(rows, preds, strict=True) if p.is_relevant and r["label"] != "none")
    fp = sum(1 for r, p in zip(rows, preds, strict=True) if p.is_relevant and r["label"] == "none")
    fn = sum(
        1 for r, p in zip(rows, preds, strict=True) if not p.is_relevant and r["label"] != "none"
    )
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = sum(1 for r, p in zip(rows, preds, strict=True) if p.fraud_type == r["label"]) / max(
        len(rows), 1
    )
    rel_rows = [
        (r, p) for r, p in zip(rows, preds, strict=True) if r["label"] != "none" and p.is_relevant
    ]
    cond = sum(1 for r, p in rel_rows if p.fraud_type == r["label"]) / max(len(rel_rows), 1)
    print(f"relevance  P {prec:.3f}  R {rec:.3f}  F1 {f1:.3f}")
    print(f"type accuracy (8 classes incl. none) {acc:.3f}; among correctly relevant {cond:.3f}")
    if show_errors:
        for r, p in zip(rows, preds, strict=True):
            if p.fraud_type != r["label"]:
                print(f"  [{r['label']} -> {p.fraud_type} {p.relevance:.2f}] {r['text'][:90]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="heldout", choices=["heldout", "train", "all"])
    ap.add_argument("--errors", action="store_true", help="list misclassified texts")
    args = ap.parse_args()
    rows = load(None if args.split == "all" else args.split)
    report(rows, f"{args.split} split", args.errors)
    hand = [r for r in rows if r["source"] == "hand"]
    report(hand, f"{args.split} split, hand-written only", args.errors)


if __name__ == "__main__":
    main()
