"""The tip's whole life through the API, each step by the person who does it on the pages; the
work lists, the batch transfer with one letter, the letter and its .docx, chronic lateness."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from conftest import World, file_tip
from silvershield.api.tests.conftest import Caller
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip, TipState
from silvershield.workflow.models import (
    ChaseAction,
    ChaseKind,
    ExtensionState,
    ReportState,
    Transfer,
    TransferState,
)

pytestmark = pytest.mark.django_db

FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"


def _screened(
    caller: Caller, world: World, content: str = "养老公寓以预收床位费为名收取老人费用"
) -> Tip:
    tip = file_tip(caller.user, world.town_a, content)
    response = caller.post(
        f"/tips/{tip.pk}/classify", {"fraud_type": "elder_service", "version": tip.version}
    )
    assert response.status_code == 200, response.content
    return Tip.objects.get(pk=tip.pk)


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _state(tip: Tip) -> str:
    return Tip.objects.get(pk=tip.pk).state


def test_the_whole_life_of_a_tip_through_the_api(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    tip = file_tip(city_office.user, world.town_a, "有人以养老公寓预收费为名收取老人床位费")
    version = city_office.get(f"/tips/{tip.pk}").json()["version"]

    # 甄别 (city office)
    response = city_office.post(
        f"/tips/{tip.pk}/classify",
        {"fraud_type": "elder_service", "note": "多名老人来电", "version": version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == TipState.SCREENED
    assert body["state_label"] == "待转办"
    assert body["version"] == version + 1

    # 转办 with a co-operating unit and a deadline in working days
    response = city_office.post(
        f"/tips/{tip.pk}/transfer",
        {
            "lead_unit_id": world.county_a_police.pk,
            "co_unit_ids": [world.county_a_civil.pk],
            "working_days": 10,
            "note": "请从速核查",
            "version": body["version"],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["letter"]["number"].endswith("号")
    (transfer,) = created["transfers"]
    assert transfer["state"] == TransferState.PENDING
    assert transfer["lead_unit"]["id"] == world.county_a_police.pk
    assert [u["id"] for u in transfer["co_units"]] == [world.county_a_civil.pk]
    assert transfer["working_days"] == 10
    assert transfer["due_text"].endswith("24时")
    assert _state(tip) == TipState.TRANSFERRED

    # the police see it waiting to be signed, and sign it
    box = county_a_police.get("/transfers", {"box": "to_sign"})
    assert box.status_code == 200, box.content
    assert [t["id"] for t in box.json()["items"]] == [transfer["id"]]
    response = county_a_police.post(f"/transfers/{transfer['id']}/sign", {})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TransferState.SIGNED
    assert response.json()["signed_by_name"] == "周海峰"
    assert _state(tip) == TipState.VERIFYING
    box = county_a_police.get("/transfers", {"box": "to_verify"}).json()
    assert [t["id"] for t in box["items"]] == [transfer["id"]]

    # 核查报告
    response = county_a_police.post(
        f"/transfers/{transfer['id']}/report",
        {"conclusion": "true", "facts": FACTS, "measures": ["case_filed"]},
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["state"] == ReportState.SUBMITTED
    assert report["measure_labels"] == ["立案"]
    assert _state(tip) == TipState.REPORTED

    # the city office finds it in its review box and accepts it
    to_review = city_office.get("/reports", {"box": "to_review"}).json()["items"]
    assert [r["id"] for r in to_review] == [report["id"]]
    response = city_office.post(f"/reports/{report['id']}/review", {"accept": True, "note": ""})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == ReportState.ACCEPTED
    assert _state(tip) == TipState.ACCEPTED

    # 反馈 by the verifying unit
    response = county_a_police.post(
        f"/tips/{tip.pk}/feedback", {"text": "您反映的问题经核查属实，公安机关已立案侦查。"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"]["id"] == world.county_a_police.pk

    # 办结, then 回头看
    version = city_office.get(f"/tips/{tip.pk}").json()["version"]
    response = city_office.post(
        f"/tips/{tip.pk}/close", {"note": "核查属实，已立案", "version": version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipState.CLOSED
    response = city_office.post(
        f"/tips/{tip.pk}/reopen",
        {"reason": "回头看发现新的受害人", "version": response.json()["version"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipState.SCREENED

    # the whole story, as the tip's transfers
    story = city_office.get(f"/tips/{tip.pk}/transfers")
    assert story.status_code == 200, story.content
    assert story["Cache-Control"] == "no-store"
    data = story.json()
    (t,) = data["transfers"]
    assert t["letter"]["number"] == created["letter"]["number"]
    assert t["state"] == TransferState.DONE
    assert [r["state"] for r in t["reports"]] == [ReportState.ACCEPTED]
    assert [f["written_by_name"] for f in data["feedback"]] == ["周海峰"]
    actions = set(
        AuditEvent.objects.filter(object_type="intake.tip", object_id=str(tip.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "tip.classified",
        "tip.transferred",
        "transfer.signed",
        "report.submitted",
        "report.accepted",
        "feedback.written",
        "tip.closed",
        "tip.reopened",
    } <= actions


def test_send_back_and_report_returned(
    world: World, city_office: Caller, county_a_police: Caller, county_a_civil: Caller
) -> None:
    tip = _screened(city_office, world)
    (first,) = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk}
    ).json()["transfers"]
    response = county_a_police.post(
        f"/transfers/{first['id']}/send-back", {"reason": "属于民政部门职责"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TransferState.SENT_BACK
    assert _state(tip) == TipState.SCREENED

    (second,) = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_civil.pk}
    ).json()["transfers"]
    assert county_a_civil.post(f"/transfers/{second['id']}/sign", {}).status_code == 200
    report = county_a_civil.post(
        f"/transfers/{second['id']}/report",
        {"conclusion": "untrue", "facts": "经核查，该机构证照齐全，未发现预收费行为。"},
    ).json()
    response = city_office.post(
        f"/reports/{report['id']}/review", {"accept": False, "note": "请补充走访记录"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == ReportState.RETURNED
    assert Transfer.objects.get(pk=second["id"]).state == TransferState.RETURNED
    assert _state(tip) == TipState.VERIFYING


def test_invalidate_merge_and_unmerge(world: World, city_office: Caller) -> None:
    noise = file_tip(city_office.user, world.county_a, "楼下广场舞太吵")
    response = city_office.post(f"/tips/{noise.pk}/invalidate", {"reason": "噪音投诉，非诈骗线索"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipState.CLOSED

    original = file_tip(city_office.user, world.county_a, "养老公寓收会员费")
    duplicate = file_tip(city_office.user, world.county_a, "养老公寓收会员费（同一人再次来电）")
    response = city_office.post(f"/tips/{duplicate.pk}/merge", {"into_number": original.number})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipState.MERGED
    assert Tip.objects.get(pk=duplicate.pk).merged_into_id == original.pk
    response = city_office.post(f"/tips/{duplicate.pk}/merge", {"into_number": "NO-SUCH"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "into_number"
    response = city_office.post(f"/tips/{duplicate.pk}/unmerge", {})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TipState.RECEIVED


def test_batch_transfer_issues_one_letter(world: World, city_office: Caller) -> None:
    tips = [
        _screened(city_office, world, text)
        for text in ("保健品讲座推销", "以房养老抵押", "代办养老保险补缴")
    ]
    response = city_office.post(
        "/tips/transfer",
        {
            "tip_ids": [t.pk for t in tips],
            "lead_unit_id": world.county_a_police.pk,
            "versions": {str(t.pk): t.version for t in tips},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [t["tip"]["id"] for t in body["transfers"]] == [t.pk for t in tips]
    assert {t["letter"]["id"] for t in body["transfers"]} == {body["letter"]["id"]}
    letter = city_office.get(f"/letters/{body['letter']['id']}").json()
    assert [row["number"] for row in letter["tips"]] == [t.number for t in tips]
    assert letter["recipients"] == ["吴兴公安分局"]
    assert all(_state(t) == TipState.TRANSFERRED for t in tips)


def test_batch_transfer_is_all_or_nothing(world: World, city_office: Caller) -> None:
    screened = _screened(city_office, world)
    received = file_tip(city_office.user, world.town_a, "尚未甄别的线索")
    response = city_office.post(
        "/tips/transfer",
        {"tip_ids": [screened.pk, received.pk], "lead_unit_id": world.county_a_police.pk},
    )
    assert response.status_code == 400
    (error,) = response.json()["detail"]
    assert error["field"] == "tip_ids"
    assert "须先甄别" in error["message"]
    assert not Transfer.objects.exists()
    assert _state(screened) == TipState.SCREENED


def test_letter_and_docx_for_the_receiving_unit_not_another_county(
    world: World, city_office: Caller, county_a_police: Caller, county_b_office: Caller
) -> None:
    tip = _screened(city_office, world)
    body = city_office.post(
        f"/tips/{tip.pk}/transfer",
        {"lead_unit_id": world.county_a_police.pk, "absolute_due_on": "2099-12-31"},
    ).json()
    letter_id = body["letter"]["id"]

    letter = county_a_police.get(f"/letters/{letter_id}")
    assert letter.status_code == 200, letter.content
    data = letter.json()
    assert data["number"] == body["letter"]["number"]
    assert data["title"].startswith("关于转办养老诈骗线索的函")
    assert data["deadline_text"].endswith("前") or "24时" in data["deadline_text"]
    assert "核查结论" in data["requirements"]
    assert data["tips"][0]["number"] == tip.number

    docx = county_a_police.get(f"/letters/{letter_id}/docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in docx["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(docx.content))
    document = archive.read("word/document.xml").decode()
    assert body["letter"]["number"] in document
    assert AuditEvent.objects.filter(
        action="letter.downloaded", actor_id=county_a_police.user.pk
    ).exists()

    assert county_b_office.get(f"/letters/{letter_id}").status_code == 404
    assert county_b_office.get(f"/letters/{letter_id}/docx").status_code == 404
    assert county_b_office.get(f"/transfers/{body['transfers'][0]['id']}").status_code == 404


def test_extension_requested_and_granted(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    tip = _screened(city_office, world)
    (t,) = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk}
    ).json()["transfers"]
    county_a_police.post(f"/transfers/{t['id']}/sign", {})
    response = county_a_police.post(
        f"/transfers/{t['id']}/extension", {"extra_working_days": 5, "reason": "需调取银行流水"}
    )
    assert response.status_code == 201, response.content
    extension = response.json()
    assert extension["state"] == ExtensionState.PENDING
    pending = city_office.get("/extensions").json()["items"]
    assert [e["id"] for e in pending] == [extension["id"]]
    assert county_a_police.get("/extensions").json()["items"] == []
    response = city_office.post(f"/extensions/{extension['id']}/decide", {"grant": True})
    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["state"] == ExtensionState.GRANTED
    assert _at(decided["new_due_at"]) > _at(decided["old_due_at"])
    assert Transfer.objects.get(pk=t["id"]).due_at == _at(decided["new_due_at"])


def test_overdue_list_takeover_reassign_and_chronic_lateness(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    late_tip, other_tip = _screened(city_office, world), _screened(city_office, world, "以房养老")
    for tip in (late_tip, other_tip):
        city_office.post(f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk})
    late = Transfer.objects.get(tip=late_tip)
    other = Transfer.objects.get(tip=other_tip)
    past = timezone.now() - dt.timedelta(days=30)
    Transfer.objects.filter(pk__in=[late.pk, other.pk]).update(
        due_at=past, reminder_count=2, last_reminder_at=past
    )
    county_a_police.post(f"/transfers/{late.pk}/sign", {})

    overdue = city_office.get("/transfers", {"box": "overdue"}).json()["items"]
    assert {t["id"] for t in overdue} == {late.pk, other.pk}
    assert all(t["is_overdue"] for t in overdue)

    items = city_office.get("/transfers/late").json()["items"]
    by_id = {i["transfer_id"]: i for i in items}
    assert by_id[late.pk]["unit"]["name"] == "吴兴公安分局"
    assert by_id[late.pk]["responsible_name"] == "周海峰"
    assert by_id[other.pk]["responsible_name"] == "吴兴公安分局（未签收）"

    # the unit itself cannot take over or reassign its own late work
    response = county_a_police.post(f"/transfers/{late.pk}/take-over", {"note": "本单位自行兜底"})
    assert response.status_code == 403

    response = city_office.post(
        f"/transfers/{late.pk}/take-over", {"note": "分局超期未报，市级兜底"}
    )
    assert response.status_code == 201, response.content
    takeover = response.json()
    assert takeover["lead_unit"]["id"] == world.city_office.pk
    assert takeover["state"] == TransferState.SIGNED
    assert Transfer.objects.get(pk=late.pk).state == TransferState.WITHDRAWN
    assert ChaseAction.objects.filter(transfer=late, kind=ChaseKind.TAKEOVER).exists()

    response = city_office.post(
        f"/transfers/{other.pk}/reassign",
        {"to_unit_id": world.county_a_civil.pk, "note": "公安超期未签收，改派民政"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_unit"]["id"] == world.county_a_civil.pk
    assert Transfer.objects.get(pk=other.pk).state == TransferState.WITHDRAWN
    chases = city_office.get(f"/transfers/{other.pk}").json()["chases"]
    assert [c["kind"] for c in chases] == [ChaseKind.REASSIGN]
    assert city_office.get("/transfers/late").json()["items"] == []


def test_retransfer_down_to_a_station(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    from silvershield.orgs.models import Sector, Unit, UnitKind

    station = Unit.objects.create(
        name="织里派出所",
        kind=UnitKind.MEMBER,
        sector=Sector.POLICE,
        region=world.town_a,
        parent=world.county_a_police,
    )
    tip = _screened(city_office, world)
    (t,) = city_office.post(
        f"/tips/{tip.pk}/transfer", {"lead_unit_id": world.county_a_police.pk}
    ).json()["transfers"]
    county_a_police.post(f"/transfers/{t['id']}/sign", {})
    response = county_a_police.post(
        f"/transfers/{t['id']}/retransfer",
        {"to_unit_id": station.pk, "working_days": 60, "note": "请派出所走访核实"},
    )
    assert response.status_code == 201, response.content
    child = response.json()
    assert child["parent_id"] == t["id"]
    assert child["lead_unit"]["id"] == station.pk
    assert _at(child["due_at"]) <= _at(t["due_at"])
    assert Transfer.objects.get(pk=t["id"]).state == TransferState.DELEGATED
    assert child["letter"]["id"] != t["letter"]["id"]
