"""In a real headless Chromium: phone intake, keyword search, detail with timeline."""

import pytest
from playwright.sync_api import Page

from conftest import World, browser_login
from silvershield.intake.models import Tip
from silvershield.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enter_a_phone_tip_find_it_by_keyword_and_see_its_timeline(
    page: Page, world: World, county_a_office: User
) -> None:
    browser_login(page, "county_a_office")
    page.get_by_role("navigation").get_by_role("link", name="登记线索").click()
    page.select_option("#id_channel", "phone")
    # A county office's pickers start at its own county; choose the town.
    page.select_option("#id_region_3", world.town_a.code)
    page.fill(
        "#id_content",
        "来电反映：有人在菜市场门口推销“量子养生床垫”，声称能治老年痴呆，老人已花两万元。",
    )
    page.fill("#id_involved_institution", "福乐康健康咨询中心")
    page.fill("#id_money_amount", "20000")
    page.fill("#id_reporter_name", "陈阿婆")
    page.fill("#id_reporter_phone", "13905720077")
    page.get_by_role("button", name="登记").click()

    page.wait_for_url("**/tips/*/")
    tip = Tip.objects.get()
    assert tip.region == world.town_a
    assert page.get_by_role("heading", name=f"线索 {tip.number}").is_visible()

    page.get_by_role("navigation").get_by_role("link", name="线索列表").click()
    page.fill("#id_q", "养生床垫")
    page.get_by_role("button", name="查询").click()
    rows = page.locator("#tip-rows tr")
    assert rows.count() == 1
    assert tip.number in rows.first.inner_text()

    page.fill("#id_q", "以房养老")
    page.get_by_role("button", name="查询").click()
    assert "没有符合条件的线索" in page.locator("#tip-rows").inner_text()

    page.fill("#id_q", "养生床垫")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=tip.number).click()
    timeline = page.locator("ol.timeline")
    assert "登记线索（电话）" in timeline.inner_text()
    assert "county_a_office" in timeline.inner_text()
    # Identity stays hidden: asking for it needs a reason and a second person's approval.
    assert "陈阿婆" not in page.content()
    page.fill("#id_reason", "回访核实情况")
    page.get_by_role("button", name="申请查看举报人身份").click()
    page.get_by_text("须经身份信息保管人批准").first.wait_for()
    assert "陈阿婆" not in page.content()
