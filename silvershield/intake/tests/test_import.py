"""Bulk import of hotline exports: mapping, relevance, rejected rows, idempotent re-import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from conftest import World
from silvershield.intake import import_services, importer
from silvershield.intake.models import (
    Channel,
    ImportedRow,
    ImportJob,
    ImportSource,
    ImportState,
    Tip,
)
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db

HEADERS = ["工单编号", "来电时间", "来电人", "来电号码", "诉求标题", "诉求内容", "所属区县/街道"]
ROWS = [
    [
        "GD001",
        "2026-11-02 09:12:00",
        "王某",
        "13805720001",
        "养老公寓收费",
        "来电人反映其母亲在颐年居养老公寓预交了五年床位费共八万元，现在公寓关门，负责人失联，要求退款。",
        "吴兴区",
    ],
    [
        "GD002",
        "2026-11-02 10:00:00",
        "李某",
        "13805720002",
        "噪音",
        "小区楼下广场舞音响声音太大，晚上十点还在跳，影响休息。",
        "吴兴区",
    ],
    [
        "GD003",
        "2026-11-03 14:20:00",
        "",
        "",
        "供暖",
        "小区暖气片不热，物业不作为，请求协调。",
        "长兴县",
    ],
    [
        "GD004",
        "not a time",
        "赵某",
        "13805720004",
        "保健品",
        "有人在菜市场开免费讲座推销保健品，说能治糖尿病，老人买了两万元。",
        "吴兴区",
    ],
    ["", "2026-11-04 08:00:00", "孙某", "", "无编号", "这一行没有工单编号。", "吴兴区"],
    [
        "GD006",
        "2026-11-04 11:30:00",
        "周某",
        "13805720006",
        "以房养老",
        "对方以以房养老为名让我父亲抵押房产借款买理财，现在房子被过户了。",
        "长兴县",
    ],
]


def _csv(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def source(city_office: User, world: World) -> ImportSource:
    return import_services.import_source_create(
        actor=city_office, name="湖州12345", channel=Channel.HOTLINE_12345, region=world.city
    )


def _run(actor: User, source: ImportSource, data: bytes, name: str = "export.csv") -> ImportJob:
    job = import_services.import_upload(
        actor=actor, source=source, upload=SimpleUploadedFile(name, data)
    )
    mapping = importer.suggest_mapping(job.headers, source.mapping)
    import_services.import_start(actor=actor, job=job, mapping=mapping)
    job.refresh_from_db()
    job = import_services.import_run(
        job=ImportJob.objects.select_related("source", "created_by").get(pk=job.pk)
    )
    return job


def test_columns_are_suggested_from_common_headings() -> None:
    mapping = importer.suggest_mapping(HEADERS, {})
    assert mapping["source_row_id"] == "工单编号"
    assert mapping["content"] == "诉求内容"
    assert mapping["received_at"] == "来电时间"
    assert mapping["region_text"] == "所属区县/街道"
    assert mapping["reporter_phone"] == "来电号码"


def test_only_relevant_rows_become_tips_and_bad_rows_are_reported(
    city_office: User, source: ImportSource, world: World
) -> None:
    job = _run(city_office, source, _csv(ROWS))
    assert job.state == ImportState.DONE
    assert job.processed == 6
    assert job.rejected == 2  # bad time, missing id
    assert job.kept == 2
    assert job.irrelevant == 2
    tips = {
        t.source_ref.split("-", 1)[1]: t for t in Tip.objects.filter(channel=Channel.HOTLINE_12345)
    }
    assert set(tips) == {"GD001", "GD006"}
    assert tips["GD001"].region == world.county_a
    assert tips["GD006"].region == world.county_b
    assert not tips["GD001"].is_anonymous
    report = Path(job.rejected_report).read_text(encoding="utf-8-sig")
    assert "5,时间格式无法识别,GD004" in report
    assert "6,缺少来源编号" in report
    assert not Path(job.stored_path or "/nonexistent").exists()  # the export was deleted
    assert source.__class__.objects.get(pk=source.pk).mapping["content"] == "诉求内容"  # remembered


def test_reimporting_the_same_or_overlapping_rows_files_nothing_twice(
    city_office: User, source: ImportSource
) -> None:
    _run(city_office, source, _csv(ROWS))
    tips_before = Tip.objects.count()
    again = _run(city_office, source, _csv(ROWS))
    assert again.kept == 0
    assert again.already_imported == 4
    assert Tip.objects.count() == tips_before
    more = [
        *ROWS[:2],
        [
            "GD007",
            "2026-11-05 09:00:00",
            "吴某",
            "",
            "代办社保",
            "有人冒充社保局说能代办补缴养老保险提前退休，要先交四万元手续费。",
            "吴兴区",
        ],
    ]
    third = _run(city_office, source, _csv(more))
    assert third.kept == 1
    assert third.already_imported == 2
    # the ledger holds every accepted row once (rejected rows can come again, corrected)
    assert ImportedRow.objects.filter(source=source).count() == 5


def test_a_file_in_the_wrong_format_is_refused_at_upload(
    city_office: User, source: ImportSource
) -> None:
    fake = SimpleUploadedFile("export.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError) as exc:
        import_services.import_upload(actor=city_office, source=source, upload=fake)
    assert "file" in exc.value.message_dict
    assert not ImportJob.objects.exists()


def test_xlsx_exports_import_too(city_office: User, source: ImportSource) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    job = _run(city_office, source, buffer.getvalue(), name="export.xlsx")
    assert job.file_format == "xlsx"
    assert job.kept == 2


def test_the_prefilter_keeps_every_relevant_text_of_the_dev_set() -> None:
    path = Path(importer.__file__).resolve().parents[1] / "screening" / "data" / "devset.jsonl"
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    relevant = [r["text"] for r in rows if r["label"] != "none"]
    assert len(relevant) > 300
    missed = [t for t in relevant if not importer.passes_prefilter(t)]
    assert missed == []


def test_the_pages_upload_map_and_show_progress(
    city_office: User, source: ImportSource, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(city_office)
    upload = SimpleUploadedFile("export.csv", _csv(ROWS))
    response = client.post(reverse("intake:imports"), {"source": source.pk, "file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("intake:import_map", args=[job.pk])
    page = client.get(reverse("intake:import_map", args=[job.pk])).content.decode()
    assert "诉求内容" in page
    mapping = importer.suggest_mapping(job.headers, {})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:import_map", args=[job.pk]),
            {t: mapping.get(t, "") for t in importer.TARGET_NAMES},
        )
    assert response.status_code == 302
    # tasks run eagerly in tests: the import has finished
    progress = client.get(
        reverse("intake:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="100"' in progress
    assert "已完成" in progress
