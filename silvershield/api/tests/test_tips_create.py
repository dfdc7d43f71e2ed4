from __future__ import annotations

from typing import Any

import pytest

from silvershield.api.tests.conftest import COUNTY_A, COUNTY_B, REPORTER_PHONE, Caller
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip, TipReporter
from silvershield.intake.services import MAX_CONTENT

pytestmark = pytest.mark.django_db


def _tip(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "phone",
        "region_code": COUNTY_A,
        "content": "老人反映有人以投资养老项目为名吸收资金，年化收益20%。",
        "title": "养老项目集资",
        "involved_institution": "某某康养投资公司",
        "money_amount": "120000.5",
        "victim_count": 3,
        "occurred_on": "2026-01-05",
        "received_at": "2026-01-06T09:30:00+08:00",
        "reporter": {"name": "王秀英", "phone": REPORTER_PHONE, "id_number": "", "address": ""},
    }
    body.update(overrides)
    return body


def _errors(response: Any) -> dict[str | None, str]:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def test_create_returns_201_with_number(county_a_office: Caller) -> None:
    response = county_a_office.post("/tips", _tip())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("XS2026")
    assert body["state"] == "received"
    assert body["is_anonymous"] is False
    tip = Tip.objects.get(pk=body["id"])
    assert tip.owner_unit.name == "吴兴区专项办"
    assert str(tip.money_amount) == "120000.50"
    assert TipReporter.objects.get(tip=tip).phone == REPORTER_PHONE
    assert AuditEvent.objects.filter(action="tip.created", object_id=str(tip.pk)).count() == 1


def test_create_without_reporter_is_anonymous(county_a_office: Caller) -> None:
    response = county_a_office.post("/tips", _tip(reporter=None))
    assert response.status_code == 201
    assert response.json()["is_anonymous"] is True
    assert not TipReporter.objects.filter(tip_id=response.json()["id"]).exists()


def test_unknown_region_is_a_field_error(county_a_office: Caller) -> None:
    assert _errors(county_a_office.post("/tips", _tip(region_code="330599000000"))) == {
        "region_code": "所选地区不存在"
    }


def test_region_outside_the_unit_is_refused(county_a_office: Caller) -> None:
    errors = _errors(county_a_office.post("/tips", _tip(region_code=COUNTY_B)))
    assert errors["region_code"] == "该地区不在您单位的管辖范围内"
    assert not Tip.objects.exists()


def test_service_errors_keep_their_chinese_messages(county_a_office: Caller) -> None:
    errors = _errors(
        county_a_office.post("/tips", _tip(reporter={"phone": "12345"}, occurred_on="2999-01-01"))
    )
    assert errors == {
        "reporter.phone": "请填写有效的手机号码或带区号的固定电话",
        "occurred_on": "发生日期不能晚于今天",
    }


def test_schema_errors_are_400_with_field_names(county_a_office: Caller) -> None:
    errors = _errors(
        county_a_office.post("/tips", {"channel": "carrier-pigeon", "money_amount": "-1"})
    )
    assert errors["content"] == "必填"
    assert errors["region_code"] == "必填"
    assert errors["channel"].startswith("取值无效")
    assert errors["money_amount"] == "不能小于0"


def test_huge_content_is_400(county_a_office: Caller) -> None:
    errors = _errors(county_a_office.post("/tips", _tip(content="骗" * (MAX_CONTENT + 1))))
    assert errors == {"content": f"不超过{MAX_CONTENT}个字符"}


def test_blank_content_is_400(county_a_office: Caller) -> None:
    assert _errors(county_a_office.post("/tips", _tip(content="   "))) == {
        "content": "请填写线索内容"
    }


def test_naive_received_at_is_400(county_a_office: Caller) -> None:
    errors = _errors(county_a_office.post("/tips", _tip(received_at="2026-01-06T09:30:00")))
    assert "时区" in errors["received_at"]


def test_body_that_is_not_json_is_400(county_a_office: Caller) -> None:
    response = county_a_office.client.post(
        "/api/tips",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {county_a_office.token}"},
    )
    errors = _errors(response)
    assert list(errors) == [None]


def test_sysadmin_cannot_file_tips(sysadmin: Caller) -> None:
    assert sysadmin.post("/tips", _tip()).status_code == 403
    assert not Tip.objects.exists()


def test_body_over_the_upload_limit_is_400(county_a_office: Caller, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    errors = _errors(county_a_office.post("/tips", _tip(content="骗" * 20_000)))
    assert errors == {None: "请求内容过大"}
    assert not Tip.objects.exists()
