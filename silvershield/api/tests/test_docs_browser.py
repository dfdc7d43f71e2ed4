"""/api/docs in a real headless Chromium: Swagger UI renders under our CSP with no blocked
resource and no request to another host."""

from __future__ import annotations

import os
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_render_offline_under_csp(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    problems: list[str] = []
    foreign: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on(
                "request",
                lambda r: (
                    foreign.append(r.url)
                    if not r.url.startswith((live_server.url, "data:"))
                    else None
                ),
            )
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock", timeout=15000)
            assert page.locator(".opblock").count() >= 19
            assert "SilverShield 银盾 API" in page.locator(".info .title").inner_text()
        finally:
            browser.close()
    assert foreign == []
    assert [m for m in problems if "Content Security Policy" in m or "Refused" in m] == []
