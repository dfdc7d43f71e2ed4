"""The weekly report and the bulletin: issued with a number of their own register, rendered from
the stored content; read back, the .docx holds the right figures and names."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document

from conftest import World, file_tip
from silvershield.core.models import Counter
from silvershield.documents.bulletin import bulletin_docx
from silvershield.documents.weekly import weekly_docx
from silvershield.orgs.models import User
from silvershield.stats.models import IssuedReport
from silvershield.stats.services import report_issue
from silvershield.stats.tests.scenario import WEEK, Scenario, at, county_b_police, scenario

__all__ = ["county_b_police", "scenario"]
pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _table_row(text: str, first: str) -> list[str]:
    for line in text.splitlines():
        cells = line.split(" | ")
        if cells[0] == first:
            return cells
    raise AssertionError(first)


def test_weekly_report_figures_and_names(
    scenario: Scenario, city_office: User, world: World
) -> None:
    report = report_issue(
        actor=city_office,
        unit=world.city_office,
        kind="weekly",
        period=WEEK,
        narrative="本周各地加强线索甄别，成员单位按期反馈，下步重点督办超期事项。",
    )
    assert report.number == "湖州市专〔2026〕1号"
    assert Counter.objects.get(key=f"weekly:{world.city_office.pk}:2026").value == 1
    text = _text(weekly_docx(report))
    assert "湖州市打击整治养老诈骗工作周报" in text
    assert _table_row(text, "受理线索数")[:3] == ["受理线索数", "5", "1"]
    assert _table_row(text, "有效线索数")[1] == "3"
    assert _table_row(text, "当前超期数")[1] == "1"
    assert _table_row(text, "办结率")[1] == "33.3%"
    assert _table_row(text, "吴兴区")[1:3] == ["3", "2"]
    assert _table_row(text, "长兴县")[1:3] == ["2", "1"]
    overdue = _table_row(text, scenario.a3.number)
    assert overdue[1] == "吴兴公安分局" and overdue[2].startswith("周海峰")
    assert "受理线索数增加4件" in text
    assert "下步重点督办超期事项" in text
    # Issued reports never change: the stored content renders the same after new records.
    before = weekly_docx(report)
    with time_machine.travel(at(6), tick=False):
        file_tip(city_office, world.county_b, "补录线索")
    again = IssuedReport.objects.get(pk=report.pk)
    assert _text(weekly_docx(again)) == _text(before)
    with pytest.raises(PermissionError):
        again.save()


def test_chronically_late_units_named(scenario: Scenario, city_office: User, world: World) -> None:
    from silvershield.workflow.models import Transfer

    Transfer.objects.filter(tip=scenario.a3).update(reminder_count=2)
    report = report_issue(actor=city_office, unit=world.city_office, kind="weekly", period=WEEK)
    text = _text(weekly_docx(report))
    row = _table_row(text, "吴兴公安分局")
    assert row[2] == scenario.a3.number and row[3] == "2"


def test_narrative_may_not_carry_figures(
    scenario: Scenario, city_office: User, world: World
) -> None:
    with pytest.raises(ValidationError) as exc:
        report_issue(
            actor=city_office,
            unit=world.city_office,
            kind="weekly",
            period=WEEK,
            narrative="本周办结12件",
        )
    assert "不能自填数字" in str(exc.value)
    assert not IssuedReport.objects.exists()
    c = Client()
    c.force_login(city_office)
    warn = c.post(
        "/documents/weekly/narrative-check/", {"narrative": "共３件"}, HTTP_HX_REQUEST="true"
    )
    assert "工作分析中含有数字" in warn.content.decode()


def test_weekly_report_refuses_open_or_partial_weeks(
    scenario: Scenario, city_office: User, world: World
) -> None:
    from silvershield.stats.periods import Period, week_of

    with pytest.raises(ValidationError, match="尚未结束"):
        report_issue(
            actor=city_office, unit=world.city_office, kind="weekly", period=week_of(at(10).date())
        )
    with pytest.raises(ValidationError, match="一整周"):
        report_issue(
            actor=city_office,
            unit=world.city_office,
            kind="weekly",
            period=Period(WEEK.start, WEEK.start),
        )


def test_weekly_page_issues_and_downloads(
    scenario: Scenario, city_office: User, world: World, county_a_office: User
) -> None:
    c = Client()
    c.force_login(city_office)
    assert c.get("/documents/weekly/new/").status_code == 200
    response = c.post(
        "/documents/weekly/new/",
        {"office": world.city_office.pk, "week": "2026-11-04", "narrative": "各地工作推进有序。"},
    )
    assert response.status_code == 302
    report = IssuedReport.objects.get()
    download = c.get(f"/documents/reports/{report.pk}.docx")
    assert download.status_code == 200 and "受理线索数" in _text(download.content)
    # A county office cannot read the city's report.
    c.force_login(county_a_office)
    assert c.get(f"/documents/reports/{report.pk}.docx").status_code == 404


def test_bulletin_of_rankings(scenario: Scenario, city_office: User, world: World) -> None:
    report = report_issue(actor=city_office, unit=world.city_office, kind="bulletin", period=WEEK)
    assert report.number.endswith("〔2026〕1号")
    assert Counter.objects.get(key=f"bulletin:{world.city_office.pk}:2026").value == 1
    text = _text(bulletin_docx(report))
    assert "排名情况的通报" in text
    # One hand-made week is below every default indicator's minimum volume: listed, not ranked.
    row = _table_row(text, "未排名")
    assert row[-2] == "不参与排名" and "样本不足" in row[2]
    assert "吴兴区" in text and "长兴县" in text
    assert "吴兴公安分局" in text and "长兴县公安局" in text
    assert "周海峰" not in text  # units ranked, never people
    snapshot_rows: Any = report.content["regions"]["rows"]
    assert len(snapshot_rows) == 5
