"""In a real headless Chromium: the lead unit reports progress with a photo and asks for the
check, the office checks it, and the lead unit closes (销号) the task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from conftest import browser_login, live_url
from silvershield.orgs.models import User
from silvershield.rectification.models import Evidence, Task, TaskState
from silvershield.rectification.tests.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page: Page, label: str) -> None:
    page.locator("details.action summary", has_text=label).click()


def test_close_a_task_with_evidence_after_the_office_check(
    page: Page,
    live_server: Any,
    task: Task,
    county_a_civil: User,
    county_a_office: User,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "监管账户.png"
    photo.write_bytes(PNG)
    url = f"{live_url(page)}/rectification/tasks/{task.pk}/"

    browser_login(page, "county_a_civil")
    page.goto(url)
    _open(page, "报请核验")  # without evidence the lead unit is told why not
    page.locator("#action-submit textarea[name=summary]").fill("全部机构已开立资金监管账户")
    page.locator("#action-submit button[type=submit]").click()
    page.wait_for_selector("text=尚无整改佐证材料")

    _open(page, "报送进展")
    page.locator("#action-progress textarea[name=text]").fill("资金监管账户已全部开立")
    page.locator("#action-progress input[type=file]").set_input_files(str(photo))
    page.locator("#action-progress button[type=submit]").click()
    page.wait_for_selector("text=已完成：报送进展（含佐证材料）")
    assert Evidence.objects.filter(progress__task=task).count() == 1

    _open(page, "报请核验")
    page.locator("#action-submit textarea[name=summary]").fill("全部机构已开立资金监管账户")
    page.locator("#action-submit button[type=submit]").click()
    page.wait_for_selector("text=已完成：报请核验")
    assert Task.objects.get(pk=task.pk).state == TaskState.SUBMITTED

    page.context.clear_cookies()
    browser_login(page, "county_a_office")
    page.goto(url)
    _open(page, "核验")
    page.locator("#action-check").get_by_label("通过", exact=True).check()
    page.locator("#action-check button[type=submit]").click()
    page.wait_for_selector("text=已完成：核验")
    assert Task.objects.get(pk=task.pk).state == TaskState.CHECKED

    page.context.clear_cookies()
    browser_login(page, "county_a_civil")
    page.goto(url)
    _open(page, "销号")
    page.locator("#action-close button[type=submit]").click()
    page.wait_for_selector("text=已完成：销号")
    assert page.locator("#task-state").inner_text() == "已销号"
    assert Task.objects.get(pk=task.pk).state == TaskState.CLOSED
