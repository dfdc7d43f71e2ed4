"""Ledgers read back: the right rows, the header block, no reporter identity, scope kept."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from silvershield.orgs.models import User
from silvershield.stats.tests.scenario import Scenario

pytestmark = pytest.mark.django_db
WEEK_Q = "date_from=2026-11-02&date_to=2026-11-08"


def _sheet(content: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_overdue_ledger_rows(scenario: Scenario, city_office: User) -> None:
    c = Client()
    c.force_login(city_office)
    rows = _sheet(c.get(f"/stats/records/overdue_now/export.xlsx?{WEEK_Q}").content)
    assert rows[0][0] == "当前超期台账（湖州市专项办）"
    assert rows[3][:4] == ["线索编号", "地区", "转办单位", "牵头单位"]
    body = rows[4:]
    assert [r[0] for r in body] == [scenario.a3.number]
    assert body[0][3] == "吴兴公安分局" and body[0][8] == "周海峰（未签收）"


def test_transfer_and_tip_ledgers(
    scenario: Scenario, city_office: User, county_a_office: User
) -> None:
    c = Client()
    c.force_login(city_office)
    transfers = _sheet(c.get(f"/stats/records/transferred/export.xlsx?{WEEK_Q}").content)[4:]
    assert sorted(r[0] for r in transfers) == sorted(
        [scenario.a1.number, scenario.a3.number, scenario.b2.number]
    )
    open_transfers = _sheet(c.get(f"/stats/records/open_transfers/export.xlsx?{WEEK_Q}").content)[
        4:
    ]
    assert sorted(r[0] for r in open_transfers) == sorted([scenario.a3.number, scenario.b2.number])
    c.force_login(county_a_office)
    tips = _sheet(c.get(f"/stats/records/received/export.xlsx?{WEEK_Q}").content)
    numbers = sorted(r[0] for r in tips[4:])
    assert numbers == sorted([scenario.a1.number, scenario.a2.number, scenario.a3.number])
    flat = str(tips)
    assert "王秀英" not in flat and "13805720001" not in flat


def test_crackdown_and_rectification_ledgers(
    crackdown: None, city_office: User, county_b_office: User
) -> None:
    c = Client()
    c.force_login(city_office)
    cases = _sheet(c.get(f"/stats/records/cases_filed/export.xlsx?{WEEK_Q}").content)
    assert cases[3][0] == "案件编号"
    assert sorted(r[0] for r in cases[4:]) == ["吴公刑〔2026〕9号", "长公刑〔2026〕3号"]
    suspects = _sheet(c.get(f"/stats/records/suspects_arrested/export.xlsx?{WEEK_Q}").content)
    assert [r[0] for r in suspects[4:]] == ["吴公刑〔2026〕9号"] * 2
    assert not any("甲某" in str(cell) for row in suspects for cell in row)  # no suspect names
    money = _sheet(c.get(f"/stats/records/recovered/export.xlsx?{WEEK_Q}").content)
    assert sorted(r[2] for r in money[4:]) == ["止付冻结", "止付冻结", "返还", "返还"]
    letters = _sheet(c.get(f"/stats/records/letters_overdue/export.xlsx?{WEEK_Q}").content)
    assert [r[1] for r in letters[4:]] == ["吴公提〔2026〕2号"]
    # County B's office gets county B's records only.
    c.force_login(county_b_office)
    cases_b = _sheet(c.get(f"/stats/records/cases_filed/export.xlsx?{WEEK_Q}").content)
    assert [r[0] for r in cases_b[4:]] == ["长公刑〔2026〕3号"]
    hazards_b = _sheet(c.get(f"/stats/records/hazards_found/export.xlsx?{WEEK_Q}").content)
    assert len(hazards_b[4:]) == 1
