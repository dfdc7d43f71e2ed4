"""Ledgers export to .xlsx through core.ledger and read back."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from silvershield.core.ledger import HEADER_ROWS
from silvershield.orgs.models import User
from silvershield.rectification.models import Hazard, Letter, Task

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=HEADER_ROWS, values_only=True))
    width = len(rows[0])
    return [tuple(row) + (None,) * (width - len(row)) for row in rows]


def test_hazard_and_task_ledgers_read_back(
    client: Client, hazard: Hazard, task: Task, letter: Letter, county_a_office: User
) -> None:
    client.force_login(county_a_office)
    response = client.get("/rectification/hazards/export.xlsx")
    assert response.status_code == 200
    heads, *rows = _rows(response.content)
    assert heads[0] == "编号" and "整治责任单位" in heads
    assert len(rows) == 1
    row = dict(zip(heads, rows[0], strict=True))
    assert row["编号"] == hazard.number
    assert row["整治责任单位"] == "吴兴区民政局"
    assert row["状态"] == "发现"

    heads, *rows = _rows(client.get("/rectification/tasks/export.xlsx").content)
    row = dict(zip(heads, rows[0], strict=True))
    assert row["牵头单位"] == "吴兴区民政局" and row["配合单位"] == "吴兴公安分局"

    heads, *rows = _rows(client.get("/rectification/letters/export.xlsx").content)
    row = dict(zip(heads, rows[0], strict=True))
    assert row["文号"] == letter.number and row["文书种类"] == "公安提示函"


def test_export_respects_scope_and_filters(
    client: Client, hazard: Hazard, county_b_office: User, county_a_office: User
) -> None:
    client.force_login(county_b_office)
    _heads, *rows = _rows(client.get("/rectification/hazards/export.xlsx").content)
    assert rows == []
    client.force_login(county_a_office)
    _heads, *rows = _rows(client.get("/rectification/hazards/export.xlsx?state=verified").content)
    assert rows == []
