"""The case ledger as .xlsx, read back: the user's scope, money and counts, no suspect names; the
list page filters and pages with a keyset."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World
from silvershield.core.models import AuditEvent
from silvershield.enforcement import services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago, new_case
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def test_export_reads_back(
    case_a: Case, case_b: Case, county_a_police: User, city_office: User
) -> None:
    freeze = services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="250000.00", on=days_ago(20)
    )
    services.recovery_record(
        actor=county_a_police,
        case=case_a,
        kind="return",
        amount="100000.00",
        on=days_ago(10),
        releases=[(freeze, "100000.00")],
    )
    services.suspect_add(
        actor=county_a_police, case=case_a, name="赵某某", status="arrested", caught_on=days_ago(9)
    )
    services.suspect_add(actor=county_a_police, case=case_a, name="钱某", status="at_large")
    client = Client()
    client.force_login(county_a_police)
    response = client.get(reverse("enforcement:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    heads = list(rows[3])
    assert heads[0] == "案件编号"
    data = rows[4:]
    assert [r[0] for r in data] == [case_a.number]  # county B's case is not in scope
    row = dict(zip(heads, data[0], strict=False))
    assert row["嫌疑人数"] == 2 and row["已抓获"] == 1 and row["在逃"] == 1
    assert Decimal(str(row["冻结扣押未返还（元）"])) == Decimal("150000")
    assert Decimal(str(row["已返还（元）"])) == Decimal("100000")
    assert Decimal(str(row["追赃挽损（元）"])) == Decimal("250000")
    assert Decimal(str(row["追赃挽损率"])) == Decimal("0.25")
    assert "赵某某" not in repr(rows) and "钱某" not in repr(rows)
    assert AuditEvent.objects.filter(action="case.exported").count() == 1

    client.force_login(city_office)
    sheet = load_workbook(io.BytesIO(client.get(reverse("enforcement:export")).content)).active
    assert sheet is not None
    numbers = {r[0] for r in list(sheet.iter_rows(values_only=True))[4:]}
    assert numbers == {case_a.number, case_b.number}


def test_list_filters_and_pages(
    world: World, county_a_police: User, django_assert_max_num_queries: Any
) -> None:
    for i in range(55):
        new_case(county_a_police, world.county_a_police, number=f"A-{i:03d}")
    client = Client()
    client.force_login(county_a_police)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("enforcement:list")).content.decode()
    assert page.count('href="/cases/') >= 50 and "加载更多" in page
    assert "A-054" in page and "A-004" not in page
    found = client.get(reverse("enforcement:list"), {"q": "A-017"}).content.decode()
    assert "A-017" in found and "A-018" not in found
    bad = client.get(
        reverse("enforcement:list"), {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert "结束日期不能早于开始日期" in bad.content.decode()
