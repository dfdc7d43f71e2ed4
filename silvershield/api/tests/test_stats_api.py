"""The indicator API: the registry's definitions, any indicator for a region and period with the
link to its records, the caller's scope kept, bad input answered with the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine

from conftest import World
from silvershield.api.tests.conftest import COUNTY_A, COUNTY_B, Caller
from silvershield.stats.registry import indicators
from silvershield.stats.tests import crackdown_scenario
from silvershield.stats.tests.scenario import NOW

pytestmark = pytest.mark.django_db
WEEK = {"date_from": "2026-11-02", "date_to": "2026-11-08"}


@pytest.fixture
def week(
    world: World,
    county_a_office: Caller,
    county_b_office: Caller,
    county_a_police: Caller,
    county_a_civil: Caller,
    settings: Any,
    tmp_path: Path,
) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    crackdown_scenario.build(
        world,
        county_a_office.user,
        county_b_office.user,
        county_a_police.user,
        county_a_civil.user,
    )
    with time_machine.travel(NOW, tick=False):
        yield


def test_definitions_list_every_indicator(city_office: Caller) -> None:
    response = city_office.get("/stats/indicators")
    assert response.status_code == 200
    body = response.json()
    assert {i["code"] for i in body} == {i.code for i in indicators()}
    recovery = next(i for i in body if i["code"] == "recovery_rate")
    assert recovery["unit"] == "%" and recovery["is_rate"] and recovery["ranked"]


def test_a_figure_with_its_link(week: None, city_office: Caller, client: Any) -> None:
    response = city_office.get("/stats/indicators/recovery_rate", {"region": COUNTY_A, **WEEK})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["numerator"], body["denominator"], body["value"]) == (
        40_000_000,
        100_000_000,
        40.0,
    )
    assert body["text"] == "40.0%" and body["volume"] == 1 and body["rankable"] is False
    assert body["link"].startswith("/stats/records/cohort_recovered/?region=330502000000")
    money = city_office.get("/stats/indicators/recovered_amount", WEEK).json()
    assert money["numerator"] == 48_000_000 and money["text"] == "48.00万元"
    assert money["value"] == 480000.0 and money["region"]["code"] == "330500000000"
    # The link opens the list whose count is the figure.
    client.force_login(city_office.user)
    page = client.get(
        city_office.get("/stats/indicators/cases_filed", WEEK).json()["link"]
    ).content.decode()
    assert 'id="record-total">2<' in page


def test_scope_and_bad_input(week: None, county_a_office: Caller) -> None:
    own = county_a_office.get("/stats/indicators/cases_filed", WEEK).json()
    assert own["numerator"] == 1 and own["region"]["code"] == COUNTY_A
    other = county_a_office.get("/stats/indicators/cases_filed", {"region": COUNTY_B, **WEEK})
    assert other.status_code == 400
    assert other.json()["detail"][0]["field"] == "region"
    future = county_a_office.get(
        "/stats/indicators/cases_filed", {"date_from": "2026-11-02", "date_to": "2027-01-01"}
    )
    assert future.status_code == 400 and "将来" in future.json()["detail"][0]["message"]
    reversed_ = county_a_office.get(
        "/stats/indicators/cases_filed", {"date_from": "2026-11-08", "date_to": "2026-11-02"}
    )
    assert reversed_.status_code == 400
    assert county_a_office.get("/stats/indicators/no_such_thing", WEEK).status_code == 404
    bad_region = county_a_office.get("/stats/indicators/cases_filed", {"region": "12ab"})
    assert bad_region.status_code == 400


def test_administrators_have_no_figures(sysadmin: Caller) -> None:
    assert sysadmin.get("/stats/indicators").status_code == 403
