"""Regression snapshot of screening results.

    python -m silvershield.screening.tests.snapshot      # (re)write tests/data/snapshot.jsonl

The snapshot holds the full result (decision, scores, entities, reasons) of every text of the
development set and of a fixed sample of synthetic hotline records (``bench/screening.py``
style, texts stored in the file). It was produced before the speed work of issue 5, so
``test_snapshot`` proves that the optimised pipeline gives the same results. Regenerate it only
for an intended change of results, and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from silvershield.screening import Screening, screen
from silvershield.screening.devset import load

SNAPSHOT_PATH: Final = Path(__file__).parent / "data" / "snapshot.jsonl"


def result_row(s: Screening) -> dict[str, object]:
    return {
        "relevance": s.relevance,
        "is_relevant": s.is_relevant,
        "fraud_type": s.fraud_type,
        "type_confidence": s.type_confidence,
        "priority": s.priority,
        "victims": s.victims,
        "amount": None if s.amount is None else str(s.amount),
        "truncated": s.truncated,
        "entities": [[e.kind, e.value, e.normalized, e.start, e.end, e.valid] for e in s.entities],
        "reasons": list(s.reasons),
    }


def read_snapshot() -> list[dict[str, object]]:
    with SNAPSHOT_PATH.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    import importlib.util

    bench = Path(__file__).resolve().parents[3] / "bench" / "screening.py"
    spec = importlib.util.spec_from_file_location("bench_screening", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make_records = module.make_records

    texts = [("dev", r["text"]) for r in load()]
    texts += [("bench", t) for t in make_records(600, seed=2024)]
    with SNAPSHOT_PATH.open("w", encoding="utf-8") as fh:
        for source, text in texts:
            row = {"source": source, "text": text, **result_row(screen(text))}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
