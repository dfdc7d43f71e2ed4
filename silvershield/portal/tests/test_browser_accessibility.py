"""Every public page, normal and large type: body text ≥ 18 px, line height ≥ 1.3, controls at
least 44 px (60 in large type), zero contrast (and other WCAG A/AA) violations by the vendored
axe-core, no pop-ups; and the pages fit a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page

from conftest import World, make_user
from silvershield.core.permissions import Role
from silvershield.orgs.models import User
from silvershield.portal.tests.conftest import receipt_code, report_data
from silvershield.portal.tests.test_browser_portal import watch_popups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe" / "axe.min.js"

MEASURE = """(minimum) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const body = getComputedStyle(document.body);
  const problems = [];
  const size = parseFloat(body.fontSize);
  if (size < 18) problems.push('body font ' + size);
  for (const el of document.querySelectorAll('main p, main li, main label, main dd, main legend, footer p')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const fs = parseFloat(s.fontSize), lh = parseFloat(s.lineHeight);
    if (fs < 18) problems.push('small text ' + fs + ' ' + el.textContent.slice(0, 20));
    if (!(lh / fs >= 1.29)) problems.push('line height ' + (lh / fs).toFixed(2) + ' ' + el.textContent.slice(0, 20));
  }
  const controls = 'button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), ' +
                   'label.choice, a.big-button, header a';
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < minimum - 0.5 || r.width < minimum - 0.5)
      problems.push('target ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' ' + el.outerHTML.slice(0, 60));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('horizontal scroll');
  return problems;
}"""


@pytest.fixture
def axe_page(browser: Browser, live_server: Any) -> Iterator[tuple[Page, str]]:
    """A page whose context lets the test inject axe-core (the site's CSP forbids it)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page, live_server.url
    context.close()


def _check(page: Page, *, large: bool) -> list[str]:
    problems: list[str] = page.evaluate(MEASURE, 60 if large else 44)
    page.add_script_tag(path=str(AXE))
    violations: list[str] = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}))
           .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    return problems + violations


def _pages(world: World, base: str) -> list[tuple[str, str, dict[str, str] | None]]:
    """(name, url, form to post) for every public page."""
    return [
        ("home", base + "/", None),
        ("report", base + reverse("portal:report"), None),
        ("lookup", base + reverse("portal:status"), None),
    ]


def test_every_public_page_is_large_clear_and_passes_axe(
    axe_page: tuple[Page, str], world: World, city_office: User
) -> None:
    page, base = axe_page
    dialogs = watch_popups(page)
    results: dict[str, list[str]] = {}
    for large in (False, True):
        page.context.clear_cookies()
        page.goto(base + "/")
        if large:
            page.get_by_role("button", name="大字模式").click()
            page.wait_for_load_state()
            assert page.locator("body.large").count() == 1
        mode = "large" if large else "normal"
        for name, url, _ in _pages(world, base):
            page.goto(url)
            results[f"{mode}:{name}"] = _check(page, large=large)
        # The report form with errors shown (refused input), the receipt, the status page.
        page.goto(base + reverse("portal:report"))
        page.fill("#id_money_amount", "一万")
        page.locator("#challenge-step[data-solved=true]").wait_for(state="attached")
        page.get_by_role("button", name="提交举报").click()
        page.locator("#form-errors").wait_for()
        results[f"{mode}:report-errors"] = _check(page, large=large)
        page.goto(base + reverse("portal:report"))
        page.fill("#id_content", "有人推销“长寿床垫”，说能治百病，一张卖两万元。")
        page.fill("#id_reporter_phone", "13905721111")
        page.locator("#challenge-step[data-solved=true]").wait_for(state="attached")
        page.get_by_role("button", name="提交举报").click()
        page.get_by_role("heading", name="举报已收到").wait_for()
        results[f"{mode}:receipt"] = _check(page, large=large)
        code = page.locator(".receipt .code").inner_text()
        page.goto(base + reverse("portal:status"))
        page.fill("#id_code", code)
        page.get_by_role("button", name="查看").click()
        page.get_by_role("heading", name="办理进度").wait_for()
        page.fill("#id_text", "补充一点情况。")
        page.get_by_role("button", name="送出留言").click()
        page.get_by_text("留言已送出").wait_for()
        results[f"{mode}:status"] = _check(page, large=large)
        page.goto(base + reverse("portal:status"))
        page.get_by_role("button", name="看完了，退出").click()
        page.goto(base + reverse("portal:status"))
        page.fill("#id_code", "AAAA-BBBB-CCCC-DDDD")
        page.get_by_role("button", name="查看").click()
        page.get_by_text("没有找到").wait_for()
        results[f"{mode}:lookup-not-found"] = _check(page, large=large)
    bad = {k: v for k, v in results.items() if v}
    assert bad == {}
    assert dialogs == []


def test_the_grid_workers_page_and_the_429_page_are_accessible(
    axe_page: tuple[Page, str], world: World, settings: Any
) -> None:
    page, base = axe_page
    make_user("grid_wang", world.county_a_office, Role.GRID_WORKER, full_name="王建国")
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "grid_wang")
    from conftest import PASSWORD

    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(base + reverse("portal:grid"))
    page.get_by_role("heading", name="巡查上报").wait_for()
    assert _check(page, large=False) == []
    settings.SILVERSHIELD_PORTAL_LOOKUP_LIMIT = 0
    page.goto(base + reverse("portal:status"))
    page.fill("#id_code", "AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="查看").click()
    page.get_by_role("heading", name="请稍后再试").wait_for()
    assert _check(page, large=False) == []


def test_receipt_code_entry_is_forgiving_without_a_browser(world: World) -> None:
    client = Client()
    code = receipt_code(client.post(reverse("portal:report"), report_data(client)).content.decode())
    response = client.post(reverse("portal:status"), {"code": " " + code.lower().replace("-", " ")})
    assert response.status_code == 302
