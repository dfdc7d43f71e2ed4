"""The whole development set (and a sample of synthetic hotline records) screens exactly as in
the snapshot taken before the speed work (see ``snapshot.py``)."""

from __future__ import annotations

from silvershield.screening import screen, screen_many
from silvershield.screening.tests.snapshot import read_snapshot, result_row


def test_results_match_snapshot() -> None:
    rows = read_snapshot()
    assert len(rows) > 1000
    diffs = []
    for row in rows:
        got = result_row(screen(row["text"]))
        want = {k: v for k, v in row.items() if k not in ("source", "text")}
        if got != want:
            diffs.append((row["text"], {k: (want[k], got[k]) for k in want if want[k] != got[k]}))
    assert not diffs, f"{len(diffs)} texts differ, first: {diffs[:3]}"


def test_screen_many_two_workers_matches_snapshot() -> None:
    rows = read_snapshot()[:1500]
    got = [result_row(s) for s in screen_many((r["text"] for r in rows), workers=2, chunk_size=64)]
    want = [{k: v for k, v in r.items() if k not in ("source", "text")} for r in rows]
    assert got == want
