"""In a real headless Chromium: an anonymous report with a photo, the receipt, a staff answer,
the reporter reading it and replying; the form kept after a refused upload; keyboard only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page

from conftest import World, browser_login, live_url
from silvershield.intake.models import Channel, Tip
from silvershield.orgs.models import User
from silvershield.portal.models import Attachment, Author, Message
from silvershield.portal.tests.conftest import jpeg_with_exif

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "小区活动室有人办“养生讲座”，卖三千八一盒的“富硒长寿丸”，说能治糖尿病，我父亲买了五盒。"


def _solved(page: Page) -> None:
    page.locator("#challenge-step[data-solved=true]").wait_for(state="attached")


def watch_popups(page: Page) -> list[str]:
    """Every dialog (alert, confirm, print prompt) and new window a page opens."""
    seen: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        seen.append(f"dialog:{dialog.message}")
        dialog.dismiss()

    def on_popup(popup: Page) -> None:
        seen.append(f"popup:{popup.url}")

    page.on("dialog", on_dialog)
    page.on("popup", on_popup)
    return seen


def test_anonymous_report_with_a_photo_answer_and_reply(
    page: Page, world: World, county_a_office: User, tmp_path: Path
) -> None:
    popups = watch_popups(page)
    photo = tmp_path / "传单.jpg"
    photo.write_bytes(jpeg_with_exif())
    page.goto(live_url(page) + "/")
    page.get_by_role("link", name="我要举报").click()
    page.wait_for_url("**/report/")
    page.get_by_label("推销保健品", exact=False).check()
    page.select_option("#id_region_0", world.city.parent.code if world.city.parent else "")
    page.locator(f"#id_region_1 option[value='{world.city.code}']").wait_for(state="attached")
    page.select_option("#id_region_1", world.city.code)
    page.locator(f"#id_region_2 option[value='{world.county_a.code}']").wait_for(state="attached")
    page.select_option("#id_region_2", world.county_a.code)
    page.fill("#id_money_amount", "19000")
    page.fill("#id_involved_institution", "福寿康养生会所")
    page.fill("#id_content", STORY)
    page.set_input_files("#id_attachments", str(photo))
    page.check("#id_anonymous")
    _solved(page)
    page.get_by_role("button", name="提交举报").click()
    page.get_by_role("heading", name="举报已收到").wait_for()
    code = page.locator(".receipt .code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert page.locator("#print-button").is_visible()
    tip = Tip.objects.get()
    assert tip.channel == Channel.PORTAL and tip.is_anonymous
    assert tip.owner_unit == world.county_a_office
    assert Attachment.objects.filter(tip=tip, kind="image").count() == 1

    # The office answers on the tip page.
    staff = page.context.browser.new_context(locale="zh-CN")  # type: ignore[union-attr]
    office = staff.new_page()
    from conftest import _LIVE_URLS

    _LIVE_URLS[id(office)] = live_url(page)
    browser_login(office, "county_a_office")
    office.goto(live_url(page) + f"/tips/{tip.pk}/")
    panel = office.locator("#portal-panel")
    assert "举报时上传的附件" in panel.inner_text()
    panel.locator("textarea[name=text]").fill("您好，请问讲座是每天都办吗？大概几点？")
    panel.get_by_role("button", name="回复举报人").click()
    office.locator("#portal-panel .thread").wait_for()
    assert "大概几点" in office.locator("#portal-panel").inner_text()
    staff.close()
    _LIVE_URLS.pop(id(office), None)

    # The reporter reads the answer and replies.
    page.get_by_role("link", name="查看办理进度").click()
    page.fill("#id_code", code.lower())
    page.get_by_role("button", name="查看").click()
    page.get_by_role("heading", name="办理进度").wait_for()
    body = page.locator("main").inner_text()
    assert "已收到" in body and "大概几点" in body and "吴兴区专项办" in body
    page.fill("#id_text", "每周二、周四上午九点，在活动室。")
    page.get_by_role("button", name="送出留言").click()
    page.get_by_text("留言已送出").wait_for()
    assert Message.objects.filter(tip=tip, author=Author.REPORTER).count() == 1
    assert popups == []


def test_a_refused_upload_keeps_the_rest_of_the_form(
    page: Page, world: World, tmp_path: Path
) -> None:
    fake = tmp_path / "合同.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    page.goto(live_url(page) + "/report/")
    page.fill("#id_content", STORY)
    page.fill("#id_involved_phone", "0572-2123456")
    page.fill("#id_reporter_name", "陈阿婆")
    page.get_by_label("用“以房养老”的说法", exact=False).check()
    page.set_input_files("#id_attachments", str(fake))
    _solved(page)
    page.get_by_role("button", name="提交举报").click()
    page.locator("#form-errors").wait_for()
    assert "不是照片或PDF文件" in page.locator("#form-errors").inner_text()
    assert page.input_value("#id_content") == STORY
    assert page.input_value("#id_involved_phone") == "0572-2123456"
    assert page.input_value("#id_reporter_name") == "陈阿婆"
    assert page.get_by_label("用“以房养老”的说法", exact=False).is_checked()
    assert Tip.objects.count() == 0
    # Send it again without the bad file: one tip.
    page.set_input_files("#id_attachments", [])
    _solved(page)
    page.get_by_role("button", name="提交举报").click()
    page.get_by_role("heading", name="举报已收到").wait_for()
    assert Tip.objects.count() == 1


def _tab_to(page: Page, matches: Callable[[], bool], limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if matches():
            return
    raise AssertionError("could not reach the element with the keyboard")


def _focused(page: Page, selector: str) -> Callable[[], bool]:
    return lambda: bool(page.evaluate(f"document.activeElement.matches({selector!r})"))


def test_the_report_form_works_with_the_keyboard_only(page: Page, world: World) -> None:
    page.goto(live_url(page) + "/")
    _tab_to(page, _focused(page, "a[href='/report/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/")
    _tab_to(page, _focused(page, "input[name=what]"))
    page.keyboard.press("ArrowDown")  # the second plain description
    page.keyboard.press("Space")
    _tab_to(page, _focused(page, "#id_content"))
    page.keyboard.type("有人上门说能代办养老保险补缴，收了两千元就联系不上了。")
    _tab_to(page, _focused(page, "#id_anonymous"))
    page.keyboard.press("Space")
    _solved(page)
    _tab_to(page, _focused(page, "#report-form button[type=submit]:not([name=refresh])"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="举报已收到").wait_for()
    tip = Tip.objects.get()
    assert "代办养老保险补缴" in tip.content and "养老项目" in tip.content
    assert tip.is_anonymous
