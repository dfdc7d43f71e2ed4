"""The dashboard: every figure links to a list whose count equals it; a county user never sees
another county; bad input gets a Chinese message, never a 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import World
from silvershield.orgs.models import User
from silvershield.stats.tests.scenario import Scenario

pytestmark = pytest.mark.django_db
WEEK_Q = "date_from=2026-11-02&date_to=2026-11-08"


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _links(html: str) -> list[tuple[str, str]]:
    """(href, shown number) for every figure link on the page."""
    out = []
    for href, text in re.findall(
        r'<a[^>]+href="([^"]+)"[^>]*>\s*(?:<span class="figure-value">)?([0-9]+)<', html
    ):
        out.append((href.replace("&amp;", "&"), text))
    return out


def _list_count(client: Client, href: str) -> int:
    page = client.get(href).content.decode()
    total = re.search(r'id="record-total">(\d+)<', page)
    if total:
        return int(total.group(1))
    body = page.split('id="tip-rows">', 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def test_every_figure_link_lists_exactly_its_count(scenario: Scenario, city_office: User) -> None:
    c = _client(city_office)
    response = c.get(f"/stats/?{WEEK_Q}")
    assert response.status_code == 200
    html = response.content.decode()
    links = _links(html)
    assert len(links) >= 20
    for href, shown in links:
        assert _list_count(c, href) == int(shown), href
    assert 'id="dashboard-data"' in html and "echarts.min.js" in html


def test_crackdown_and_rectification_figures_link_to_their_records(
    crackdown: None, city_office: User
) -> None:
    c = _client(city_office)
    html = c.get(f"/stats/?{WEEK_Q}").content.decode()
    sections = html.split('id="section-1"', 1)[1].split('class="grid-2"', 1)[0]
    links = _links(sections)
    shown = {href.split("/stats/records/", 1)[1].split("/", 1)[0]: n for href, n in links}
    assert shown["cases_filed"] == "2" and shown["hazards_found"] == "4"
    assert len(links) >= 15
    for href, number in links:
        assert _list_count(c, href) == int(number), href
    assert "48.00万元" in sections and "追赃挽损率" in sections
    # A case list behind a figure opens the case's own page.
    page = c.get(next(h for h, _ in links if "/cases_filed/" in h)).content.decode()
    assert "吴公刑〔2026〕9号" in page and "/cases/" in page


def test_tiles_and_overdue_list(scenario: Scenario, city_office: User, world: World) -> None:
    html = _client(city_office).get(f"/stats/?{WEEK_Q}&indicator=tips_received").content.decode()
    assert (
        'data-region="330502000000"' in html and "region-tile r1 c2" in html
    )  # 吴兴 in the middle
    assert 'data-region="330522000000"' in html and "region-tile r1 c1" in html  # 长兴 north-west
    overdue = html.split('id="overdue-list"', 1)[1].split("</table>", 1)[0]
    assert scenario.a3.number in overdue and "吴兴公安分局" in overdue and "周海峰" in overdue


def test_county_user_never_sees_another_county(
    scenario: Scenario, county_a_office: User, world: World
) -> None:
    c = _client(county_a_office)
    html = c.get(f"/stats/?{WEEK_Q}").content.decode()
    assert scenario.b1.number not in html and scenario.b2.number not in html
    assert 'data-indicator="tips_received"' in html
    received = re.search(
        r'data-indicator="tips_received"[^>]*>\s*<span class="figure-value">(\d+)', html
    )
    assert received is not None and received.group(1) == "3"
    for code in ("received", "transferred", "open_transfers"):
        page = c.get(f"/stats/records/{code}/?{WEEK_Q}").content.decode()
        assert scenario.b2.number not in page
        export = c.get(f"/stats/records/{code}/export.xlsx?{WEEK_Q}")
        assert export.status_code == 200 and scenario.b2.number.encode() not in export.content
    refused = c.get(f"/stats/?region={world.county_b.code}&{WEEK_Q}")
    assert refused.status_code == 400 and "无权查看该地区的统计" in refused.content.decode()
    refused = c.get(f"/stats/records/received/?region={world.county_b.code}&{WEEK_Q}")
    assert refused.status_code == 400 and scenario.b1.number not in refused.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2030-01-01&date_to=2030-01-07", "统计期不能在将来"),
        ("date_from=2026-11-08&date_to=2026-11-02", "结束日期不能早于开始日期"),
        (f"{WEEK_Q}&indicator=nonsense", "未知的指标"),
        (f"{WEEK_Q}&region=999999999999", "所选地区不存在"),
        ("date_from=yesterday&date_to=2026-11-02", "日期"),
    ],
)
def test_bad_input_gets_a_chinese_message(
    scenario: Scenario, city_office: User, query: str, message: str
) -> None:
    response = _client(city_office).get(f"/stats/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_drilldown_refuses_unknown_sets_and_units(
    scenario: Scenario, county_a_office: User, world: World
) -> None:
    c = _client(county_a_office)
    assert "未知的统计口径" in c.get(f"/stats/records/nothing/?{WEEK_Q}").content.decode()
    other = world.county_b_police.pk
    response = c.get(f"/stats/records/received/?{WEEK_Q}&unit={other}")
    assert response.status_code == 400 and "无权查看该单位的统计" in response.content.decode()


def test_without_stats_permission_forbidden(scenario: Scenario, sysadmin: User) -> None:
    assert _client(sysadmin).get("/stats/").status_code == 403
