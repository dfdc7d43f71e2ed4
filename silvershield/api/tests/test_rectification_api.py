"""The rectification ledger through the API: the same services, scoping and refusals as the pages.

People (api/tests/conftest.py): ``county_a_office`` (吴兴区专项办), ``county_a_civil`` (吴兴区民政局,
the sector regulator), ``county_a_police`` (吴兴公安分局), ``county_b_office`` (长兴县专项办).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from silvershield.api.api import api
from silvershield.api.tests.conftest import COUNTY_A, Caller, file_tip
from silvershield.intake.models import ClusterMember, LinkCluster
from silvershield.orgs.models import Sector
from silvershield.rectification import services
from silvershield.rectification.models import (
    Evidence,
    Hazard,
    Institution,
    InstitutionKind,
    InstitutionTipLink,
    Letter,
    LetterKind,
    LicenceStatus,
    Progress,
    Rule,
    Task,
    TaskSource,
    TaskState,
)
from silvershield.rectification.tests.conftest import EXE, PDF, PNG, VALID_USCC

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def institution(world: World, county_a_civil: Caller) -> Institution:
    return services.institution_create(
        actor=county_a_civil.user,
        name="湖州市吴兴区福寿康养老服务有限公司",
        kind=InstitutionKind.ELDER_CARE,
        sector=Sector.CIVIL_AFFAIRS,
        region=world.town_a,
        licence_status=LicenceStatus.LICENSED,
        uscc=VALID_USCC,
        regulator=world.county_a_civil,
    )


@pytest.fixture
def hazard(world: World, county_a_office: Caller, institution: Institution) -> Hazard:
    return services.hazard_create(
        actor=county_a_office.user,
        institution=institution,
        sector=Sector.CIVIL_AFFAIRS,
        region=world.town_a,
        problem="养老机构以“会员卡”名义预收老人费用，金额超过规定上限",
        unit=world.county_a_civil,
        found_on=TODAY(),
        due_on=TODAY() + dt.timedelta(days=30),
    )


@pytest.fixture
def task(world: World, county_a_office: Caller) -> Task:
    return services.task_create(
        actor=county_a_office.user,
        title="规范养老机构预收费管理",
        source=TaskSource.SUPERVISION,
        source_note="督导发现部分养老机构违规预收大额费用",
        lead_unit=world.county_a_civil,
        co_units=[world.county_a_police],
        measures="全面排查辖区养老机构预收费情况，建立资金监管账户",
        responsible_name="郑雅琴",
        due_on=TODAY() + dt.timedelta(days=60),
    )


@pytest.fixture
def letter(world: World, county_a_police: Caller) -> Letter:
    return services.letter_issue(
        actor=county_a_police.user,
        kind=LetterKind.POLICE,
        number="吴公提〔2026〕1号",
        recipient=world.county_a_civil,
        problem="养老机构预收费监管存在漏洞，未建立资金监管账户",
        issued_on=TODAY(),
        reply_due_on=TODAY() + dt.timedelta(days=30),
    )


def upload(caller: Caller, path: str, fields: dict[str, Any]) -> Any:
    """A multipart/form-data POST (fields and files), as an integration sends evidence."""
    return caller.client.post(
        f"/api{path}", fields, headers={"Authorization": f"Bearer {caller.token}"}
    )


def errors(response: Any) -> dict[str | None, str]:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def actions(detail: dict[str, Any]) -> list[str]:
    return [e["action"] for e in detail["timeline"]]


# -- rectification tasks --------------------------------------------------------------------------


def test_a_task_lives_through_the_api(
    world: World, county_a_office: Caller, county_a_civil: Caller
) -> None:
    due = TODAY() + dt.timedelta(days=60)
    created = county_a_office.post(
        "/rectification/tasks",
        {
            "title": "规范养老机构预收费管理",
            "source": "supervision",
            "source_note": "督导发现部分养老机构违规预收大额费用",
            "lead_unit_id": world.county_a_civil.pk,
            "co_unit_ids": [world.county_a_police.pk],
            "measures": "全面排查辖区养老机构预收费情况，建立资金监管账户",
            "responsible_name": "郑雅琴",
            "due_on": due.isoformat(),
            "milestones": [
                {"title": "完成全面排查", "due_on": (due - dt.timedelta(days=30)).isoformat()}
            ],
        },
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["state"] == "open"
    assert task["lead_unit"]["id"] == world.county_a_civil.pk
    assert [u["id"] for u in task["co_units"]] == [world.county_a_police.pk]
    path = f"/rectification/tasks/{task['id']}"

    progress = upload(
        county_a_civil,
        f"{path}/progress",
        {"text": "监管账户已开立", "attachments": [SimpleUploadedFile("账户.pdf", PDF)]},
    )
    assert progress.status_code == 201, progress.content
    (evidence,) = progress.json()["evidence"]
    assert evidence["name"] == "账户.pdf"
    assert evidence["content_type"] == "application/pdf"
    got = county_a_office.get(f"/rectification/evidence/{evidence['id']}")
    assert got.status_code == 200 and got.content == PDF

    submitted = county_a_civil.post(f"{path}/submit", {"summary": "全部机构已开立监管账户"})
    assert submitted.json()["state"] == "submitted", submitted.content
    checked = county_a_office.post(f"{path}/check", {"accept": True, "note": "抽查3家属实"})
    assert checked.json()["state"] == "checked", checked.content
    closed = county_a_civil.post(f"{path}/close", {"note": ""})
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"

    detail = county_a_office.get(path).json()
    assert detail["evidence_count"] == 1
    assert [m["title"] for m in detail["milestones"]] == ["完成全面排查"]
    assert actions(detail) == [
        "task.created",
        "task.progress",
        "task.submitted",
        "task.checked",
        "task.closed",
    ]


def test_a_task_is_not_closed_on_paper(task: Task, county_a_civil: Caller) -> None:
    path = f"/rectification/tasks/{task.pk}"
    closing = errors(county_a_civil.post(f"{path}/close", {}))
    assert "没有整改佐证材料" in closing[None]
    submitting = errors(county_a_civil.post(f"{path}/submit", {"summary": "已全部整改完毕"}))
    assert "佐证材料" in submitting[None]
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


def test_closing_before_the_office_checks_is_refused(
    task: Task, county_a_civil: Caller, county_a_office: Caller
) -> None:
    path = f"/rectification/tasks/{task.pk}"
    upload(
        county_a_civil,
        f"{path}/progress",
        {"text": "已开立监管账户", "attachments": [SimpleUploadedFile("p.png", PNG)]},
    )
    assert "核验" in errors(county_a_civil.post(f"{path}/close", {}))[None]
    county_a_civil.post(f"{path}/submit", {"summary": "全部整改完毕"})
    # The lead unit cannot check its own work; the office may, and a refusal needs a reason.
    assert county_a_civil.post(f"{path}/check", {"accept": True}).status_code == 403
    assert "note" in errors(county_a_office.post(f"{path}/check", {"accept": False}))
    returned = county_a_office.post(f"{path}/check", {"accept": False, "note": "仍有2家未开立账户"})
    assert returned.json()["state"] == "open"


def test_a_renamed_exe_is_refused_and_nothing_is_saved(task: Task, county_a_civil: Caller) -> None:
    response = upload(
        county_a_civil,
        f"/rectification/tasks/{task.pk}/progress",
        {
            "text": "已完成排查",
            "attachments": [
                SimpleUploadedFile("现场.png", PNG),
                SimpleUploadedFile("照片.png", EXE, content_type="image/png"),
            ],
        },
    )
    assert "不是PDF、JPEG、PNG文件" in errors(response)["attachments"]
    assert not Progress.objects.exists()
    assert not Evidence.objects.exists()


def test_progress_needs_its_text(task: Task, county_a_civil: Caller) -> None:
    response = upload(county_a_civil, f"/rectification/tasks/{task.pk}/progress", {})
    assert errors(response) == {"text": "必填"}
    assert "text" in errors(
        upload(county_a_civil, f"/rectification/tasks/{task.pk}/progress", {"text": "好"})
    )


def test_staged_goals_and_milestones(task: Task, county_a_civil: Caller) -> None:
    first, last = TODAY() + dt.timedelta(days=20), TODAY() + dt.timedelta(days=120)
    path = f"/rectification/tasks/{task.pk}"
    refused = errors(county_a_civil.post(f"{path}/stage-goals", {"reason": "", "goals": []}))
    assert set(refused) == {"reason", "goals"}
    staged = county_a_civil.post(
        f"{path}/stage-goals",
        {
            "reason": "涉及机构多，需分批整改",
            "goals": [
                {"title": "完成一期整改", "due_on": first.isoformat()},
                {"title": "全面完成整改", "due_on": last.isoformat()},
            ],
        },
    )
    assert staged.status_code == 200, staged.content
    assert staged.json()["due_on"] == last.isoformat()
    goal = task.milestones.get(title="完成一期整改")
    done = county_a_civil.post(f"{path}/milestones/{goal.pk}/done", {"note": "一期完成"})
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert county_a_civil.post(f"{path}/milestones/999999/done", {}).status_code == 404


def test_task_refusals_name_their_fields(
    world: World, county_a_office: Caller, hazard: Hazard
) -> None:
    body = {
        "title": "过期任务",
        "source": "hazard",
        "lead_unit_id": world.county_a_civil.pk,
        "co_unit_ids": [world.county_a_civil.pk],
        "measures": "这是一个已经过期的任务",
        "responsible_name": "某某",
        "due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
    }
    refused = errors(county_a_office.post("/rectification/tasks", body))
    assert set(refused) == {"due_on", "hazard_id", "co_unit_ids"}
    assert "不能早于今天" in refused["due_on"]
    missing = errors(county_a_office.post("/rectification/tasks", {**body, "lead_unit_id": 999999}))
    assert missing == {"lead_unit_id": "所选单位不存在或已停用，请从单位名录中选择"}
    assert not Task.objects.exists()


# -- 三书一函 --------------------------------------------------------------------------------------


def test_a_letter_is_issued_replied_and_acted_on(
    world: World, county_a_police: Caller, county_a_civil: Caller
) -> None:
    issued = county_a_police.post(
        "/rectification/letters",
        {
            "kind": "police",
            "number": "吴公提〔2026〕7号",
            "recipient_id": world.county_a_civil.pk,
            "problem": "养老机构预收费监管存在漏洞，未建立资金监管账户",
            "suggestions": "建立预收费资金监管制度",
            "issued_on": TODAY().isoformat(),
            "reply_due_on": (TODAY() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert issued.status_code == 201, issued.content
    letter = issued.json()
    assert letter["state"] == "issued" and letter["recipient"]["id"] == world.county_a_civil.pk
    path = f"/rectification/letters/{letter['id']}"
    # Only the recipient replies.
    assert county_a_police.post(f"{path}/reply", {"reply": "已收悉，正在整改"}).status_code == 403
    replied = county_a_civil.post(f"{path}/reply", {"reply": "已收悉，正在整改"})
    assert replied.json()["state"] == "replied", replied.content
    again = errors(county_a_civil.post(f"{path}/reply", {"reply": "再次回复内容"}))
    assert again == {None: "该文书已回复"}
    rectified = county_a_civil.post(
        f"{path}/rectification", {"rectification": "已建立资金监管账户"}
    )
    assert rectified.json()["state"] == "rectified", rectified.content
    rule = upload(
        county_a_civil,
        "/rectification/rules",
        {
            "title": "养老机构预收费资金监管办法",
            "kind": "regulation",
            "issued_on": TODAY().isoformat(),
            "letter_id": str(letter["id"]),
            "attachments": [SimpleUploadedFile("办法.pdf", PDF)],
        },
    )
    assert rule.status_code == 201, rule.content
    assert rule.json()["unit"]["id"] == world.county_a_civil.pk

    detail = county_a_civil.get(path).json()
    assert [r["title"] for r in detail["rules"]] == ["养老机构预收费资金监管办法"]
    assert actions(detail) == [
        "letter.issued",
        "letter.replied",
        "letter.rectified",
        "letter.rule_made",
    ]
    # The issuer reads the letter's history, but the rule is 民政's own record.
    assert county_a_police.get(path).json()["rules"] == []
    rule_detail = county_a_civil.get(f"/rectification/rules/{rule.json()['id']}").json()
    assert [d["name"] for d in rule_detail["documents"]] == ["办法.pdf"]
    listed = county_a_civil.get("/rectification/rules").json()["items"]
    assert [r["id"] for r in listed] == [rule.json()["id"]]


def test_a_letter_to_nobody_or_due_before_issue_is_refused(
    world: World, county_a_police: Caller, institution: Institution
) -> None:
    body = {
        "kind": "police",
        "number": "吴公提〔2026〕9号",
        "recipient_id": 999999,
        "problem": "养老机构预收费监管存在漏洞",
        "issued_on": TODAY().isoformat(),
        "reply_due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
    }
    refused = errors(county_a_police.post("/rectification/letters", body))
    assert refused == {
        "recipient_id": "主送单位不存在或已停用，请从单位名录中选择",
        "reply_due_on": "回复期限必须晚于制发日期",
    }
    same_day = {
        **body,
        "recipient_id": world.county_a_civil.pk,
        "reply_due_on": TODAY().isoformat(),
    }
    assert set(errors(county_a_police.post("/rectification/letters", same_day))) == {"reply_due_on"}
    # An institution outside the issuer's scope (民政 registered it) cannot be named.
    valid = {**same_day, "reply_due_on": (TODAY() + dt.timedelta(days=9)).isoformat()}
    hidden = errors(
        county_a_police.post("/rectification/letters", {**valid, "institution_id": institution.pk})
    )
    assert hidden == {"institution_id": "在您的范围内找不到该机构"}
    assert not Letter.objects.exists()


# -- hazards ---------------------------------------------------------------------------------------


def test_a_hazard_goes_through_its_states(
    world: World, county_a_office: Caller, county_a_civil: Caller, institution: Institution
) -> None:
    created = county_a_office.post(
        "/rectification/hazards",
        {
            "institution_id": institution.pk,
            "sector": "civil_affairs",
            "region_code": COUNTY_A,
            "problem": "养老机构消防通道堵塞，存在安全隐患",
            "unit_id": world.county_a_civil.pk,
            "due_on": (TODAY() + dt.timedelta(days=15)).isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    hazard = created.json()
    assert hazard["state"] == "found" and hazard["found_on"] == TODAY().isoformat()
    path = f"/rectification/hazards/{hazard['id']}"

    started = county_a_civil.post(
        f"{path}/start", {"measures": "清理通道，增设标识", "version": hazard["version"]}
    )
    assert started.json()["state"] == "rectifying", started.content
    stale = county_a_civil.post(
        f"{path}/rectified", {"note": "已清理完毕", "version": hazard["version"]}
    )
    assert stale.status_code == 409
    version = started.json()["version"]
    done = county_a_civil.post(f"{path}/rectified", {"note": "已清理完毕", "version": version})
    assert done.json()["state"] == "rectified", done.content
    # The regulator cannot pass its own work; the office sends it back with a reason.
    assert county_a_civil.post(f"{path}/check", {"accept": True}).status_code == 403
    back = county_a_office.post(f"{path}/check", {"accept": False, "note": "仍有杂物堆放"})
    assert back.json()["state"] == "rectifying", back.content
    county_a_civil.post(f"{path}/rectified", {"note": "杂物已全部清走"})
    passed = county_a_office.post(f"{path}/check", {"accept": True, "note": "现场复核通过"})
    assert passed.json()["state"] == "verified", passed.content
    # An illegal move is a 400 with the service's message, nothing changes.
    assert (
        "不能开始整治"
        in errors(county_a_civil.post(f"{path}/start", {"measures": "再次整治措施"}))[None]
    )

    detail = county_a_office.get(path).json()
    assert actions(detail) == [
        "hazard.created",
        "hazard.rectifying",
        "hazard.rectified",
        "hazard.rectifying",
        "hazard.rectified",
        "hazard.verified",
    ]


def test_a_hazard_due_before_it_was_found_is_refused(world: World, county_a_office: Caller) -> None:
    body = {
        "sector": "civil_affairs",
        "region_code": COUNTY_A,
        "problem": "养老机构消防通道堵塞",
        "unit_id": world.county_a_civil.pk,
        "found_on": TODAY().isoformat(),
        "due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
    }
    assert errors(county_a_office.post("/rectification/hazards", body)) == {
        "due_on": "整治期限不能早于发现日期"
    }
    assert "unit_id" in errors(
        county_a_office.post("/rectification/hazards", {**body, "unit_id": 999999})
    )
    assert not Hazard.objects.exists()


def test_batch_check_is_all_or_nothing(
    hazard: Hazard, county_a_office: Caller, county_a_civil: Caller, world: World
) -> None:
    second = services.hazard_create(
        actor=county_a_office.user,
        sector=Sector.CIVIL_AFFAIRS,
        region=world.town_a,
        problem="养老机构未公示收费标准",
        unit=world.county_a_civil,
        found_on=TODAY(),
        due_on=TODAY() + dt.timedelta(days=30),
    )
    for h in (hazard, second):
        services.hazard_start(actor=county_a_civil.user, hazard=h, measures="限期整改到位")
    services.hazard_mark_rectified(actor=county_a_civil.user, hazard=hazard, note="已整改到位")
    body = {"hazard_ids": [hazard.pk, second.pk]}
    assert errors(county_a_office.post("/rectification/hazards/batch-check", body))[None]
    hazard.refresh_from_db()
    assert hazard.state == "rectified"
    services.hazard_mark_rectified(actor=county_a_civil.user, hazard=second, note="已整改到位")
    passed = county_a_office.post("/rectification/hazards/batch-check", body)
    assert passed.status_code == 200, passed.content
    assert {h["state"] for h in passed.json()["items"]} == {"verified"}


# -- institutions ----------------------------------------------------------------------------------


def test_an_invalid_credit_code_is_refused(county_a_civil: Caller) -> None:
    body = {
        "name": "湖州某某养老服务有限公司",
        "kind": "elder_care",
        "licence_status": "licensed",
        "uscc": "91330502MA2B3C4D59",  # check digit wrong
        "sector": "civil_affairs",
        "region_code": COUNTY_A,
    }
    assert (
        "统一社会信用代码无效"
        in errors(county_a_civil.post("/rectification/institutions", body))["uscc"]
    )
    assert (
        "须填写统一社会信用代码"
        in errors(county_a_civil.post("/rectification/institutions", {**body, "uscc": ""}))["uscc"]
    )
    office = county_a_civil.post("/rectification/institutions", {**body, "sector": "office"})
    assert "sector" in errors(office)
    assert not Institution.objects.exists()
    unlicensed = county_a_civil.post(
        "/rectification/institutions", {**body, "uscc": "", "licence_status": "unlicensed"}
    )
    assert unlicensed.status_code == 201, unlicensed.content
    assert unlicensed.json()["is_unlicensed"] is True


def test_an_institution_gathers_what_names_it(
    institution: Institution,
    hazard: Hazard,
    county_a_civil: Caller,
    county_a_office: Caller,
) -> None:
    tip = file_tip(
        county_a_civil, code=COUNTY_A, content="福寿康养老院以会员卡名义收取老人大额费用"
    )
    other = file_tip(county_a_civil, code=COUNTY_A, content="另一位老人反映同一机构收取会员费")
    path = f"/rectification/institutions/{institution.pk}"
    detail = county_a_civil.get(path).json()
    assert tip.pk in {c["tip"]["id"] for c in detail["candidates"]}
    reason = next(c["reason"] for c in detail["candidates"] if c["tip"]["id"] == tip.pk)
    linked = county_a_civil.post(f"{path}/tips", {"tip_id": tip.pk, "matched_by": reason})
    assert linked.status_code == 201, linked.content
    cluster = LinkCluster.objects.create(
        created_at=timezone.now(), updated_at=timezone.now(), size=2
    )
    for t in (tip, other):
        ClusterMember.objects.create(cluster=cluster, tip=t, added_at=timezone.now())

    detail = county_a_office.get(path).json()
    assert [t["id"] for t in detail["tips"]] == [tip.pk]
    assert [c["id"] for c in detail["clusters"]] == [cluster.pk]
    assert [h["id"] for h in detail["hazards"]] == [hazard.pk]
    assert detail["cases"] == []  # no case was born from its tips nor named by its letters
    assert "institution.tip_linked" in actions(detail)

    assert county_a_civil.delete(f"{path}/tips/{tip.pk}").status_code == 204
    assert not InstitutionTipLink.objects.exists()
    hidden = errors(county_a_civil.post(f"{path}/tips", {"tip_id": 999999}))
    assert "tip_id" in hidden


def test_institution_update_changes_only_what_is_sent(
    institution: Institution, county_a_civil: Caller, county_a_police: Caller
) -> None:
    path = f"/rectification/institutions/{institution.pk}"
    updated = county_a_civil.patch(path, {"licence_status": "expired", "address": "吴兴区新址2号"})
    assert updated.status_code == 200, updated.content
    institution.refresh_from_db()
    assert (institution.licence_status, institution.address, institution.uscc) == (
        "expired",
        "吴兴区新址2号",
        VALID_USCC,
    )
    assert "uscc" in errors(county_a_civil.patch(path, {"uscc": "12345"}))
    # County police neither registered nor regulate it: not in its scope at all.
    assert county_a_police.patch(path, {"address": "越权修改"}).status_code == 404


# -- scoping ---------------------------------------------------------------------------------------


def test_a_sector_regulator_and_another_unit(
    hazard: Hazard, task: Task, letter: Letter, county_a_civil: Caller, county_a_police: Caller
) -> None:
    # 民政 is responsible for the hazard; county police are not and do not see it.
    assert county_a_civil.get(f"/rectification/hazards/{hazard.pk}").status_code == 200
    assert county_a_police.get(f"/rectification/hazards/{hazard.pk}").status_code == 404
    assert county_a_police.get("/rectification/hazards").json()["items"] == []
    started = county_a_police.post(
        f"/rectification/hazards/{hazard.pk}/start", {"measures": "越权整治措施"}
    )
    assert started.status_code == 404
    # Police co-operate on 民政's task: they see it and report progress, but do not submit it.
    assert county_a_police.get(f"/rectification/tasks/{task.pk}").json()["may_work"] is True
    submitted = county_a_police.post(
        f"/rectification/tasks/{task.pk}/submit", {"summary": "越权报请核验"}
    )
    assert submitted.status_code == 403
    # The letter's recipient reads it; the issuer sees it too.
    assert county_a_civil.get(f"/rectification/letters/{letter.pk}").status_code == 200
    assert county_a_police.get(f"/rectification/letters/{letter.pk}").status_code == 200


def test_another_county_sees_nothing(
    hazard: Hazard, task: Task, letter: Letter, county_b_office: Caller, county_a_civil: Caller
) -> None:
    for path in (
        f"/rectification/hazards/{hazard.pk}",
        f"/rectification/tasks/{task.pk}",
        f"/rectification/letters/{letter.pk}",
        f"/rectification/institutions/{hazard.institution_id}",
    ):
        assert county_b_office.get(path).status_code == 404, path
    assert (
        county_b_office.post(f"/rectification/tasks/{task.pk}/check", {"accept": True}).status_code
        == 404
    )
    assert county_b_office.get("/rectification/tasks").json()["items"] == []
    progress = upload(
        county_a_civil,
        f"/rectification/tasks/{task.pk}/progress",
        {"text": "监管账户已开立", "attachments": [SimpleUploadedFile("a.png", PNG)]},
    )
    evidence_id = progress.json()["evidence"][0]["id"]
    assert county_b_office.get(f"/rectification/evidence/{evidence_id}").status_code == 404


def test_administrators_and_bad_filters(sysadmin: Caller, county_a_office: Caller) -> None:
    assert sysadmin.get("/rectification/hazards").status_code == 403
    body = {
        "name": "某养老院",
        "kind": "elder_care",
        "licence_status": "unlicensed",
        "sector": "civil_affairs",
        "region_code": COUNTY_A,
    }
    assert sysadmin.post("/rectification/institutions", body).status_code == 403
    assert not Institution.objects.exists()
    bad = county_a_office.get(
        "/rectification/tasks", {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert errors(bad) == {"date_to": "结束日期不能早于开始日期"}
    assert "region" in errors(county_a_office.get("/rectification/letters", {"region": "999999"}))


def test_lists_filter_and_page(
    hazard: Hazard, task: Task, letter: Letter, county_a_office: Caller
) -> None:
    assert [
        h["id"]
        for h in county_a_office.get("/rectification/hazards", {"state": "found"}).json()["items"]
    ] == [hazard.pk]
    assert (
        county_a_office.get("/rectification/hazards", {"state": "verified"}).json()["items"] == []
    )
    letters = county_a_office.get(
        "/rectification/letters", {"kind": "police", "region": COUNTY_A}
    ).json()
    assert [lt["id"] for lt in letters["items"]] == [letter.pk]
    page = county_a_office.get("/rectification/institutions", {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"] is None
    assert [
        t["id"]
        for t in county_a_office.get("/rectification/tasks", {"source": "supervision"}).json()[
            "items"
        ]
    ] == [task.pk]


def test_the_rectification_schemas_do_not_overwrite_the_workflow_ones() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "takeover" in schemas["ChaseKind"]["enum"]
    assert schemas["LetterOut"]["properties"].keys() >= {"recipients", "tips"}


def test_rule_refusals(county_a_civil: Caller, letter: Letter) -> None:
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    refused = upload(
        county_a_civil,
        "/rectification/rules",
        {"title": "某制度", "kind": "regulation", "issued_on": future},
    )
    assert errors(refused) == {"issued_on": "印发日期不能晚于今天"}
    exe = upload(
        county_a_civil,
        "/rectification/rules",
        {
            "title": "某制度",
            "kind": "regulation",
            "issued_on": TODAY().isoformat(),
            "attachments": [SimpleUploadedFile("a.pdf", EXE)],
        },
    )
    assert "attachments" in errors(exe)
    assert not Rule.objects.exists()


def test_lists_cost_the_same_queries_for_more_rows(
    world: World, county_a_office: Caller, county_a_civil: Caller, letter: Letter
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_rows() -> None:
        hazard = services.hazard_create(
            actor=county_a_office.user,
            sector=Sector.CIVIL_AFFAIRS,
            region=world.town_a,
            problem="养老机构未公示收费标准",
            unit=world.county_a_civil,
            found_on=TODAY(),
            due_on=TODAY() + dt.timedelta(days=30),
        )
        services.task_create(
            actor=county_a_office.user,
            title="整改收费公示",
            source=TaskSource.HAZARD,
            hazard=hazard,
            lead_unit=world.county_a_civil,
            co_units=[world.county_a_police],
            measures="责令限期公示收费标准",
            responsible_name="郑雅琴",
            due_on=TODAY() + dt.timedelta(days=30),
        )
        services.rule_create(
            actor=county_a_civil.user, title="收费公示制度", kind="regulation", issued_on=TODAY()
        )

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert county_a_office.get(path).status_code == 200
        return len(captured)

    paths = [f"/rectification/{kind}" for kind in ("hazards", "tasks", "letters", "rules")]
    add_rows()
    county_a_office.get("/me")  # the token's first use is recorded once
    before = {path: queries(path) for path in paths}
    for _ in range(3):
        add_rows()
    assert {path: queries(path) for path in paths} == before
