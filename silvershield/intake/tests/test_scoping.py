"""Scoping (DESIGN.md "Access and protection") on list, detail, search and export paths."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World, file_tip
from silvershield.intake.models import GrantReason, Tip, TipGrant
from silvershield.intake.selectors import TipFilters, tip_list_visible_to
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def tips(
    world: World,
    city_office: User,
    county_a_office: User,
    county_b_office: User,
    county_a_police: User,
    county_a_civil: User,
) -> dict[str, Tip]:
    return {
        "a_office": file_tip(
            county_a_office, world.county_a, "吴兴区专项办登记：养老公寓预收床位费"
        ),
        "a_town": file_tip(county_a_office, world.town_a, "乡镇：保健品讲座推销"),
        "b_office": file_tip(county_b_office, world.county_b, "长兴县：以房养老抵押借款"),
        "a_civil": file_tip(county_a_civil, world.county_a, "民政局登记：养老机构会员卡"),
        "a_police": file_tip(county_a_police, world.county_a, "公安登记：冒充社保代办补缴"),
    }


def _numbers(qs: Any) -> set[str]:
    return {t.number for t in qs}


def test_county_offices_see_only_their_own_county(
    tips: dict[str, Tip], county_a_office: User, county_b_office: User
) -> None:
    a = _numbers(tip_list_visible_to(user=county_a_office))
    b = _numbers(tip_list_visible_to(user=county_b_office))
    assert a == {tips[k].number for k in ("a_office", "a_town", "a_civil", "a_police")}
    assert b == {tips["b_office"].number}


def test_city_office_sees_every_county(tips: dict[str, Tip], city_office: User) -> None:
    assert _numbers(tip_list_visible_to(user=city_office)) == {t.number for t in tips.values()}


def test_member_units_see_what_they_created_or_were_granted(
    tips: dict[str, Tip], county_a_police: User, county_a_civil: User, world: World
) -> None:
    assert _numbers(tip_list_visible_to(user=county_a_police)) == {tips["a_police"].number}
    assert _numbers(tip_list_visible_to(user=county_a_civil)) == {tips["a_civil"].number}
    TipGrant.objects.create(
        tip=tips["a_office"], unit=world.county_a_police, reason=GrantReason.TRANSFER
    )
    assert _numbers(tip_list_visible_to(user=county_a_police)) == {
        tips["a_police"].number,
        tips["a_office"].number,
    }
    assert tips["a_office"].number not in _numbers(tip_list_visible_to(user=county_a_civil))


def test_system_administrator_sees_no_tip_content(
    tips: dict[str, Tip], sysadmin: User, client: Client
) -> None:
    assert tip_list_visible_to(user=sysadmin).count() == 0
    client.force_login(sysadmin)
    assert client.get(reverse("intake:list")).status_code == 403
    assert client.get(reverse("intake:detail", args=[tips["a_office"].pk])).status_code == 403
    assert client.get(reverse("intake:export")).status_code == 403


def test_search_never_leaves_the_scope(
    tips: dict[str, Tip], county_b_office: User, county_a_office: User
) -> None:
    found_b = _numbers(tip_list_visible_to(user=county_b_office, filters=TipFilters(q="养老")))
    assert found_b == {tips["b_office"].number}
    found_a = _numbers(tip_list_visible_to(user=county_a_office, filters=TipFilters(q="保健品")))
    assert found_a == {tips["a_town"].number}


def test_detail_outside_scope_is_404_on_the_page(
    tips: dict[str, Tip], county_b_office: User, county_a_police: User, client: Client
) -> None:
    client.force_login(county_b_office)
    assert client.get(reverse("intake:detail", args=[tips["a_office"].pk])).status_code == 404
    response = client.get(reverse("intake:detail", args=[tips["b_office"].pk]))
    assert response.status_code == 200
    assert "以房养老抵押借款" in response.content.decode()
    client.force_login(county_a_police)
    assert client.get(reverse("intake:detail", args=[tips["a_civil"].pk])).status_code == 404


def test_list_page_shows_only_scoped_rows(
    tips: dict[str, Tip], county_a_civil: User, client: Client
) -> None:
    client.force_login(county_a_civil)
    html = client.get(reverse("intake:list")).content.decode()
    assert tips["a_civil"].number in html
    for key in ("a_office", "a_police", "b_office"):
        assert tips[key].number not in html


def test_export_contains_only_scoped_rows(
    tips: dict[str, Tip], county_b_office: User, client: Client
) -> None:
    client.force_login(county_b_office)
    response = client.get(reverse("intake:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = {row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert numbers == {tips["b_office"].number}


def test_list_page_query_count_does_not_grow_with_rows(
    tips: dict[str, Tip], city_office: User, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(city_office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("intake:list"))
    assert response.status_code == 200
