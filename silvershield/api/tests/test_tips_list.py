from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silvershield.api.tests.conftest import COUNTY_A, COUNTY_B, REPORTER_PHONE, Caller, file_tip
from silvershield.intake.models import GrantReason, Tip, TipGrant, TipState

pytestmark = pytest.mark.django_db


def _numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


def test_city_office_sees_every_tip_of_the_city(
    city_office: Caller, tip_a: Tip, tip_b: Tip, tip_a_civil: Tip
) -> None:
    assert _numbers(city_office.get("/tips")) == {tip_a.number, tip_b.number, tip_a_civil.number}


def test_county_office_does_not_see_the_other_county(
    county_a_office: Caller, county_b_office: Caller, tip_a: Tip, tip_b: Tip, tip_a_civil: Tip
) -> None:
    assert _numbers(county_a_office.get("/tips")) == {tip_a.number, tip_a_civil.number}
    assert _numbers(county_b_office.get("/tips")) == {tip_b.number}


def test_county_police_does_not_see_civil_affairs_tip_until_granted(
    county_a_police: Caller, county_a_civil: Caller, tip_a_civil: Tip, tip_a: Tip
) -> None:
    assert _numbers(county_a_police.get("/tips")) == set()
    assert county_a_police.get(f"/tips/{tip_a_civil.pk}").status_code == 404
    assert _numbers(county_a_civil.get("/tips")) == {tip_a_civil.number}

    TipGrant.objects.create(
        tip=tip_a_civil, unit=county_a_police.user.units[0], reason=GrantReason.TRANSFER
    )

    assert _numbers(county_a_police.get("/tips")) == {tip_a_civil.number}
    assert county_a_police.get(f"/tips/{tip_a_civil.pk}").status_code == 200


def test_list_never_carries_reporter_identity(city_office: Caller, tip_a: Tip) -> None:
    response = city_office.get("/tips")
    text = response.content.decode()
    assert REPORTER_PHONE not in text
    assert "王秀英" not in text
    (item,) = response.json()["items"]
    assert item["is_anonymous"] is False
    assert "reporter" not in item
    assert item["money_amount"] == "50000.00"


def test_sysadmin_sees_no_tips(sysadmin: Caller, tip_a: Tip) -> None:
    assert sysadmin.get("/tips").status_code == 403
    assert sysadmin.get(f"/tips/{tip_a.pk}").status_code == 403


def test_filters(city_office: Caller, tip_a: Tip, tip_b: Tip) -> None:
    Tip.objects.filter(pk=tip_b.pk).update(state=TipState.SCREENED, channel="12345")
    assert _numbers(city_office.get("/tips", {"region": COUNTY_B})) == {tip_b.number}
    assert _numbers(city_office.get("/tips", {"region": "330502"})) == {tip_a.number}
    assert _numbers(city_office.get("/tips", {"state": "screened"})) == {tip_b.number}
    assert _numbers(city_office.get("/tips", {"channel": "phone"})) == {tip_a.number}
    assert _numbers(city_office.get("/tips", {"q": "保健品"})) == {tip_b.number}
    assert (
        _numbers(city_office.get("/tips", {"date_from": "2000-01-01", "date_to": "2000-01-02"}))
        == set()
    )


def test_bad_filters_are_400(city_office: Caller) -> None:
    response = city_office.get("/tips", {"region": "330599000000", "state": "lost"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["detail"]} == {"state"}
    response = city_office.get("/tips", {"region": "330599000000"})
    assert response.json()["detail"] == [{"field": "region", "message": "所选地区不存在"}]
    response = city_office.get("/tips", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.json()["detail"] == [
        {"field": "date_to", "message": "结束日期不能早于开始日期"}
    ]


def test_keyset_cursor_walks_every_tip_once(county_a_office: Caller) -> None:
    for n in range(5):
        file_tip(county_a_office, code=COUNTY_A, content=f"第{n}条线索：冒充社保局办理养老保险。")
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = county_a_office.get("/tips", params).json()
        seen += [item["number"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!not base64",
        _cursor(["yesterday", 1]),
        _cursor(["0001-01-01T00:00:00+14:00", 1]),
        _cursor(["9999-12-31T23:59:59-14:00", 1]),
        _cursor(["2026-01-01T00:00:00+08:00", 10**30]),
        _cursor({"a": 1}),  # type: ignore[arg-type]
    ],
)
def test_malformed_cursor_is_ignored(county_a_office: Caller, tip_a: Tip, cursor: str) -> None:
    assert _numbers(county_a_office.get("/tips", {"cursor": cursor})) == {tip_a.number}


def test_list_query_count_does_not_grow_with_rows(county_a_office: Caller) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert county_a_office.get("/tips").status_code == 200
        return len(ctx.captured_queries)

    file_tip(county_a_office, code=COUNTY_A, content="冒充民政局工作人员上门办理高龄补贴。")
    queries()  # the token's first use records last_used_at
    few = queries()
    for n in range(4):
        file_tip(county_a_office, code=COUNTY_A, content=f"第{n}条：以房养老骗局。")
    assert queries() == few
