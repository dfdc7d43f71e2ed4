"""Regression snapshot of screening results.

    python -m silvershield.screening.tests.snapshot      # (re)write tests/data/snapshot.jsonl
    python -m silvershield.screening.tests.snapshot --compare a09bb7f [--n 30000]

``--compare REV`` screens the development set, ``--n`` synthetic records (another seed than the
snapshot's) and some bad input with this checkout and with the screening package of git
revision REV (extracted with ``git archive`` into a temporary directory and run in a
subprocess), and lists every result that differs in any field.

The snapshot holds the full result (decision, scores, entities, reasons) of every text of the
development set and of a fixed sample of synthetic hotline records (``bench/screening.py``
style, texts stored in the file). It was produced before the speed work of issue 5, so
``test_snapshot`` proves that the optimised pipeline gives the same results. Regenerate it only
for an intended change of results, and say why in the commit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
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


def _bench_records(n: int, seed: int) -> list[str]:
    import importlib.util

    bench = Path(__file__).resolve().parents[3] / "bench" / "screening.py"
    spec = importlib.util.spec_from_file_location("bench_screening", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.make_records(n, seed=seed))


def write_snapshot() -> None:
    texts = [("dev", r["text"]) for r in load()]
    texts += [("bench", t) for t in _bench_records(600, 2024)]
    with SNAPSHOT_PATH.open("w", encoding="utf-8") as fh:
        for source, text in texts:
            row = {"source": source, "text": text, **result_row(screen(text))}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


#: Run in a subprocess with the other revision first on sys.path: texts as JSON on stdin,
#: result rows as JSON lines on stdout.
_DUMP: Final = """
import json, sys
sys.path.insert(0, sys.argv[1])
from silvershield.screening import screen
from silvershield.screening.tests.snapshot import result_row
for line in sys.stdin:
    print(json.dumps(result_row(screen(json.loads(line))), ensure_ascii=False))
"""

_BAD_INPUT: Final = (
    "",
    "   ",
    "\U0001f600" * 50,
    "x" * 30_000,
    "养老" * 15_000,
    "ＡＢＣ１３８１２３４５６７８ 微信號ｗｘ１２３４５６７",
    "我媽被騙了五萬元，電話13812345678\x00\u200b",
    "a\ud800b",
)


def compare(rev: str, n: int) -> int:
    """Screen the same texts with this checkout and with revision ``rev``; print the
    differences and return their number."""
    texts = [r["text"] for r in load()] + _bench_records(n, 99) + list(_BAD_INPUT)
    root = Path(__file__).resolve().parents[3]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", rev, "silvershield"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        payload = "".join(json.dumps(t) + "\n" for t in texts).encode()
        old = subprocess.run(
            [sys.executable, "-c", _DUMP, tmp],
            input=payload,
            check=True,
            capture_output=True,
            cwd=tmp,
        ).stdout.decode()
    old_rows = [json.loads(line) for line in old.splitlines()]
    # Through JSON like the old rows, so that both sides have the same types.
    new_rows = [json.loads(json.dumps(result_row(screen(t)), ensure_ascii=False)) for t in texts]
    assert len(old_rows) == len(new_rows) == len(texts)
    diffs = [(t, a, b) for t, a, b in zip(texts, old_rows, new_rows, strict=True) if a != b]
    print(f"{len(texts)} texts screened by {rev} and by this checkout: {len(diffs)} differ")
    for text, a, b in diffs[:10]:
        print(f"- {text[:80]!r}")
        for key in a:
            if a[key] != b[key]:
                print(f"    {key}: {a[key]!r} -> {b[key]!r}")
    return len(diffs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", metavar="REV", help="compare with git revision REV")
    ap.add_argument("--n", type=int, default=30_000, help="synthetic records for --compare")
    args = ap.parse_args()
    if args.compare:
        sys.exit(1 if compare(args.compare, args.n) else 0)
    write_snapshot()


if __name__ == "__main__":
    main()
