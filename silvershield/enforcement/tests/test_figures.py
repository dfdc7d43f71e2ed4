"""The crackdown figures of the stats registry and the records behind them: scope, region,
period; money counted once across periods; the rates' cohort."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import World
from silvershield.enforcement import services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.orgs.models import User
from silvershield.stats.registry import yuan_of
from silvershield.stats.tests.lookup import behind, stat

pytestmark = pytest.mark.django_db


def _yuan(code: str, user: User, **kw: Any) -> Decimal:
    return yuan_of(stat(code, user, **kw).numerator)


def test_recovered_money_is_additive_over_periods(
    case_a: Case, county_a_police: User, city_office: User
) -> None:
    freeze = services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="400000.00", on=days_ago(40)
    )
    services.recovery_record(
        actor=county_a_police,
        case=case_a,
        kind="return",
        amount="150000.00",
        on=days_ago(10),
        releases=[(freeze, "150000.00")],
    )
    services.recovery_record(
        actor=county_a_police, case=case_a, kind="return", amount="0.01", on=days_ago(10)
    )
    early: dict[str, Any] = {"start": days_ago(59), "end": days_ago(20)}
    late: dict[str, Any] = {"start": days_ago(19), "end": days_ago(0)}
    assert _yuan("recovered_amount", city_office) == Decimal("400000.01")
    assert _yuan("recovered_amount", city_office, **early) == Decimal("400000.00")
    assert _yuan("recovered_amount", city_office, **late) == Decimal("0.01")
    assert _yuan("returned_amount", city_office, **late) == Decimal("150000.01")
    assert _yuan("returned_amount", city_office, **early) == Decimal("0.00")
    assert behind("recovered_amount", city_office, **late).count() == 2
    assert stat("recovered_amount", city_office).text == "40.00万元"
    assert stat("recovered_amount", city_office, **late).text == "0.01元"
    # Rates: the cohort of cases filed in the period (case_a: filed 60 days ago, loss 1,000,000),
    # money dated up to the period's end.
    rate = stat("recovery_rate", city_office)
    assert (rate.value, rate.numerator, rate.denominator) == (40.0, 40000001, 100000000)
    assert stat("returned_rate", city_office).value == 15.0
    assert stat("recovery_rate", city_office, end=days_ago(20)).value == 40.0
    assert stat("returned_rate", city_office, end=days_ago(20)).value == 0.0
    assert stat("recovery_rate", city_office, start=days_ago(30)).value is None
    assert list(behind("recovery_rate", city_office)) == [case_a]
    # One case is not a record: listed, not ranked.
    assert rate.volume == 1 and not rate.rankable


def test_counts_follow_scope_region_and_period(
    world: World,
    case_a: Case,
    case_b: Case,
    county_a_police: User,
    county_b_police: User,
    city_office: User,
) -> None:
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(30))
    services.suspect_add(
        actor=county_a_police, case=case_a, name="甲某", status="arrested", caught_on=days_ago(30)
    )
    runner = services.suspect_add(
        actor=county_a_police, case=case_a, name="乙某", status="at_large"
    )
    services.suspect_catch(actor=county_a_police, suspect=runner, on=days_ago(3))
    gang = services.gang_create(actor=county_a_police, case=case_a, name="甲某团伙")
    services.gang_mark_broken(actor=county_a_police, gang=gang, on=days_ago(3))
    review = services.cold_case_flag(
        actor=county_b_police, case=case_b, reason="立案后长期未破", due_on=days_ago(-10)
    )
    services.cold_case_review(
        actor=county_b_police, review=review, outcome="重新组织侦查，已锁定嫌疑人"
    )

    def n(code: str, user: User = city_office, **kw: Any) -> int:
        return stat(code, user, **kw).numerator

    assert n("cases_filed") == 2
    assert n("cases_filed", region=world.county_b) == 1
    assert n("cases_filed", county_b_police) == 1
    assert n("cases_solved") == 1
    assert n("cases_solved", start=days_ago(10)) == 0
    assert n("suspects_arrested") == 2
    assert n("suspects_arrested", start=days_ago(10)) == 1
    assert n("fugitives_caught") == 1
    assert list(behind("fugitives_caught", city_office)) == [runner]
    assert n("gangs_broken", start=days_ago(5)) == 1
    assert n("gangs_broken", county_b_police) == 0
    assert n("cold_cases_reviewed") == 1
    assert n("cold_cases_reviewed", region=world.county_a) == 0
    # County B's police sees neither county A's suspects nor its money.
    assert n("suspects_arrested", county_b_police) == 0
    for code in ("cases_filed", "suspects_arrested", "gangs_broken", "cold_cases_reviewed"):
        fig = stat(code, city_office)
        assert fig.numerator == behind(code, city_office).count()
