"""In a real headless Chromium: county police open a case, record a freeze and then a return that
releases it, and read the new recovery and returned rates on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import browser_login, live_url
from silvershield.enforcement.models import Case, RecoveryRecord
from silvershield.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_recovery_and_see_the_rate(page: Page, case_a: Case, county_a_police: User) -> None:
    browser_login(page, "county_a_police")
    page.goto(live_url(page) + "/cases/")
    page.get_by_role("link", name=case_a.number).click()
    assert page.locator("#recovery-rate").inner_text() == "0.00%"

    page.locator("details.action summary", has_text="登记追赃挽损").click()
    form = page.locator("#action-recovery form")
    form.locator("select[name=kind]").select_option("freeze")
    form.locator("input[name=amount]").fill("-5")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#action-recovery .errorlist")
    assert "金额不能为负数" in page.locator("#action-recovery").inner_text()
    assert RecoveryRecord.objects.count() == 0

    form = page.locator("#action-recovery form")
    form.locator("input[name=amount]").fill("300000.00")
    form.locator("button[type=submit]").click()
    expect(page.locator("#recovery-rate")).to_have_text("30.00%")
    expect(page.locator("#recovered")).to_have_text("30.00 万元")
    assert RecoveryRecord.objects.count() == 1

    # A return of 120,000 released from that freeze: recovered stays, returned rate rises.
    page.locator("details.action summary", has_text="登记追赃挽损").click()
    form = page.locator("#action-recovery form")
    form.locator("select[name=kind]").select_option("return")
    form.locator("input[name=amount]").fill("120000")
    form.locator("select[name=release_from]").select_option(index=1)
    form.locator("button[type=submit]").click()
    expect(page.locator("#returned-rate")).to_have_text("12.00%")
    expect(page.locator("#recovery-rate")).to_have_text("30.00%")
    assert "释放止付冻结" in page.locator("#recovery-table").inner_text()
