"""Each indicator against the hand-counted week of scenario.py, on the roll-up and on raw rows."""

from __future__ import annotations

import dataclasses

import pytest
from django.db.models import Count

from conftest import World
from silvershield.orgs.models import User
from silvershield.stats import figures
from silvershield.stats.figures import Slice, indicator_value
from silvershield.stats.registry import UnknownIndicator, indicators
from silvershield.stats.selectors import StatsInputError
from silvershield.stats.tests import crackdown_scenario
from silvershield.stats.tests.scenario import WEEK, Scenario

pytestmark = pytest.mark.django_db

# (numerator, denominator) by indicator, for the city, county A and county B.
EXPECTED: dict[str, dict[str, tuple[int, int | None]]] = {
    "tips_received": {"city": (5, None), "a": (3, None), "b": (2, None)},
    "tips_screened": {"city": (4, None), "a": (3, None), "b": (1, None)},
    "tips_valid": {"city": (3, None), "a": (2, None), "b": (1, None)},
    "tips_transferred": {"city": (3, None), "a": (2, None), "b": (1, None)},
    "tips_verified_on_time": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "tips_closed": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "tips_feedback": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "overdue_now": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "valid_rate": {"city": (3, 4), "a": (2, 3), "b": (1, 1)},
    "transfer_rate": {"city": (3, 3), "a": (2, 2), "b": (1, 1)},
    "on_time_rate": {"city": (1, 1), "a": (1, 1), "b": (0, 0)},
    "close_rate": {"city": (1, 3), "a": (1, 2), "b": (0, 1)},
    "feedback_rate": {"city": (1, 1), "a": (1, 1), "b": (0, 0)},
    "overdue_rate": {"city": (1, 2), "a": (1, 1), "b": (0, 1)},
}


def test_every_registered_indicator_is_hand_counted() -> None:
    assert {i.code for i in indicators()} == set(EXPECTED) | set(crackdown_scenario.EXPECTED)


@pytest.mark.parametrize("code", sorted(crackdown_scenario.EXPECTED))
def test_crackdown_and_rectification_against_hand_count(
    code: str, crackdown: None, world: World, city_office: User
) -> None:
    expected = crackdown_scenario.EXPECTED[code]
    for key, region in (("city", world.city), ("a", world.county_a), ("b", world.county_b)):
        fig = indicator_value(code, city_office, region, WEEK)
        assert (fig.numerator, fig.denominator) == expected[key], (code, key)
        # The linked list holds exactly the records the figure counts (or sums over).
        sl = Slice(user=city_office, region=region, period=WEEK)
        counted = dataclasses.replace(fig.indicator.numerator, measure=None)
        assert figures.records(fig.indicator.numerator, sl).count() == figures.count(counted, sl)


def test_money_grouped_by_county_adds_up(crackdown: None, world: World, city_office: User) -> None:
    from silvershield.stats.registry import indicator

    sl = Slice(user=city_office, region=world.city, period=WEEK)
    rs = indicator("recovered_amount").numerator
    by_child = figures.counts(rs, sl, by="child")
    assert by_child == {world.county_a.path: 45_000_000, world.county_b.path: 3_000_000}
    assert indicator_value("recovered_amount", city_office, world.city, WEEK).text == "48.00万元"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_indicator_against_hand_count(
    code: str, scenario: Scenario, world: World, city_office: User
) -> None:
    for key, region in (("city", world.city), ("a", world.county_a), ("b", world.county_b)):
        fig = indicator_value(code, city_office, region, WEEK)
        assert (fig.numerator, fig.denominator) == EXPECTED[code][key], (code, key)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_roll_up_and_raw_rows_agree(
    code: str, scenario: Scenario, world: World, city_office: User
) -> None:
    from silvershield.stats.registry import indicator

    ind = indicator(code)
    sl = Slice(user=city_office, region=world.city, period=WEEK)
    for rs in (ind.numerator, ind.denominator):
        if rs is None:
            continue
        assert figures.count(rs, sl) == figures.records(rs, sl).count()
        for by in ("child", "channel", "fraud_type"):
            raw = (
                figures.records(rs, sl)
                .order_by()
                .annotate(k=figures._key(by, rs, sl))
                .values("k")
                .annotate(n=Count("pk"))
            )
            assert figures.counts(rs, sl, by=by) == {r["k"]: r["n"] for r in raw if r["n"]}


def test_values_and_links(scenario: Scenario, world: World, city_office: User) -> None:
    fig = indicator_value("close_rate", city_office, world.county_a, WEEK)
    assert fig.value == 50.0 and fig.text == "50.0%"
    assert fig.link.startswith("/stats/records/closed/?region=330502000000")
    received = indicator_value("tips_received", city_office, world.county_a, WEEK)
    assert received.link.startswith("/tips/?region_0=330000000000")
    assert "date_from=2026-11-02" in received.link and "date_to=2026-11-08" in received.link


def test_below_minimum_volume_is_not_rankable(
    scenario: Scenario, world: World, city_office: User
) -> None:
    fig = indicator_value("close_rate", city_office, world.county_a, WEEK)
    assert fig.volume == 2 and not fig.rankable  # close_rate needs 5 valid tips


def test_unknown_indicator_and_unseen_region(
    scenario: Scenario, world: World, county_a_office: User
) -> None:
    with pytest.raises(UnknownIndicator, match="未知的指标"):
        indicator_value("nope", county_a_office, world.county_a, WEEK)
    with pytest.raises(StatsInputError, match="无权查看"):
        indicator_value("tips_received", county_a_office, world.county_b, WEEK)
    with pytest.raises(StatsInputError, match="无权查看"):
        indicator_value("tips_received", county_a_office, world.city, WEEK)


def test_member_unit_counts_only_its_own_records(
    scenario: Scenario, world: World, county_a_police: User
) -> None:
    # 吴兴公安分局 sees a1 and a3 (transferred to it), not a2 (its county, not its tip).
    assert indicator_value("tips_received", county_a_police, world.county_a, WEEK).numerator == 2
    assert indicator_value("overdue_now", county_a_police, world.county_a, WEEK).numerator == 1
