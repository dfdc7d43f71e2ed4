"""In a real headless Chromium: a county handler signs for a transferred tip and submits a report;
the office accepts it, writes the answer to the reporter and closes the tip."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from conftest import PASSWORD, World, live_url
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.workflow.models import Transfer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _open_action(page: Page, label: str) -> None:
    page.locator("details.action summary", has_text=label).click()


def test_sign_report_accept_answer_close(
    browser: Browser,
    page: Page,
    live_server: Any,
    transfer: Transfer,
    county_a_police: User,
    city_office: User,
    world: World,
) -> None:
    base = live_url(page)
    tip = transfer.tip
    # County police: the workbench shows one item to sign; sign it and report.
    _login(page, base, "county_a_police")
    page.get_by_role("navigation").get_by_role("link", name="待签收").click()
    page.get_by_role("link", name=tip.number).click()
    _open_action(page, "签收")
    page.locator("#action-sign button[type=submit]").click()
    page.wait_for_selector("text=已完成：签收")
    assert Tip.objects.get(pk=tip.pk).state == TipState.VERIFYING

    _open_action(page, "报送核查报告")
    form = page.locator("#action-report form")
    form.get_by_label("属实", exact=True).check()
    form.locator("textarea[name=facts]").fill(
        "经实地核查，该养老公寓确以预收床位费为名收取13名老人费用共计36万元，已立案侦查。"
    )
    form.get_by_label("立案").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已完成：报送核查报告")
    assert Tip.objects.get(pk=tip.pk).state == TipState.REPORTED

    # The city office: accept, answer, close.
    office = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    _login(office, base, "city_office")
    office.get_by_role("navigation").get_by_role("link", name="待审核").click()
    office.get_by_role("link", name=tip.number).click()
    _open_action(office, "审核核查报告")
    review = office.locator("#action-review form")
    review.get_by_label("通过").check()
    review.locator("button[type=submit]").click()
    office.wait_for_selector("text=已完成：审核核查报告")
    assert Tip.objects.get(pk=tip.pk).state == TipState.ACCEPTED

    # Closing before answering the reporter is refused in words.
    assert office.locator("#action-close").count() == 0
    _open_action(office, "答复举报人")
    office.locator("#action-feedback textarea").fill(
        "您反映的养老公寓预收费问题经核查属实，公安机关已立案侦查，感谢您的举报。"
    )
    office.locator("#action-feedback button[type=submit]").click()
    office.wait_for_selector("text=已完成：答复举报人")
    _open_action(office, "办结")
    office.locator("#action-close button[type=submit]").click()
    office.wait_for_selector("text=已完成：办结")
    closed = Tip.objects.get(pk=tip.pk)
    assert closed.state == TipState.CLOSED
    timeline = office.locator("ol.timeline").inner_text()
    for step in ("签收", "报送核查报告", "审核通过", "答复举报人", "办结"):
        assert step in timeline
