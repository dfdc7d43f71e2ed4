"""In headless Chromium with a real Celery worker on Redis: upload a hotline export, map its
columns, and watch the progress bar move to the end."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import World, browser_login, live_url
from silvershield.intake.models import ImportJob, ImportState, Tip
from silvershield.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

NOISE = "小区楼下广场舞音响声音太大，晚上十点还在跳，影响休息，希望有关部门协调处理。"
FRAUD = (
    "来电人反映其母亲在颐年居养老公寓预交了五年床位费共八万元，现在公寓关门，负责人失联，要求退款。"
)


def _export(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["工单编号", "来电时间", "诉求内容", "所属区县/街道"])
        for i in range(rows):
            text = FRAUD if i % 500 == 0 else NOISE + f"（{i}）"
            writer.writerow([f"GD{i:07d}", "2026-11-02 09:12:00", text, "吴兴区"])


def test_map_columns_and_watch_the_import_progress(
    page: Page, celery_queue: str, city_office: User, world: World, tmp_path: Path
) -> None:
    export = tmp_path / "12345导出.csv"
    _export(export, 60000)
    browser_login(page, "city_office")
    page.goto(live_url(page) + "/tips/imports/")
    page.fill("#id_new_name", "湖州12345热线")
    page.select_option("#id_new_channel", "12345")
    page.set_input_files("#id_file", str(export))
    page.get_by_role("button", name="上传并设置列对应").click()
    page.wait_for_url("**/map/")
    # the suggested mapping is already chosen; content is required
    assert page.locator("#id_content").input_value() == "诉求内容"
    assert page.locator("#id_source_row_id").input_value() == "工单编号"
    page.get_by_role("button", name="开始导入").click()
    page.wait_for_url("**/imports/*/")
    first = int(page.locator("#import-bar").get_attribute("value") or "0")
    # (a string predicate would be eval'd, which our CSP rightly forbids: expect() polls instead)
    expect(page.locator("#import-bar")).to_have_attribute("value", "100", timeout=120000)
    assert first < 100  # the page showed the import still running before it reached the end
    page.locator("#import-state", has_text="已完成").wait_for()
    job = ImportJob.objects.get()
    assert job.state == ImportState.DONE
    assert job.processed == 60000
    assert job.kept == Tip.objects.count() == 120
