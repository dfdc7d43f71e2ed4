from __future__ import annotations

import pytest
from django.test import Client

from conftest import World
from silvershield.api.tests.conftest import CITY, COUNTY_A, COUNTY_B, Caller

pytestmark = pytest.mark.django_db


def test_children_of_a_city(county_a_police: Caller) -> None:
    response = county_a_police.get("/regions", {"parent": CITY})
    assert response.status_code == 200
    by_code = {r["code"]: r for r in response.json()}
    assert by_code[COUNTY_A]["name"] == "吴兴区"
    assert by_code[COUNTY_B]["full_name"] == "浙江省湖州市长兴县"
    assert by_code[COUNTY_A]["level"] == 3
    assert by_code[COUNTY_A]["has_children"] is True


def test_provinces_when_no_parent(county_a_police: Caller) -> None:
    assert [r["name"] for r in county_a_police.get("/regions").json()] == ["浙江省"]


def test_unknown_parent_is_400(county_a_police: Caller) -> None:
    response = county_a_police.get("/regions", {"parent": "330599"})
    assert response.status_code == 400
    assert response.json()["detail"] == [{"field": "parent", "message": "所选地区不存在"}]


def test_regions_need_a_token(world: World) -> None:
    assert Client().get("/api/regions").status_code == 401
