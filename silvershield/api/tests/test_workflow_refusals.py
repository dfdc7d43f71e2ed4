"""Refused workflow steps through the API: illegal transitions (400, Chinese message, nothing
changed), the wrong unit (403/404), 回避, a stale version (409), bad input."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World, file_tip
from silvershield.api.tests.conftest import Caller
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip, TipState
from silvershield.workflow.models import (
    ReporterFeedback,
    Transfer,
    TransferState,
    VerificationReport,
)

pytestmark = pytest.mark.django_db

FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"


def _screened(
    caller: Caller, world: World, content: str = "养老公寓以预收床位费为名收取老人费用"
) -> Tip:
    tip = file_tip(caller.user, world.town_a, content)
    assert (
        caller.post(f"/tips/{tip.pk}/classify", {"fraud_type": "elder_service"}).status_code == 200
    )
    return Tip.objects.get(pk=tip.pk)


def _transferred(caller: Caller, world: World) -> tuple[Tip, int]:
    tip = _screened(caller, world)
    response = caller.post(f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk})
    assert response.status_code == 201, response.content
    return Tip.objects.get(pk=tip.pk), response.json()["transfers"][0]["id"]


def _refused(response: Any, text: str, field: str | None = None) -> None:
    assert response.status_code == 400, response.content
    errors = response.json()["detail"]
    assert any(text in e["message"] for e in errors), errors
    if field is not None:
        assert any(e["field"] == field for e in errors), errors


def _snapshot(tip: Tip) -> tuple[str, int, int, int]:
    fresh = Tip.objects.get(pk=tip.pk)
    return (
        fresh.state,
        fresh.version,
        Transfer.objects.filter(tip=tip).count(),
        AuditEvent.objects.count(),
    )


def test_refused_transitions_from_several_states_change_nothing(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    # received (待甄别): cannot be transferred, closed or reopened
    received = file_tip(city_office.user, world.town_a, "尚未甄别的线索")
    before = _snapshot(received)
    _refused(
        city_office.post(
            f"/tips/{received.pk}/transfer", {"lead_unit_id": world.county_a_police.pk}
        ),
        "须先甄别",
    )
    _refused(city_office.post(f"/tips/{received.pk}/close", {}), "才能办结", field=None)
    _refused(
        city_office.post(f"/tips/{received.pk}/reopen", {"reason": "回头看一下"}), "只有已办结"
    )
    _refused(city_office.post(f"/tips/{received.pk}/unmerge", {}), "没有被合并")
    assert _snapshot(received) == before

    # transferred (待签收): no report before signing, no feedback, no second screening
    tip, transfer_id = _transferred(city_office, world)
    before = _snapshot(tip)
    _refused(
        county_a_police.post(
            f"/transfers/{transfer_id}/report",
            {"conclusion": "true", "facts": FACTS, "measures": ["case_filed"]},
        ),
        "请先签收",
    )
    _refused(
        county_a_police.post(f"/tips/{tip.pk}/feedback", {"text": "已经处理完毕，感谢您的举报。"}),
        "审核通过后",
    )
    _refused(
        city_office.post(f"/tips/{tip.pk}/classify", {"fraud_type": "elder_aid"}), "不能再甄别"
    )
    assert _snapshot(tip) == before
    assert not VerificationReport.objects.exists()
    assert not ReporterFeedback.objects.exists()

    # signed (核查中): cannot be sent back any more; signing again is a harmless retry
    assert county_a_police.post(f"/transfers/{transfer_id}/sign", {}).status_code == 200
    before = _snapshot(tip)
    _refused(
        county_a_police.post(f"/transfers/{transfer_id}/send-back", {"reason": "不是我们的事"}),
        "只有待签收",
    )
    again = county_a_police.post(f"/transfers/{transfer_id}/sign", {})
    assert again.status_code == 200
    assert again.json()["state"] == TransferState.SIGNED
    assert Transfer.objects.get(pk=transfer_id).state == TransferState.SIGNED
    assert _snapshot(tip)[:3] == before[:3]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"conclusion": "true", "facts": "属实", "measures": ["case_filed"]}, "facts"),
        ({"conclusion": "true", "facts": FACTS, "measures": []}, "measures"),
        ({"conclusion": "true", "facts": FACTS, "measures": ["other"]}, "measures_note"),
        ({"conclusion": "maybe", "facts": FACTS}, "conclusion"),
        ({"conclusion": "true", "facts": FACTS, "measures": ["jail"]}, "measures.0"),
        (
            {
                "conclusion": "true",
                "facts": "经核查，举报内容不属实，该机构手续齐全。",
                "measures": ["case_filed"],
            },
            "conclusion",
        ),
    ],
)
def test_empty_or_ambiguous_reports_are_refused(
    world: World, city_office: Caller, county_a_police: Caller, body: dict[str, Any], field: str
) -> None:
    _, transfer_id = _transferred(city_office, world)
    county_a_police.post(f"/transfers/{transfer_id}/sign", {})
    response = county_a_police.post(f"/transfers/{transfer_id}/report", body)
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["detail"]}
    assert Transfer.objects.get(pk=transfer_id).state == TransferState.SIGNED
    assert not VerificationReport.objects.exists()


def test_another_unit_cannot_sign(
    world: World,
    city_office: Caller,
    county_a_civil: Caller,
    county_b_office: Caller,
    county_a_police: Caller,
) -> None:
    tip, transfer_id = _transferred(city_office, world)
    # 吴兴区民政局 does not see the police's transfer at all; 长兴县 neither
    assert county_a_civil.post(f"/transfers/{transfer_id}/sign", {}).status_code == 404
    assert county_b_office.post(f"/transfers/{transfer_id}/sign", {}).status_code == 404
    # the city office sees it but is not the lead unit
    response = city_office.post(f"/transfers/{transfer_id}/sign", {})
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限"}
    assert Transfer.objects.get(pk=transfer_id).state == TransferState.PENDING
    assert Tip.objects.get(pk=tip.pk).state == TipState.TRANSFERRED
    # a unit cannot screen or transfer a tip it merely handles
    assert (
        county_a_police.post(f"/tips/{tip.pk}/classify", {"fraud_type": "elder_aid"}).status_code
        == 403
    )
    # nor review a report it would write itself
    assert county_a_police.get("/reports").json()["items"] == []


def test_a_co_operating_unit_sees_but_cannot_sign(
    world: World, city_office: Caller, county_a_civil: Caller
) -> None:
    tip = _screened(city_office, world)
    body = city_office.post(
        f"/tips/{tip.pk}/transfer",
        {"lead_unit_id": world.county_a_police.pk, "co_unit_ids": [world.county_a_civil.pk]},
    ).json()
    transfer_id = body["transfers"][0]["id"]
    assert county_a_civil.get(f"/transfers/{transfer_id}").status_code == 200
    assert county_a_civil.get(f"/letters/{body['letter']['id']}").status_code == 200
    assert county_a_civil.post(f"/transfers/{transfer_id}/sign", {}).status_code == 403


def test_out_of_scope_tip_is_404(
    world: World, city_office: Caller, county_b_office: Caller
) -> None:
    tip = _screened(city_office, world)
    for path, body in [
        (f"/tips/{tip.pk}/classify", {"fraud_type": "elder_aid"}),
        (f"/tips/{tip.pk}/invalidate", {"reason": "看不到的线索"}),
        (f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_b_police.pk}),
        (f"/tips/{tip.pk}/close", {}),
    ]:
        response = county_b_office.post(path, body)
        assert response.status_code == 404, (path, response.content)
    assert county_b_office.get(f"/tips/{tip.pk}/transfers").status_code == 404
    response = county_b_office.post(
        "/tips/transfer", {"tip_ids": [tip.pk], "lead_unit_id": world.county_b_police.pk}
    )
    assert response.status_code == 404
    assert Tip.objects.get(pk=tip.pk).state == TipState.SCREENED


def test_the_accused_unit_never_handles_the_tip(world: World, city_office: Caller) -> None:
    tip = file_tip(city_office.user, world.town_a, "举报吴兴公安分局民警收受养老公寓好处，包庇诈骗")
    Tip.objects.filter(pk=tip.pk).update(accused_unit=world.county_a_police)
    city_office.post(f"/tips/{tip.pk}/classify", {"fraud_type": "elder_service"})
    before = _snapshot(tip)
    response = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk}
    )
    _refused(response, "回避", field="lead_unit_id")
    assert "上级" in response.json()["detail"][0]["message"]
    response = city_office.post(
        f"/tips/{tip.pk}/transfer",
        {"lead_unit_id": world.county_a_civil.pk, "co_unit_ids": [world.county_a_police.pk]},
    )
    _refused(response, "回避")
    assert _snapshot(tip) == before


def test_a_stale_version_is_409_and_nothing_is_written(world: World, city_office: Caller) -> None:
    tip = file_tip(city_office.user, world.town_a)
    seen = city_office.get(f"/tips/{tip.pk}").json()["version"]
    # a colleague classifies it meanwhile
    first = city_office.post(
        f"/tips/{tip.pk}/classify", {"fraud_type": "elder_service", "version": seen}
    )
    assert first.status_code == 200
    after = _snapshot(tip)
    # the second decision, taken on the old view of the tip, is refused as stale
    response = city_office.post(
        f"/tips/{tip.pk}/classify", {"fraud_type": "elder_product", "version": seen}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": [{"field": "__all__", "message": StaleRecordError.message}]
    }
    assert _snapshot(tip) == after
    assert Tip.objects.get(pk=tip.pk).fraud_type == "elder_service"


def test_a_stale_version_on_transfer_is_409(world: World, city_office: Caller) -> None:
    tip = _screened(city_office, world)
    stale = tip.version - 1
    response = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk, "version": stale}
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["message"].startswith("该记录已被他人修改")
    assert not Transfer.objects.exists()
    from silvershield.workflow.models import TransferLetter

    assert not TransferLetter.objects.exists()
    assert Tip.objects.get(pk=tip.pk).state == TipState.SCREENED


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/classify", {"fraud_type": "none"}, "fraud_type"),
        ("/classify", {"fraud_type": "bogus"}, "fraud_type"),
        ("/classify", {}, "fraud_type"),
        ("/invalidate", {"reason": "短"}, "reason"),
        ("/transfer", {"lead_unit_id": 999999}, "lead_unit_id"),
        ("/transfer", {"lead_unit_id": "x"}, "lead_unit_id"),
        ("/transfer", {"lead_unit_id": "LEAD", "working_days": 0}, "working_days"),
        ("/transfer", {"lead_unit_id": "LEAD", "co_unit_ids": [999999]}, "co_unit_ids"),
        ("/classify", {"fraud_type": "elder_aid", "version": 0}, "version"),
    ],
)
def test_bad_input_is_400_with_the_field(
    world: World, city_office: Caller, path: str, body: dict[str, Any], field: str
) -> None:
    tip = file_tip(city_office.user, world.town_a)
    if body.get("lead_unit_id") == "LEAD":
        body = {**body, "lead_unit_id": world.county_a_police.pk}
    response = city_office.post(f"/tips/{tip.pk}{path}", body)
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["detail"]}
    assert Tip.objects.get(pk=tip.pk).version == tip.version


def test_transfer_target_outside_the_tips_region(world: World, city_office: Caller) -> None:
    tip = _screened(city_office, world)
    _refused(
        city_office.post(f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_b_police.pk}),
        "不负责线索所在地区",
        field="lead_unit_id",
    )


def test_transfer_lists_need_the_handling_permission(
    world: World, sysadmin: Caller, city_office: Caller
) -> None:
    assert sysadmin.get("/transfers", {"box": "to_sign"}).status_code == 403
    assert sysadmin.get("/transfers/late").status_code == 403
    assert sysadmin.get("/extensions").status_code == 403
    response = city_office.get("/transfers", {"box": "bogus"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "box"
    assert city_office.get("/transfers/999999").status_code == 404
    assert city_office.get("/letters/999999/docx").status_code == 404


def test_the_existing_tip_routes_still_work(world: World, city_office: Caller) -> None:
    tip = file_tip(city_office.user, world.town_a)
    assert city_office.get(f"/tips/{tip.pk}").status_code == 200
    assert city_office.get("/tips").status_code == 200
    # the batch route does not swallow a tip id
    assert city_office.get("/tips/transfer").status_code in (400, 404, 405)
