"""The incrementally kept roll-up equals a rebuild from raw rows after inserts, transitions and
deletions."""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from typing import Any

import pytest
import time_machine
from django.db.models import Count, F
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.stats import rollup
from silvershield.stats.models import CoarseRollup, DailyRollup
from silvershield.stats.periods import Period
from silvershield.stats.rollup import rollup_rebuild
from silvershield.stats.tests.scenario import Scenario, at
from silvershield.workflow import services

pytestmark = pytest.mark.django_db
FIELDS = (
    "day",
    "region_id",
    "channel",
    "fraud_type",
    "received",
    "screened",
    "valid",
    "transferred",
    "verified",
    "verified_on_time",
    "closed",
    "feedback",
)


def _rows() -> set[tuple[Any, ...]]:
    return set(DailyRollup.objects.values_list(*FIELDS))


def _assert_matches_rebuild() -> None:
    kept = _rows()
    rollup_rebuild()
    assert kept == _rows()


def test_rollup_follows_inserts_transitions_and_deletions(
    scenario: Scenario, world: World, city_office: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert DailyRollup.objects.exists()
    _assert_matches_rebuild()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(at(9, 9), tick=False),
    ):
        new = file_tip(city_office, world.county_b, "有人冒充社保局代办养老保险收费")
    assert DailyRollup.objects.filter(day=at(9).date(), region=world.county_b, received=1).exists()
    _assert_matches_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        services.tip_classify(actor=city_office, tip=new, fraud_type=FraudType.PENSION_INSURANCE)
    row = DailyRollup.objects.get(day=at(9).date(), region=world.county_b)
    assert (row.screened, row.valid, row.fraud_type) == (1, 1, FraudType.PENSION_INSURANCE)
    _assert_matches_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        Tip.objects.get(pk=scenario.b1.pk).delete()
    assert not DailyRollup.objects.filter(day=at(4).date(), region=world.county_b).exists()
    _assert_matches_rebuild()


def test_a_tip_moved_to_another_region_leaves_its_old_bucket(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    tip = Tip.objects.get(pk=scenario.b1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        tip.region = world.county_a
        tip.save(update_fields=["region"])
    assert not DailyRollup.objects.filter(day=at(4).date(), region=world.county_b).exists()
    _assert_matches_rebuild()


def test_rebuild_command(scenario: Scenario) -> None:
    from io import StringIO

    from django.core.management import call_command

    DailyRollup.objects.all().delete()
    out = StringIO()
    call_command("stats_rollup_rebuild", stdout=out)
    assert "roll-up rebuilt" in out.getvalue()
    assert DailyRollup.objects.filter(received__gt=0).count() > 0


# -- the coarser tiers, against counts straight from the tips --------------------------------------

Vector = tuple[int, ...]


def _raw_daily() -> dict[tuple[Any, ...], Vector]:
    """(day, region path, channel, fraud type) → the count of each measure, from the tip rows and
    the registry's conditions alone (no roll-up code)."""
    cols = list(rollup.measures())
    members = {
        col: set(Tip.objects.filter(rs.condition()).values_list("pk", flat=True))
        for col, rs in rollup.measures().items()
    }
    out: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(cols))
    for pk, received_at, path, channel, fraud_type in Tip.objects.values_list(
        "pk", "received_at", "region__path", "channel", "fraud_type"
    ):
        counted = out[(timezone.localdate(received_at), path, channel, fraud_type)]
        for i, col in enumerate(cols):
            counted[i] += pk in members[col]
    return {k: tuple(v) for k, v in out.items()}


def _raw_tier(tier: rollup.Tier) -> dict[tuple[Any, ...], Vector]:
    out: dict[tuple[Any, ...], list[int]] = {}
    for (day, path, channel, fraud_type), counted in _raw_daily().items():
        key = (
            day.replace(day=1) if tier.monthly else day,
            path[:39] if tier.area else path,
            channel if tier.split else "",
            fraud_type if tier.split else "",
        )
        acc = out.setdefault(key, [0] * len(counted))
        for i, n in enumerate(counted):
            acc[i] += n
    return {k: tuple(v) for k, v in out.items()}


def _kept_tier(tier: rollup.Tier) -> dict[tuple[Any, ...], Vector]:
    cols = list(rollup.measures())
    return {
        (r[0], r[1], r[2], r[3]): tuple(r[4:])
        for r in CoarseRollup.objects.filter(tier=tier.tier).values_list(
            "day", "region_path", "channel", "fraud_type", *cols
        )
    }


def _assert_tiers_equal_raw() -> None:
    cols = list(rollup.measures())
    daily = {
        (r[0], r[1], r[2], r[3]): tuple(r[4:])
        for r in DailyRollup.objects.values_list(
            "day", "region_path", "channel", "fraud_type", *cols
        )
    }
    assert daily == _raw_daily()
    for tier in rollup.TIERS:
        assert _kept_tier(tier) == _raw_tier(tier), tier.tier.label


def test_tiers_equal_the_raw_counts_after_inserts_transitions_moves_and_deletions(
    scenario: Scenario, world: World, city_office: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert {t.tier for t in rollup.TIERS} == set(
        CoarseRollup.objects.values_list("tier", flat=True)
    )
    _assert_tiers_equal_raw()

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    # inserts on both sides of a month boundary (Shanghai time), in a town and a county
    with run(), time_machine.travel(at(31, 23, month=10), tick=False):
        late = file_tip(city_office, world.town_a, "有人推销养老理财产品", channel="12345")
    with run(), time_machine.travel(at(1, 0), tick=False):
        early = file_tip(city_office, world.county_b, "冒充民政局发放养老补贴")
    with run(), time_machine.travel(at(3, 16), tick=False):  # above the counties
        file_tip(city_office, world.city, "有人上门推销以房养老产品")
    _assert_tiers_equal_raw()
    # transitions: each changes measures without touching the tip's key, or changes its type
    with run():
        services.tip_classify(actor=city_office, tip=late, fraud_type=FraudType.ELDER_PRODUCT)
    with run():
        services.tip_mark_invalid(
            actor=city_office, tip=Tip.objects.get(pk=early.pk), reason="非诈骗线索"
        )
    with run():
        services.tip_classify(
            actor=city_office, tip=Tip.objects.get(pk=late.pk), fraud_type=FraudType.ELDER_SERVICE
        )
    with run():
        services.tips_transfer(
            actor=city_office,
            tips=[Tip.objects.get(pk=late.pk)],
            lead_unit=world.county_a_police,
            working_days=10,
        )
    _assert_tiers_equal_raw()
    # moves: a transferred tip to another county, a tip to another county and month
    with run():
        moved = Tip.objects.get(pk=scenario.b2.pk)
        moved.region = world.town_a
        moved.save(update_fields=["region"])
    with run():
        moved = Tip.objects.get(pk=scenario.b1.pk)
        moved.region = world.town_a
        moved.received_at = at(30, 12, month=9)
        moved.save(update_fields=["region", "received_at"])
    _assert_tiers_equal_raw()
    assert CoarseRollup.objects.filter(day=dt.date(2026, 9, 1)).exists()
    # deletions, down to an empty month
    with run():
        Tip.objects.get(pk=scenario.earlier.pk).delete()
    with run():
        Tip.objects.get(pk=moved.pk).delete()
    _assert_tiers_equal_raw()
    assert not CoarseRollup.objects.filter(day__lt=dt.date(2026, 10, 1)).exists()
    kept = {t.tier: _kept_tier(t) for t in rollup.TIERS}
    rollup_rebuild()
    assert kept == {t.tier: _kept_tier(t) for t in rollup.TIERS}


def test_a_missing_tier_row_is_counted_again_from_the_daily_rows(
    scenario: Scenario, world: World, city_office: User, django_capture_on_commit_callbacks: Any
) -> None:
    b1 = scenario.b1  # 长兴县, letter, 4 Nov; b2 (phone, 5 Nov) shares its month and county
    CoarseRollup.objects.filter(
        region_path=world.county_b.path, channel__in=["letter", ""]
    ).exclude(day=at(5).date()).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.tip_mark_invalid(actor=city_office, tip=b1, reason="非诈骗线索")
    _assert_tiers_equal_raw()


def test_the_migration_derives_the_tiers_from_the_daily_rows(scenario: Scenario) -> None:
    from django.apps import apps

    migration = importlib.import_module("silvershield.stats.migrations.0002_rollup_tiers")
    CoarseRollup.objects.all().delete()
    migration.fill_tiers(apps, None)
    _assert_tiers_equal_raw()


def test_rebuild_of_part_of_a_month_keeps_the_month_whole(scenario: Scenario) -> None:
    CoarseRollup.objects.all().delete()
    rollup_rebuild(period=Period(dt.date(2026, 11, 3), dt.date(2026, 11, 4)))
    for tier in rollup.TIERS:
        raw = {k: v for k, v in _raw_tier(tier).items() if k[0] >= dt.date(2026, 11, 1)}
        assert _kept_tier(tier) == raw, tier.tier.label


# -- answering from the tiers ----------------------------------------------------------------------

PERIODS = (
    Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30)),  # whole months
    Period(dt.date(2026, 10, 20), dt.date(2026, 11, 4)),  # two edges, no whole month
    Period(dt.date(2026, 9, 15), dt.date(2026, 11, 3)),  # whole October between two edges
    Period(dt.date(2026, 11, 1), dt.date(2026, 11, 3)),  # the start of a month
    Period(dt.date(2026, 10, 26), dt.date(2026, 10, 26)),  # one day
    Period(dt.date(2026, 10, 27), dt.date(2026, 10, 31)),  # days without tips
)


def _raw_sums(
    period: Period, prefix: str, by: str | None, channel: str, fraud_type: str
) -> dict[Any, dict[str, int]]:
    start, end = period.bounds()
    base = Tip.objects.filter(
        region__path__startswith=prefix, received_at__gte=start, received_at__lt=end
    )
    if channel:
        base = base.filter(channel=channel)
    if fraud_type:
        base = base.filter(fraud_type=fraud_type)
    keys: dict[str | None, Any] = {
        "child": Substr("region__path", 1, len(prefix) + 13),
        "day": TruncDate("received_at"),
        "channel": F("channel"),
        "fraud_type": F("fraud_type"),
    }
    out: dict[Any, dict[str, int]] = defaultdict(dict)
    for col, rs in rollup.measures().items():
        qs = base.filter(rs.condition()).order_by()
        if by is None:
            out[None][col] = qs.count()
            continue
        for r in qs.annotate(k=keys[by]).values("k").annotate(n=Count("pk")):
            out[_plain(r["k"])][col] = r["n"]
    return {k: v for k, v in out.items() if k is None or any(v.values())}


def _plain(key: Any) -> Any:
    return key.isoformat() if isinstance(key, dt.date) else str(key) if key is not None else None


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
def test_sums_from_the_tiers_equal_the_raw_counts(
    period: Period, scenario: Scenario, world: World
) -> None:
    cols = list(rollup.measures())
    for region in (None, world.city, world.county_a, world.town_a, world.county_b):
        prefix = region.path if region is not None else ""
        for by in (None, "child", "day", "channel", "fraud_type"):
            for channel, fraud_type in (("", ""), ("phone", ""), ("", FraudType.ELDER_PRODUCT)):
                got = rollup.sums(
                    period=period,
                    prefix=prefix,
                    columns=cols,
                    by=by,
                    channel=channel,
                    fraud_type=fraud_type,
                )
                kept = {
                    _plain(k): {c: n for c, n in v.items() if n or k is None}
                    for k, v in got.items()
                    if k is None or any(v.values())
                }
                raw = {
                    k: {c: n for c, n in v.items() if n or k is None}
                    for k, v in _raw_sums(period, prefix, by, channel, fraud_type).items()
                }
                assert kept == raw, (region, by, channel, fraud_type)


def test_whole_months_of_a_city_are_read_from_the_monthly_tiers(
    scenario: Scenario, world: World
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    months = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    for by in (None, "child", "channel", "fraud_type"):
        with CaptureQueriesContext(connection) as ctx:
            rollup.sums(period=months, prefix=world.city.path, columns=["received"], by=by)
        (sql,) = (q["sql"] for q in ctx.captured_queries)
        assert "stats_coarserollup" in sql and "stats_dailyrollup" not in sql, by
    ragged = Period(dt.date(2026, 9, 15), dt.date(2026, 11, 3))
    with CaptureQueriesContext(connection) as ctx:
        rollup.sums(period=ragged, prefix=world.city.path, columns=["received"], by="channel")
    assert len(ctx.captured_queries) == 2  # October from a monthly tier, the edges from a daily
    with CaptureQueriesContext(connection) as ctx:  # a channel below the county: the finest rows
        rollup.sums(period=months, prefix=world.town_a.path, columns=["received"], by="channel")
    (sql,) = (q["sql"] for q in ctx.captured_queries)
    assert "stats_dailyrollup" in sql
