"""A real browser: click a figure on the dashboard and land on the matching record list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import World, browser_login, live_url
from silvershield.orgs.models import User
from silvershield.stats.tests.scenario import Scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_click_a_figure_lands_on_its_records(
    page: Page, scenario: Scenario, city_office: User, world: World
) -> None:
    browser_login(page, "city_office")
    page.goto(live_url(page) + "/stats/?date_from=2026-11-02&date_to=2026-11-08")
    card = page.locator('#count-figures a[data-indicator="overdue_now"]')
    assert card.locator(".figure-value").inner_text() == "1"
    card.click()
    page.wait_for_url("**/stats/records/overdue_now/**")
    assert page.locator("#record-total").inner_text() == "1"
    assert scenario.a3.number in page.locator("#record-table").inner_text()
    page.go_back()
    page.locator('#count-figures a[data-indicator="tips_received"]').click()
    page.wait_for_url("**/tips/**")
    rows = page.locator("#tip-rows tr")
    assert rows.count() == 5
    # The chart canvas was drawn by the vendored ECharts (CSP allows it: no inline script).
    page.go_back()
    assert page.locator("#chart-channel canvas").count() == 1
