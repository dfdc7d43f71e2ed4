"""The city dashboard over millions of tips: the roll-up tiers against a naive GROUP BY.

    python bench/dashboard.py [--n 5000000] [--db silvershield_bench] [--days 365] [--reuse]

Creates (or reuses) a separate PostgreSQL database, loads 湖州市 with its counties and towns,
bulk-loads N synthetic tips with COPY (channels, fraud types, states and towns skewed the way
real exports are), rebuilds the roll-up (daily rows and coarser tiers), then, for a period of
whole months and for one with ragged edges, times in the same run
  - the dashboard itself: ``stats.dashboard.dashboard_build``, the function the dashboard view
    calls (every count and rate, by channel, by fraud type, the weekly series, the county tiles
    and the overdue list), and
  - the same figures by a naive GROUP BY over the raw tip rows (one query per grouping with a
    conditional count per measure; the transfer-based "now" sets counted on their raw rows),
checks that every figure is identical and prints both times (best and median of the timed runs,
after a warm-up run of the dashboard; the naive path once by default) and their ratio.
Transfers are not generated: the transfer-based measures are zero in both paths.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHANNELS = [
    ("phone", 30),
    ("12345", 25),
    ("110", 15),
    ("portal", 8),
    ("12337", 6),
    ("letter", 4),
    ("visit", 3),
    ("12315", 4),
    ("finance", 2),
    ("grid", 2),
    ("transfer", 1),
    ("sweep", 0),
]
TYPES = [
    ("elder_product", 30),
    ("elder_service", 20),
    ("elder_project", 14),
    ("pension_insurance", 8),
    ("house_pension", 3),
    ("elder_aid", 5),
    ("other_elder", 6),
    ("none", 9),
    ("", 5),
]
STATES = [
    ("closed", 55),
    ("verifying", 10),
    ("transferred", 6),
    ("screened", 5),
    ("received", 5),
    ("reported", 4),
    ("accepted", 5),
    ("merged", 10),
]


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def ensure_database(name: str, host: str) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{host}:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_tips(n: int, days: int, end: dt.date) -> None:
    from django.db import connection

    from silvershield.geo.constants import DEMO_CITY_CODE
    from silvershield.geo.models import Region
    from silvershield.orgs.models import Unit

    city = Region.objects.get(code=DEMO_CITY_CODE)
    towns = list(
        Region.objects.filter(path__startswith=city.path, level=4).values_list("id", flat=True)
    )
    counties = list(Region.objects.filter(parent=city).values_list("id", flat=True))
    places = towns * 4 + counties  # most tips resolve to a town
    office = Unit.objects.get(name="湖州市专项办（基准）")
    rng = random.Random(42)
    channels, cw = _weighted(CHANNELS)
    types, tw = _weighted(TYPES)
    states, sw = _weighted(STATES)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE intake_tip RESTART IDENTITY CASCADE")
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'intake_tip' AND is_nullable = 'NO' AND column_default IS NULL "
            "AND column_name <> 'id'"
        )
        required = dict(cur.fetchall())
    known = [
        "number",
        "channel",
        "received_at",
        "region_id",
        "owner_unit_id",
        "content",
        "fraud_type",
        "state",
        "is_relevant",
        "screened_at",
        "closed_at",
        "version",
        "created_at",
        "updated_at",
    ]
    filler = {
        c: (
            "f"
            if t == "boolean"
            else "0"
            if t in ("integer", "smallint", "bigint", "numeric")
            else "{}"
            if t in ("jsonb", "json")
            else ""
        )
        for c, t in required.items()
        if c not in known
    }
    columns = known + list(filler)
    start = dt.datetime.combine(end - dt.timedelta(days=days - 1), dt.time(0, 0), tzinfo=dt.UTC)
    span = days * 86400
    batch = 200_000
    written = 0
    raw = connection.connection  # psycopg connection
    assert raw is not None
    while written < n:
        size = min(batch, n - written)
        buf = io.StringIO()
        ch = rng.choices(channels, cw, k=size)
        ty = rng.choices(types, tw, k=size)
        st = rng.choices(states, sw, k=size)
        for i in range(size):
            received = start + dt.timedelta(seconds=rng.randrange(span))
            state, ftype = st[i], ty[i]
            if state == "received":
                ftype = ""
            relevant = "" if state == "received" else ("f" if ftype == "none" else "t")
            if ftype == "none":
                state = "closed"
            screened = "" if state == "received" else (received + dt.timedelta(hours=5)).isoformat()
            closed = (received + dt.timedelta(days=9)).isoformat() if state == "closed" else ""
            row = [
                f"B{written + i:09d}",
                ch[i],
                received.isoformat(),
                str(rng.choice(places)),
                str(office.pk),
                "基准测试线索",
                ftype,
                state,
                relevant or "\\N",
                screened or "\\N",
                closed or "\\N",
                "1",
                received.isoformat(),
                received.isoformat(),
                *filler.values(),
            ]
            buf.write("\t".join(row) + "\n")
        buf.seek(0)
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY intake_tip ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            while data := buf.read(1 << 20):
                copy.write(data)
        raw.commit()
        written += size
        print(f"  loaded {written} tips", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE intake_tip")


def naive_groups(sl: Any, by: str | None, cols: list[str]) -> dict[Any, dict[str, int]]:
    """Counts straight from the tip rows: one GROUP BY with a conditional count per measure (what
    the dashboard would do without the roll-up)."""
    from django.db.models import Count, Q

    from silvershield.intake.models import Tip
    from silvershield.stats import figures, rollup

    start, end = sl.period.bounds()
    qs = Tip.objects.filter(
        region__path__startswith=sl.prefix, received_at__gte=start, received_at__lt=end
    )
    aggregates: dict[str, Any] = {}
    for col, rs in rollup.measures().items():
        if col not in cols:
            continue
        cond = rs.condition()
        if col == "received" or not cond:
            aggregates[col] = Count("pk")
        else:
            qs = qs.alias(**{f"f_{col}": rollup._as_bool(cond)})
            aggregates[col] = Count("pk", filter=Q(**{f"f_{col}": True}))
    if by is None:
        row = qs.aggregate(**aggregates)
        return {None: {c: int(row[c] or 0) for c in aggregates}}
    key = figures._key(by, rollup.measures()["received"], sl)
    rows = qs.order_by().annotate(k=key).values("k").annotate(**aggregates)
    return {r["k"]: {c: int(r[c] or 0) for c in aggregates} for r in rows}


def shown(board: Any) -> dict[str, Any]:
    """Every figure a dashboard shows, by what it is."""
    return {
        "figures": {
            f.indicator.code: (f.numerator, f.denominator) for f in [*board.counts, *board.rates]
        },
        "by_channel": {b.label: b.count for b in board.by_channel},
        "by_type": {b.label: b.count for b in board.by_type},
        "weeks": [(w["label"], w["received"], w["closed"]) for w in board.weeks],
        "tiles": {t.region.code: (t.figure.numerator, t.figure.denominator) for t in board.tiles},
        "overdue_total": board.overdue_total,
    }


def naive_dashboard(sl: Any, tile_code: str = "close_rate") -> dict[str, Any]:
    """The same figures as :func:`shown`, from naive GROUP BYs over the tip rows."""
    from silvershield.core.choices import FraudType
    from silvershield.intake.models import Channel
    from silvershield.stats import dashboard, figures, rollup
    from silvershield.stats.registry import indicator
    from silvershield.stats.selectors import child_regions

    cols = list(rollup.measures())
    totals = naive_groups(sl, None, cols)[None]

    def count(rs: Any) -> int:
        return totals[rs.rollup] if rs.rollup else figures.records(rs, sl).count()

    out: dict[str, Any] = {"figures": {}}
    for code in (*dashboard.COUNT_CODES, *dashboard.RATE_CODES):
        ind = indicator(code)
        den = count(ind.denominator) if ind.denominator is not None else None
        out["figures"][code] = (count(ind.numerator), den)
    channels = dict(Channel.choices)
    out["by_channel"] = {
        str(channels.get(k, k)): v["received"]
        for k, v in naive_groups(sl, "channel", ["received"]).items()
        if k and v["received"]
    }
    types = dict(FraudType.choices)
    out["by_type"] = {
        (str(types.get(k, "未甄别")) if k else "未甄别"): v["received"]
        for k, v in naive_groups(sl, "fraud_type", ["received"]).items()
        if v["received"]
    }
    days = {
        (k if isinstance(k, dt.date) else dt.date.fromisoformat(str(k))): v
        for k, v in naive_groups(sl, "day", ["received", "closed"]).items()
    }
    weeks = []
    for week in sl.period.weeks():
        span = [week.start + dt.timedelta(days=i) for i in range(week.days)]
        weeks.append(
            (
                f"{week.start:%m-%d}",
                sum(days.get(d, {}).get("received", 0) for d in span),
                sum(days.get(d, {}).get("closed", 0) for d in span),
            )
        )
    out["weeks"] = weeks
    tile = indicator(tile_code)
    tile_cols = [tile.numerator.rollup, tile.denominator.rollup if tile.denominator else None]
    by_child = naive_groups(sl, "child", [c for c in tile_cols if c])
    out["tiles"] = {}
    for child in child_regions(region=sl.region):
        got = by_child.get(child.path, {})
        num = got.get(tile_cols[0] or "", 0)
        out["tiles"][child.code] = (num, got.get(tile_cols[1], 0) if tile_cols[1] else None)
    out["overdue_total"] = figures.records(indicator("overdue_now").numerator, sl).count()
    return out


def timed(fn: Any, runs: int, *, warm_up: bool = True) -> tuple[float, float, Any]:
    """One warm-up call, then ``runs`` timed calls: (best, median) seconds and the last result."""
    result = fn() if warm_up else None
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000_000)
    parser.add_argument("--db", default="silvershield_bench")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reuse", action="store_true", help="keep the tips already loaded")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the roll-up even so")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the dashboard")
    parser.add_argument("--naive-runs", type=int, default=1, help="timed runs of the naive path")
    args = parser.parse_args()
    ensure_database(args.db, args.host)
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from silvershield.core.permissions import Role
    from silvershield.geo.constants import DEMO_CITY_CODE
    from silvershield.geo.models import Region
    from silvershield.geo.services import regions_load
    from silvershield.intake.models import Tip
    from silvershield.orgs.models import Membership, Sector, Unit, UnitKind, User
    from silvershield.stats import rollup
    from silvershield.stats.figures import Slice
    from silvershield.stats.periods import Period

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=DEMO_CITY_CODE).exists():
        regions_load(city_codes=[DEMO_CITY_CODE])
    city = Region.objects.get(code=DEMO_CITY_CODE)
    office, _ = Unit.objects.get_or_create(
        name="湖州市专项办（基准）",
        region=city,
        defaults={"kind": UnitKind.OFFICE, "sector": Sector.OFFICE},
    )
    user, created = User.objects.get_or_create(
        username="bench_office", defaults={"full_name": "基准"}
    )
    if created:
        Membership.objects.create(user=user, unit=office, role=Role.OFFICE_STAFF)
    end = dt.date(2026, 10, 31)
    if not args.reuse or Tip.objects.count() != args.n:
        t0 = time.perf_counter()
        load_tips(args.n, args.days, end)
        print(f"load: {time.perf_counter() - t0:.1f} s")
    if args.rebuild or not args.reuse or Tip.objects.count() != args.n:
        t0 = time.perf_counter()
        rows = rollup.rollup_rebuild()
        print(f"roll-up rebuild: {rows} daily rows in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:  # fresh statistics, as autovacuum would gather them
        cur.execute("ANALYZE stats_dailyrollup")
        cur.execute("ANALYZE stats_coarserollup")
    from django.test.utils import CaptureQueriesContext

    from silvershield.stats.dashboard import dashboard_build
    from silvershield.stats.models import CoarseRollup, DailyRollup
    from silvershield.stats.sections import sections_build

    n_tips, n_rows = Tip.objects.count(), DailyRollup.objects.count()
    tiers = {t.tier.label: CoarseRollup.objects.filter(tier=t.tier).count() for t in rollup.TIERS}
    print(f"tips: {n_tips}  daily roll-up rows: {n_rows}  tier rows: {tiers}")
    periods = {
        "whole months": Period(end - dt.timedelta(days=args.days - 1), end),
        "ragged edges": Period(
            end - dt.timedelta(days=args.days - 1) + dt.timedelta(days=14),
            end - dt.timedelta(days=11),
        ),
    }
    same_everywhere = True
    for name, period in periods.items():
        sl = Slice(user=user, region=city, period=period)
        with CaptureQueriesContext(connection) as ctx:
            dashboard_build(user=user, region=city, period=period)
        fast_best, fast_median, board = timed(
            lambda p=period: dashboard_build(user=user, region=city, period=p), args.runs
        )
        slow_best, slow_median, slow_result = timed(
            lambda s=sl: naive_dashboard(s), args.naive_runs, warm_up=False
        )
        page_best, page_median, _ = timed(
            lambda p=period: (
                dashboard_build(user=user, region=city, period=p),
                sections_build(Slice(user=user, region=city, period=p)),
            ),
            args.runs,
        )
        fast_result = shown(board)
        same = fast_result == slow_result
        same_everywhere = same_everywhere and same
        if not same:
            for part, value in fast_result.items():
                if value != slow_result[part]:
                    print(f"  DIFFERENT {part}: dashboard {value} naive {slow_result[part]}")
        received = fast_result["figures"]["tips_received"][0]
        print(f"{name}: {period.start}–{period.end}, {received} tips received")
        print(
            f"  dashboard (dashboard_build, {len(ctx.captured_queries)} queries): "
            f"best {fast_best * 1000:.0f} ms, median {fast_median * 1000:.0f} ms"
        )
        print(
            "  the whole page's figures (with the crackdown and rectification sections, counted "
            f"on their raw records): best {page_best * 1000:.0f} ms, "
            f"median {page_median * 1000:.0f} ms"
        )
        print(
            f"  naive GROUP BY over tips: best {slow_best * 1000:.0f} ms, "
            f"median {slow_median * 1000:.0f} ms"
        )
        print(f"  ratio (best): {slow_best / fast_best:.1f}x  same figures: {same}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    if not same_everywhere:
        sys.exit(1)


if __name__ == "__main__":
    main()
