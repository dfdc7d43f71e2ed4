"""The crackdown figures and their drill-down querysets: scope, region, period; money counted once
across periods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import World
from silvershield.enforcement import figures, services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


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
    e_from, e_to = days_ago(59), days_ago(20)
    l_from, l_to = days_ago(19), days_ago(0)
    whole = figures.recovered_amount(user=city_office)
    assert whole == Decimal("400000.01")
    assert figures.recovered_amount(user=city_office, date_from=e_from, date_to=e_to) == Decimal(
        "400000.00"
    )
    assert figures.recovered_amount(user=city_office, date_from=l_from, date_to=l_to) == Decimal(
        "0.01"
    )
    assert figures.returned_amount(user=city_office, date_from=l_from, date_to=l_to) == Decimal(
        "150000.01"
    )
    assert figures.returned_amount(user=city_office, date_from=e_from, date_to=e_to) == Decimal(
        "0.00"
    )
    assert (
        figures.recovered_amount_records(user=city_office, date_from=l_from, date_to=l_to).count()
        == 2
    )
    # Rates: the cohort of cases filed in the period (case_a: filed 60 days ago, loss 1,000,000).
    assert figures.recovery_rate(user=city_office) == Decimal("0.4000")
    assert figures.returned_rate(user=city_office) == Decimal("0.1500")
    assert figures.recovery_rate(user=city_office, date_to=days_ago(20)) == Decimal("0.4000")
    assert figures.returned_rate(user=city_office, date_to=days_ago(20)) == Decimal("0.0000")
    assert figures.recovery_rate(user=city_office, date_from=days_ago(30)) is None
    assert list(figures.recovery_rate_records(user=city_office)) == [case_a]


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

    assert figures.cases_filed(user=city_office) == 2
    assert figures.cases_filed(user=city_office, region=world.county_b) == 1
    assert figures.cases_filed(user=county_b_police) == 1
    assert figures.cases_solved(user=city_office) == 1
    assert figures.cases_solved(user=city_office, date_from=days_ago(10)) == 0
    assert figures.suspects_arrested(user=city_office) == 2
    assert figures.suspects_arrested(user=city_office, date_from=days_ago(10)) == 1
    assert figures.fugitives_caught(user=city_office) == 1
    assert list(figures.fugitives_caught_records(user=city_office)) == [runner]
    assert figures.gangs_broken(user=city_office, date_from=days_ago(5)) == 1
    assert figures.gangs_broken(user=county_b_police) == 0
    assert figures.cold_cases_reviewed(user=city_office) == 1
    assert figures.cold_cases_reviewed(user=city_office, region=world.county_a) == 0
    assert set(figures.FIGURES) >= {"cases_filed", "recovery_rate", "cold_cases_reviewed"}
