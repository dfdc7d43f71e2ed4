"""The city dashboard over millions of tips: the daily roll-up against a naive GROUP BY.

    python bench/dashboard.py [--n 5000000] [--db silvershield_bench] [--days 365]

Creates (or reuses) a separate PostgreSQL database, loads 湖州市 with its counties and towns,
bulk-loads N synthetic tips with COPY (channels, fraud types, states and towns skewed the way
real exports are), rebuilds the roll-up, then times in the same run
  - the dashboard's figures from the roll-up (totals of every measure, by channel, by fraud type,
    by county, by day: the queries ``stats.figures.rollup_totals`` issues), and
  - the same figures by a naive GROUP BY over the raw tip rows,
checks both give identical figures and prints both times (best of 3, warm) and the ratio.
Transfers are not generated: the transfer-based measures are zero in both paths.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
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


def naive(sl: Any, by: str | None) -> dict[Any, dict[str, int]]:
    """The same figures straight from the tip rows: one GROUP BY with a conditional count per
    measure (what the dashboard would do without the roll-up)."""
    from django.db.models import Count, Q

    from silvershield.intake.models import Tip
    from silvershield.stats import figures, rollup
    from silvershield.stats.periods import Period

    period: Period = sl.period
    start, end = period.bounds()
    qs = Tip.objects.filter(
        region__path__startswith=sl.prefix, received_at__gte=start, received_at__lt=end
    )
    aggregates: dict[str, Any] = {}
    for col, rs in rollup.measures().items():
        cond = rs.condition()
        if col == "received" or not cond:
            aggregates[col] = Count("pk")
        else:
            qs = qs.alias(**{f"f_{col}": rollup._as_bool(cond)})
            aggregates[col] = Count("pk", filter=Q(**{f"f_{col}": True}))
    if by is None:
        row = qs.aggregate(**aggregates)
        return {None: {c: int(row[c] or 0) for c in aggregates}}
    if by == "child":
        key: Any = figures._key("child", rollup.measures()["received"], sl)
    elif by == "day":
        key = figures._key("day", rollup.measures()["received"], sl)
    else:
        key = figures._key(by, rollup.measures()["received"], sl)
    rows = qs.order_by().annotate(k=key).values("k").annotate(**aggregates)
    return {r["k"]: {c: int(r[c] or 0) for c in aggregates} for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000_000)
    parser.add_argument("--db", default="silvershield_bench")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reuse", action="store_true", help="keep the tips already loaded")
    args = parser.parse_args()
    ensure_database(args.db, args.host)
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    from silvershield.core.permissions import Role
    from silvershield.geo.constants import DEMO_CITY_CODE
    from silvershield.geo.models import Region
    from silvershield.geo.services import regions_load
    from silvershield.intake.models import Tip
    from silvershield.orgs.models import Membership, Sector, Unit, UnitKind, User
    from silvershield.stats import figures, rollup
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
        t0 = time.perf_counter()
        rows = rollup.rollup_rebuild()
        print(f"roll-up rebuild: {rows} rows in {time.perf_counter() - t0:.1f} s")
    from silvershield.stats.models import DailyRollup

    n_tips, n_rows = Tip.objects.count(), DailyRollup.objects.count()
    period = Period(end - dt.timedelta(days=args.days - 1), end)
    sl = Slice(user=user, region=city, period=period)
    columns = list(rollup.measures())
    dims: list[str | None] = [None, "channel", "fraud_type", "child", "day"]

    def fast() -> dict[Any, Any]:
        return {by: figures.rollup_totals(sl, columns, by=by) for by in dims}

    def slow() -> dict[Any, Any]:
        return {by: naive(sl, by) for by in dims}

    def best(fn: Any) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(3):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        return min(times), result

    fast_time, fast_result = best(fast)
    slow_time, slow_result = best(slow)

    def clean(result: dict[Any, Any]) -> dict[Any, Any]:
        return {
            by: {k: v for k, v in groups.items() if any(v.values())}
            for by, groups in result.items()
        }

    same = clean(fast_result) == clean(slow_result)
    total = fast_result[None][None]["received"]
    print(
        f"tips: {n_tips}  roll-up rows: {n_rows}  period: {period.start}–{period.end}  received: {total}"
    )
    print(f"dashboard from roll-up: {fast_time * 1000:.0f} ms")
    print(f"naive GROUP BY over tips: {slow_time * 1000:.0f} ms")
    print(f"ratio: {slow_time / fast_time:.1f}x  same figures: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
