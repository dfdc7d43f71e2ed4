"""The crackdown ledger through the API: a case's whole life (from a verification report to the
judgment, with suspects, a gang and asset recovery read back exact), cases from tips and a cluster,
each refusal as a 400 naming its field with nothing written, and the scoping (404 outside the
caller's scope, 403 for a unit that may not manage cases)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World, file_tip, make_user
from silvershield.api.tests.conftest import COUNTY_A, COUNTY_B, Caller, _caller
from silvershield.core.audit import timeline
from silvershield.core.choices import FraudType
from silvershield.core.models import AuditEvent
from silvershield.core.permissions import Role
from silvershield.enforcement.models import (
    Case,
    CaseStage,
    ColdCaseReview,
    Gang,
    RecoveryRecord,
    RecoveryRelease,
    Suspect,
)
from silvershield.enforcement.tests.conftest import days_ago, new_case
from silvershield.intake.models import ClusterMember, LinkCluster, MemberState
from silvershield.orgs.models import Sector, Unit, UnitKind
from silvershield.workflow import services as wf
from silvershield.workflow.models import VerificationReport

pytestmark = pytest.mark.django_db

FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"


@pytest.fixture
def procuratorate(world: World) -> Unit:
    return Unit.objects.create(
        name="吴兴区人民检察院",
        kind=UnitKind.MEMBER,
        sector=Sector.PROCURATORATE,
        region=world.county_a,
    )


@pytest.fixture
def court(world: World) -> Unit:
    return Unit.objects.create(
        name="吴兴区人民法院", kind=UnitKind.MEMBER, sector=Sector.COURT, region=world.county_a
    )


@pytest.fixture
def prosecutor(procuratorate: Unit) -> Caller:
    return _caller(make_user("prosecutor", procuratorate, Role.UNIT_HANDLER, full_name="钱立新"))


@pytest.fixture
def judge(court: Unit) -> Caller:
    return _caller(make_user("judge", court, Role.UNIT_HANDLER, full_name="吴振华"))


@pytest.fixture
def county_b_police(world: World) -> Caller:
    user = make_user(
        "county_b_police", world.county_b_police, Role.UNIT_HANDLER, full_name="陈国栋"
    )
    return _caller(user)


@pytest.fixture
def case_a(world: World, county_a_police: Caller) -> Case:
    """吴兴公安分局's case: filed 60 days ago, losses 1,000,000.00 元."""
    return new_case(county_a_police.user, world.county_a_police)


def _report(
    world: World, office: Caller, police: Caller, measures: list[str]
) -> VerificationReport:
    tip = file_tip(
        office.user,
        world.town_a,
        "有人以养老公寓预收费为名收取老人床位费，已有十余位老人受骗",
        money_amount=Decimal("360000.00"),
        victim_count=13,
    )
    wf.tip_classify(actor=office.user, tip=tip, fraud_type=FraudType.ELDER_SERVICE)
    (transfer,) = wf.tips_transfer(actor=office.user, tips=[tip], lead_unit=world.county_a_police)
    wf.transfer_sign(actor=police.user, transfer=transfer)
    return wf.report_submit(
        actor=police.user, transfer=transfer, conclusion="true", facts=FACTS, measures=measures
    )


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()
    return response.json()


def _refused(response: Any, field: str | None, text: str) -> None:
    assert response.status_code == 400, response.content.decode()
    errors = response.json()["detail"]
    assert any(e["field"] == field and text in e["message"] for e in errors), errors


def _written() -> tuple[int, ...]:
    """Everything a refused request must leave as it was."""
    return (
        Case.objects.count(),
        sum(Case.objects.values_list("version", flat=True)),
        Suspect.objects.count(),
        Gang.objects.count(),
        RecoveryRecord.objects.count(),
        RecoveryRelease.objects.count(),
        ColdCaseReview.objects.count(),
        AuditEvent.objects.count(),
    )


# -- the life of a case ---------------------------------------------------------------------------


def test_a_case_from_a_report_to_the_judgment_with_money_read_back_exact(
    world: World,
    city_office: Caller,
    county_a_police: Caller,
    prosecutor: Caller,
    judge: Caller,
    procuratorate: Unit,
    court: Unit,
) -> None:
    report = _report(world, city_office, county_a_police, ["case_filed"])
    tip = report.tip

    # 由核查报告立案: pre-filled from the tip, linked to the tip and the report.
    case = _ok(
        county_a_police.post(
            f"/reports/{report.pk}/case",
            {
                "owner_unit_id": world.county_a_police.pk,
                "number": "吴公刑〔2026〕88号",
                "filed_on": days_ago(30).isoformat(),
            },
        ),
        201,
    )
    case_id = case["id"]
    assert case["stage"] == "filed" and case["stage_label"] == "立案"
    assert case["name"] == tip.display_title
    assert case["region"]["code"] == world.town_a.code
    assert case["source_report_id"] == report.pk
    assert case["tips"] == [
        {"id": tip.pk, "number": tip.number, "can_open": True, "title": tip.display_title}
    ]
    assert case["amount_involved"] == "360000.00"
    assert case["money"]["losses"] == "360000.00"
    assert case["victim_count"] == 13
    assert case["summary"] == FACTS
    # A second case from the same report is refused.
    _refused(
        county_a_police.post(
            f"/reports/{report.pk}/case",
            {"owner_unit_id": world.county_a_police.pk, "number": "吴公刑〔2026〕89号"},
        ),
        None,
        "已有关联案件",
    )

    # The losses turn out larger: edit (only the fields sent change).
    case = _ok(
        county_a_police.patch(
            f"/cases/{case_id}",
            {"victim_loss": "1000000.00", "elderly_victim_count": 12, "version": case["version"]},
        )
    )
    assert case["money"]["losses"] == "1000000.00"
    assert case["elderly_victim_count"] == 12 and case["victim_count"] == 13
    assert case["name"] == tip.display_title

    # Suspects: one at large, caught later; one arrested.
    runner = _ok(
        county_a_police.post(
            f"/cases/{case_id}/suspects", {"name": "钱某某", "status": "at_large"}
        ),
        201,
    )
    arrested = _ok(
        county_a_police.post(
            f"/cases/{case_id}/suspects",
            {"name": "孙某某", "status": "arrested", "caught_on": days_ago(25).isoformat()},
        ),
        201,
    )
    caught = _ok(
        county_a_police.post(
            f"/cases/{case_id}/suspects/{runner['id']}/catch", {"on": days_ago(10).isoformat()}
        )
    )
    assert caught["status"] == "fugitive_caught" and caught["caught_on"] == days_ago(10).isoformat()

    # A gang with both as members, broken up.
    gang = _ok(
        county_a_police.post(
            f"/cases/{case_id}/gangs",
            {"name": "孙某某诈骗团伙", "member_ids": [arrested["id"], runner["id"]]},
        ),
        201,
    )
    assert gang["member_count"] == 2 and [c["id"] for c in gang["cases"]] == [case_id]
    gang = _ok(county_a_police.post(f"/gangs/{gang['id']}/broken", {"on": days_ago(5).isoformat()}))
    assert gang["broken_on"] == days_ago(5).isoformat()

    # Recovery: a freeze; a return released from it (each yuan once); a direct refund.
    frozen = _ok(
        county_a_police.post(
            f"/cases/{case_id}/recoveries",
            {"kind": "freeze", "amount": "300000.00", "on": days_ago(25).isoformat()},
        ),
        201,
    )
    assert frozen["money"]["recovered"] == "300000.00"
    assert frozen["money"]["recovery_rate"] == "0.3000"
    returned = _ok(
        county_a_police.post(
            f"/cases/{case_id}/recoveries",
            {
                "kind": "return",
                "amount": "120000.00",
                "on": days_ago(15).isoformat(),
                "releases": [{"secured_record_id": frozen["record"]["id"], "amount": "120000.00"}],
            },
        ),
        201,
    )
    assert returned["record"]["releases"] == [
        {"secured_record_id": frozen["record"]["id"], "amount": "120000.00"}
    ]
    assert returned["money"]["recovered"] == "300000.00"  # not 420,000.00
    refund = _ok(
        county_a_police.post(
            f"/cases/{case_id}/recoveries",
            {"kind": "return", "amount": "50000.00", "on": days_ago(12).isoformat()},
        ),
        201,
    )
    assert refund["money"] == {
        "losses": "1000000.00",
        "secured": "300000.00",
        "released": "120000.00",
        "secured_outstanding": "180000.00",
        "returned": "170000.00",
        "recovered": "350000.00",
        "recovery_rate": "0.3500",
        "returned_rate": "0.1700",
    }
    listed = _ok(county_a_police.get(f"/cases/{case_id}/recoveries"))
    assert [(r["kind"], r["amount"], r["outstanding"]) for r in listed["items"]] == [
        ("freeze", "300000.00", "180000.00"),
        ("return", "120000.00", None),
        ("return", "50000.00", None),
    ]
    assert listed["money"] == refund["money"]

    # The stages, each by the unit that records it; the procuratorate and the court are granted
    # the case when it reaches them.
    assert prosecutor.get(f"/cases/{case_id}").status_code == 404
    _ok(county_a_police.post(f"/cases/{case_id}/solve", {"on": days_ago(20).isoformat()}))
    _ok(
        county_a_police.post(
            f"/cases/{case_id}/refer",
            {"on": days_ago(8).isoformat(), "to_unit_id": procuratorate.pk},
        )
    )
    assert judge.get(f"/cases/{case_id}").status_code == 404
    _ok(
        prosecutor.post(
            f"/cases/{case_id}/prosecute",
            {"on": days_ago(4).isoformat(), "to_unit_id": court.pk, "outcome": "以诈骗罪提起公诉"},
        )
    )
    case = _ok(
        judge.post(
            f"/cases/{case_id}/judge",
            {"on": days_ago(1).isoformat(), "outcome": "判处主犯有期徒刑十年，责令退赔"},
        )
    )
    assert case["stage"] == CaseStage.JUDGED
    assert case["solved_on"] == days_ago(20).isoformat()
    assert case["referred_to"] == {"id": procuratorate.pk, "name": procuratorate.name}
    assert case["prosecuted_to"] == {"id": court.pk, "name": court.name}
    assert case["prosecution_outcome"] == "以诈骗罪提起公诉"
    assert case["judgment_outcome"] == "判处主犯有期徒刑十年，责令退赔"

    # Read back by the office: everything in one answer, money exact, names only here.
    detail = _ok(city_office.get(f"/cases/{case_id}"))
    assert detail["money"] == refund["money"]
    assert detail["suspects"] == {"total": 2, "caught": 2, "at_large": 0}
    assert {s["name"] for s in detail["suspect_list"]} == {"钱某某", "孙某某"}
    assert detail["gangs"][0]["member_ids"] == sorted([runner["id"], arrested["id"]])
    assert [r["amount"] for r in detail["recoveries"]] == ["300000.00", "120000.00", "50000.00"]
    actions = [e["action"] for e in detail["timeline"]]
    assert actions == [
        "case.filed",
        "case.updated",
        "case.suspect_added",
        "case.suspect_added",
        "case.fugitive_caught",
        "case.gang_linked",
        "case.gang_broken",
        "case.recovery_freeze",
        "case.recovery_return",
        "case.recovery_return",
        "case.solved",
        "case.referred",
        "case.prosecuted",
        "case.judged",
    ]
    summaries = " ".join(e.summary + str(e.data) for e in AuditEvent.objects.all())
    assert "钱某某" not in summaries and "孙某某" not in summaries

    # The ledger list carries the same figures.
    page = _ok(city_office.get("/cases", {"stage": "judged"}))
    (row,) = page["items"]
    assert row["id"] == case_id and row["money"] == refund["money"]
    assert row["suspects"] == {"total": 2, "caught": 2, "at_large": 0}
    # And the tip knows its case.
    assert [c["id"] for c in _ok(city_office.get(f"/tips/{tip.pk}/cases"))["items"]] == [case_id]


def test_a_case_from_tips_and_a_cluster_links_what_the_caller_may_see(
    world: World, county_a_office: Caller, county_b_office: Caller
) -> None:
    now = timezone.now()
    mine = [
        file_tip(county_a_office.user, world.town_a, f"某公司以养老项目为名集资，第{i}位老人反映")
        for i in range(2)
    ]
    theirs = file_tip(county_b_office.user, world.county_b, "长兴县老人反映同一公司集资")
    cluster = LinkCluster.objects.create(
        created_at=now, updated_at=now, size=3, region=world.city, spans_regions=True
    )
    for tip in [*mine, theirs]:
        ClusterMember.objects.create(
            cluster=cluster, tip=tip, reason="phone", added_at=now, state=MemberState.MEMBER
        )
    extra = file_tip(county_a_office.user, world.town_a, "另一老人反映养老公寓收费问题")

    # The county A office registers the case for its police: the cluster's county A tips and the
    # extra tip are linked; county B's tip is not (the office cannot see it).
    case = _ok(
        county_a_office.post(
            "/cases",
            {
                "owner_unit_id": world.county_a_police.pk,
                "number": "吴公刑〔2026〕5号",
                "name": "某公司养老项目集资诈骗案",
                "fraud_type": "elder_project",
                "region_code": COUNTY_A,
                "filed_on": days_ago(3).isoformat(),
                "amount_involved": "800000.00",
                "victim_loss": "650000.50",
                "victim_count": 3,
                "elderly_victim_count": 3,
                "tip_ids": [extra.pk],
                "cluster_id": cluster.pk,
            },
        ),
        201,
    )
    assert case["cluster"] == {
        "id": cluster.pk,
        "size": 3,
        "spans_regions": True,
        "confirmed": False,
    }
    assert {t["id"] for t in case["tips"]} == {extra.pk, mine[0].pk, mine[1].pk}
    assert case["owner_unit"]["id"] == world.county_a_police.pk
    assert case["created_by_unit"]["id"] == world.county_a_office.pk
    assert case["money"]["losses"] == "650000.50"
    assert case["money"]["recovery_rate"] == "0.0000"
    # Each linked tip records the case on its own timeline.
    assert timeline(obj=mine[0]).filter(action="tip.case_linked").count() == 1

    # A cluster the caller sees none of is a field error.
    other = LinkCluster.objects.create(created_at=now, updated_at=now, size=1)
    lone = file_tip(county_b_office.user, world.county_b, "长兴县另一老人反映保健品骗局")
    ClusterMember.objects.create(cluster=other, tip=lone, added_at=now)
    before = _written()
    response = county_a_office.post(
        "/cases",
        {
            "owner_unit_id": world.county_a_police.pk,
            "number": "吴公刑〔2026〕6号",
            "name": "另案",
            "fraud_type": "elder_project",
            "region_code": COUNTY_A,
            "filed_on": days_ago(1).isoformat(),
            "cluster_id": other.pk,
        },
    )
    _refused(response, "cluster_id", "找不到该串并组")
    assert _written() == before


def test_suspect_status_changes_and_cold_case_reviews(
    world: World, county_a_police: Caller, case_a: Case
) -> None:
    suspect = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/suspects",
            {"name": "李某", "status": "arrested", "caught_on": days_ago(40).isoformat()},
        ),
        201,
    )
    url = f"/cases/{case_a.pk}/suspects/{suspect['id']}"
    # Escaped again: at large, no date; then caught: 追逃到案.
    escaped = _ok(county_a_police.patch(url, {"status": "at_large", "note": "取保候审期间脱逃"}))
    assert escaped["status"] == "at_large" and escaped["caught_on"] is None
    assert escaped["note"] == "取保候审期间脱逃"
    caught = _ok(
        county_a_police.patch(
            url, {"status": "fugitive_caught", "caught_on": days_ago(2).isoformat()}
        )
    )
    assert caught["status_label"] == "追逃到案" and caught["note"] == "取保候审期间脱逃"
    events = list(timeline(obj=case_a).filter(action="case.suspect_updated"))
    assert [e.data["to"] for e in events] == ["at_large", "fugitive_caught"]
    assert all("李某" not in e.summary for e in events)

    # 回头看: flag with a due date, listed as open, completed with an outcome.
    review = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews",
            {"reason": "立案两月未破，线索待深挖", "due_on": days_ago(-7).isoformat()},
        ),
        201,
    )
    assert review["is_open"] and not review["is_overdue"]
    listed = _ok(county_a_police.get("/cold-reviews"))["items"]
    assert [(r["id"], r["case"]["id"]) for r in listed] == [(review["id"], case_a.pk)]
    done = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews/{review['id']}/complete",
            {"outcome": "经回头看，已锁定主要嫌疑人"},
        )
    )
    assert done["reviewed_on"] == timezone.localdate().isoformat() and not done["is_open"]
    assert done["reviewed_by_unit"]["id"] == world.county_a_police.pk
    assert _ok(county_a_police.get("/cold-reviews"))["items"] == []
    assert _ok(county_a_police.get(f"/cases/{case_a.pk}"))["reviews"][0]["outcome"] == (
        "经回头看，已锁定主要嫌疑人"
    )


def test_a_gang_links_a_second_case_and_its_members(
    world: World, county_a_police: Caller, city_office: Caller, case_a: Case
) -> None:
    second = new_case(county_a_police.user, world.county_a_police, number="吴公刑〔2026〕102号")
    s1 = _ok(
        county_a_police.post(f"/cases/{case_a.pk}/suspects", {"name": "甲", "status": "at_large"}),
        201,
    )
    s2 = _ok(
        county_a_police.post(f"/cases/{second.pk}/suspects", {"name": "乙", "status": "at_large"}),
        201,
    )
    gang = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/gangs", {"name": "某诈骗团伙", "member_ids": [s1["id"]]}
        ),
        201,
    )
    # A member from another case cannot join through this case.
    _refused(
        county_a_police.post(
            f"/gangs/{gang['id']}/cases", {"case_id": case_a.pk, "member_ids": [s2["id"]]}
        ),
        "member_ids",
        "成员须为所关联案件的嫌疑人",
    )
    linked = _ok(
        county_a_police.post(
            f"/gangs/{gang['id']}/cases", {"case_id": second.pk, "member_ids": [s2["id"]]}
        )
    )
    assert sorted(c["id"] for c in linked["cases"]) == sorted([case_a.pk, second.pk])
    assert linked["member_count"] == 2 and linked["hidden_case_count"] == 0
    page = _ok(city_office.get("/gangs"))
    assert [(g["id"], g["case_count"], g["member_count"]) for g in page["items"]] == [
        (gang["id"], 2, 2)
    ]
    _refused(
        county_a_police.post(f"/gangs/{gang['id']}/broken", {"on": days_ago(-1).isoformat()}),
        "on",
        "日期不能晚于今天",
    )


# -- refusals: 400 naming the field, nothing written ------------------------------------------------


def test_a_duplicate_case_number_in_the_unit_is_refused(
    world: World, county_a_police: Caller, county_b_police: Caller, case_a: Case
) -> None:
    body = {
        "owner_unit_id": world.county_a_police.pk,
        "number": case_a.number,
        "name": "另一起养老诈骗案",
        "fraud_type": "elder_service",
        "region_code": COUNTY_A,
        "filed_on": days_ago(1).isoformat(),
    }
    before = _written()
    _refused(county_a_police.post("/cases", body), "number", "同一单位的案件编号不能重复")
    assert _written() == before
    # The same number in another unit is fine.
    body.update(owner_unit_id=world.county_b_police.pk, region_code=COUNTY_B)
    _ok(county_b_police.post("/cases", body), 201)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"victim_loss": 1000.5}, "victim_loss", "金额须以精确的十进制数表示"),
        ({"victim_loss": "-1.00"}, "victim_loss", "金额不能为负数"),
        ({"amount_involved": "12.345"}, "amount_involved", "金额最多保留两位小数（精确到分）"),
        ({"amount_involved": "十万"}, "amount_involved", "请输入正确的金额（元）"),
        (
            {"victim_count": 2, "elderly_victim_count": 3},
            "elderly_victim_count",
            "不能超过受害人数",
        ),
        ({"region_code": COUNTY_B}, "region_code", "不在吴兴公安分局的辖区内"),
        ({"region_code": "999999"}, "region_code", "所选地区不存在"),
        ({"owner_unit_id": 987654321}, "owner_unit_id", "所选单位不存在"),
        ({"filed_on": days_ago(-1).isoformat()}, "filed_on", "日期不能晚于今天"),
        ({"fraud_type": "none"}, "fraud_type", "请选择养老诈骗类型"),
        ({"number": "  "}, "number", "请填写案件编号"),
        ({"tip_ids": [987654321]}, "tip_ids", "找不到所关联的线索"),
    ],
)
def test_bad_case_input_is_refused_with_its_field(
    world: World, county_a_police: Caller, change: dict[str, Any], field: str, message: str
) -> None:
    body = {
        "owner_unit_id": world.county_a_police.pk,
        "number": "吴公刑〔2026〕200号",
        "name": "某养老诈骗案",
        "fraud_type": "elder_service",
        "region_code": COUNTY_A,
        "filed_on": days_ago(1).isoformat(),
        "victim_loss": "1000.00",
        **change,
    }
    before = _written()
    _refused(county_a_police.post("/cases", body), field, message)
    assert _written() == before


def test_stage_refusals(
    world: World, county_a_police: Caller, prosecutor: Caller, procuratorate: Unit, case_a: Case
) -> None:
    url = f"/cases/{case_a.pk}"
    before = _written()
    # Out of order in time: 破案 before 立案.
    _refused(
        county_a_police.post(f"{url}/solve", {"on": days_ago(61).isoformat()}),
        "on",
        "破案日期不能早于立案日期",
    )
    _refused(
        county_a_police.post(f"{url}/solve", {"on": days_ago(-1).isoformat()}),
        "on",
        "日期不能晚于今天",
    )
    # A skipped stage, a stage by the wrong sector, a referral without a procuratorate.
    _refused(
        county_a_police.post(
            f"{url}/refer", {"on": days_ago(1).isoformat(), "to_unit_id": procuratorate.pk}
        ),
        None,
        "下一阶段应为“破案”",
    )
    _refused(
        county_a_police.post(
            f"{url}/prosecute", {"on": days_ago(1).isoformat(), "to_unit_id": procuratorate.pk}
        ),
        None,
        "“起诉”阶段由检察院登记",
    )
    _refused(
        county_a_police.post(f"{url}/withdraw", {"on": days_ago(1).isoformat(), "reason": "否"}),
        "reason",
        "请写明撤案理由",
    )
    assert _written() == before

    _ok(county_a_police.post(f"{url}/solve", {"on": days_ago(30).isoformat()}))
    _refused(
        county_a_police.post(
            f"{url}/refer", {"on": days_ago(10).isoformat(), "to_unit_id": world.county_a_civil.pk}
        ),
        "to_unit_id",
        "请选择受理移送起诉的检察院",
    )
    _refused(
        county_a_police.post(
            f"{url}/refer", {"on": days_ago(31).isoformat(), "to_unit_id": procuratorate.pk}
        ),
        "on",
        "移送起诉日期不能早于破案日期",
    )
    _ok(
        county_a_police.post(
            f"{url}/refer", {"on": days_ago(10).isoformat(), "to_unit_id": procuratorate.pk}
        )
    )
    # 撤案 only before referral.
    _refused(
        county_a_police.post(
            f"{url}/withdraw", {"on": days_ago(1).isoformat(), "reason": "证据不足，依法撤案"}
        ),
        None,
        "不能撤案",
    )
    # The procuratorate now sees the case but may not record the court's stage.
    _refused(
        prosecutor.post(f"{url}/judge", {"on": days_ago(1).isoformat(), "outcome": "有罪"}),
        None,
        "“判决”阶段由法院登记",
    )


def test_a_stale_version_is_409_and_changes_nothing(county_a_police: Caller, case_a: Case) -> None:
    url = f"/cases/{case_a.pk}"
    version = _ok(county_a_police.get(url))["version"]
    _ok(county_a_police.patch(url, {"name": "某养老公寓诈骗案（更正）", "version": version}))
    before = _written()
    for response in (
        county_a_police.patch(url, {"victim_count": 20, "version": version}),
        county_a_police.post(f"{url}/solve", {"on": days_ago(1).isoformat(), "version": version}),
    ):
        assert response.status_code == 409, response.content
        assert response.json()["detail"][0]["field"] == "__all__"
    assert _written() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "freeze", "amount": 1000.5}, "amount", "金额须以精确的十进制数表示"),
        ({"kind": "freeze", "amount": "-5"}, "amount", "金额不能为负数"),
        ({"kind": "freeze", "amount": "1.001"}, "amount", "金额最多保留两位小数"),
        ({"kind": "freeze", "amount": "0"}, "amount", "金额须大于0"),
        ({"kind": "freeze", "amount": True}, "amount", "请输入正确的金额（元）"),
        ({"kind": "melt", "amount": "1"}, "kind", "取值无效"),
        ({"kind": "seize", "amount": "1", "on": "2999-01-01"}, "on", "日期不能晚于今天"),
    ],
)
def test_bad_money_is_refused_with_the_ledger_messages(
    county_a_police: Caller, case_a: Case, body: dict[str, Any], field: str, message: str
) -> None:
    before = _written()
    response = county_a_police.post(
        f"/cases/{case_a.pk}/recoveries", {"on": days_ago(1).isoformat(), **body}
    )
    _refused(response, field, message)
    assert _written() == before


def test_returns_beyond_what_was_secured_or_the_losses_are_refused(
    county_a_police: Caller, case_a: Case
) -> None:
    url = f"/cases/{case_a.pk}/recoveries"
    freeze = _ok(
        county_a_police.post(
            url, {"kind": "freeze", "amount": "1000.00", "on": days_ago(20).isoformat()}
        ),
        201,
    )["record"]["id"]
    before = _written()
    # Returned more than secured.
    _refused(
        county_a_police.post(
            url,
            {
                "kind": "return",
                "amount": "5000.00",
                "on": days_ago(10).isoformat(),
                "releases": [{"secured_record_id": freeze, "amount": "5000.00"}],
            },
        ),
        "releases",
        "返还超过了已冻结/扣押的金额",
    )
    # The same record twice, a record of no such kind or case, a release on a freeze.
    twice = [
        {"secured_record_id": freeze, "amount": "500.00"},
        {"secured_record_id": freeze, "amount": "500.00"},
    ]
    _refused(
        county_a_police.post(
            url,
            {
                "kind": "return",
                "amount": "1000.00",
                "on": days_ago(9).isoformat(),
                "releases": twice,
            },
        ),
        "releases",
        "只能列一次",
    )
    _refused(
        county_a_police.post(
            url,
            {
                "kind": "return",
                "amount": "10.00",
                "on": days_ago(9).isoformat(),
                "releases": [{"secured_record_id": 987654321, "amount": "10.00"}],
            },
        ),
        "releases",
        "只能释放本案的止付冻结或查封扣押记录",
    )
    _refused(
        county_a_police.post(
            url,
            {
                "kind": "freeze",
                "amount": "10.00",
                "on": days_ago(9).isoformat(),
                "releases": [{"secured_record_id": freeze, "amount": "10.00"}],
            },
        ),
        "releases",
        "只有返还才能释放",
    )
    # Recovered more than the losses (1,000,000.00) without a reason.
    _refused(
        county_a_police.post(
            url, {"kind": "return", "amount": "999500.00", "on": days_ago(5).isoformat()}
        ),
        "over_loss_reason",
        "超过受害人损失",
    )
    assert _written() == before
    # With a reason it is recorded, and the reason kept on the case.
    done = _ok(
        county_a_police.post(
            url,
            {
                "kind": "return",
                "amount": "999500.00",
                "on": days_ago(5).isoformat(),
                "over_loss_reason": "含查扣房产评估增值部分",
            },
        ),
        201,
    )
    assert done["money"]["recovered"] == "1000500.00"
    assert done["money"]["recovery_rate"] == "1.0005"
    assert Case.objects.get(pk=case_a.pk).over_recovery_reason == "含查扣房产评估增值部分"


def test_lowering_the_losses_below_the_recovered_amount_needs_a_reason(
    county_a_police: Caller, case_a: Case
) -> None:
    _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/recoveries",
            {"kind": "seize", "amount": "500000.00", "on": days_ago(20).isoformat()},
        ),
        201,
    )
    before = _written()
    _refused(
        county_a_police.patch(f"/cases/{case_a.pk}", {"victim_loss": "100000.00"}),
        "over_recovery_reason",
        "超过受害人损失",
    )
    assert _written() == before
    case = _ok(
        county_a_police.patch(
            f"/cases/{case_a.pk}",
            {"victim_loss": "100000.00", "over_recovery_reason": "查封房产价值高于损失"},
        )
    )
    assert case["money"]["recovery_rate"] == "5.0000"


def test_other_refused_steps(
    world: World, county_a_police: Caller, city_office: Caller, case_a: Case
) -> None:
    # A report without the 立案 measure offers no case.
    report = _report(world, city_office, county_a_police, ["order_fix"])
    before = _written()
    _refused(
        county_a_police.post(
            f"/reports/{report.pk}/case",
            {"owner_unit_id": world.county_a_police.pk, "number": "吴公刑〔2026〕300号"},
        ),
        None,
        "不含“立案”",
    )
    suspect = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/suspects",
            {"name": "王某", "status": "arrested", "caught_on": days_ago(3).isoformat()},
        ),
        201,
    )
    before = _written()
    _refused(
        county_a_police.post(
            f"/cases/{case_a.pk}/suspects",
            {"name": "赵某", "status": "at_large", "caught_on": days_ago(1).isoformat()},
        ),
        "caught_on",
        "在逃人员不填抓获日期",
    )
    _refused(
        county_a_police.post(
            f"/cases/{case_a.pk}/suspects/{suspect['id']}/catch", {"on": days_ago(1).isoformat()}
        ),
        None,
        "该嫌疑人不在逃",
    )
    _refused(
        county_a_police.patch(
            f"/cases/{case_a.pk}/suspects/{suspect['id']}",
            {"status": "fugitive_caught", "caught_on": days_ago(1).isoformat()},
        ),
        "status",
        "只有在逃人员才能登记为追逃到案",
    )
    _refused(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews",
            {"reason": "久拖未决的案件", "due_on": days_ago(1).isoformat()},
        ),
        "due_on",
        "不能早于今天",
    )
    assert _written() == before
    _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews",
            {"reason": "久拖未决的案件", "due_on": days_ago(-3).isoformat()},
        ),
        201,
    )
    _refused(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews",
            {"reason": "再次列入回头看", "due_on": days_ago(-3).isoformat()},
        ),
        None,
        "已在回头看中",
    )


# -- scoping ----------------------------------------------------------------------------------------


def test_county_b_police_cannot_see_or_act_on_county_a_cases(
    world: World, county_a_police: Caller, county_b_police: Caller, case_a: Case
) -> None:
    suspect = Suspect.objects.create(case=case_a, name="周某", status="at_large")
    gang = _ok(county_a_police.post(f"/cases/{case_a.pk}/gangs", {"name": "周某团伙"}), 201)
    review = _ok(
        county_a_police.post(
            f"/cases/{case_a.pk}/cold-reviews",
            {"reason": "久拖未决的案件", "due_on": days_ago(-3).isoformat()},
        ),
        201,
    )
    url = f"/cases/{case_a.pk}"
    before = _written()
    for response in (
        county_b_police.get(url),
        county_b_police.get(f"{url}/recoveries"),
        county_b_police.patch(url, {"name": "改名"}),
        county_b_police.post(f"{url}/solve", {"on": days_ago(1).isoformat()}),
        county_b_police.post(
            f"{url}/withdraw", {"on": days_ago(1).isoformat(), "reason": "无管辖权撤案"}
        ),
        county_b_police.post(
            f"{url}/recoveries", {"kind": "freeze", "amount": "1.00", "on": days_ago(1).isoformat()}
        ),
        county_b_police.post(f"{url}/suspects", {"name": "某", "status": "at_large"}),
        county_b_police.post(f"{url}/suspects/{suspect.pk}/catch", {"on": days_ago(1).isoformat()}),
        county_b_police.patch(f"{url}/suspects/{suspect.pk}", {"status": "at_large"}),
        county_b_police.post(f"{url}/gangs", {"name": "某团伙"}),
        county_b_police.post(
            f"{url}/cold-reviews/{review['id']}/complete", {"outcome": "越权完成回头看"}
        ),
        county_b_police.get(f"/gangs/{gang['id']}"),
        county_b_police.post(f"/gangs/{gang['id']}/broken", {"on": days_ago(1).isoformat()}),
    ):
        assert response.status_code == 404, response.content
    assert _written() == before
    assert _ok(county_b_police.get("/cases"))["items"] == []
    assert _ok(county_b_police.get("/gangs"))["items"] == []
    assert _ok(county_b_police.get("/cold-reviews"))["items"] == []
    # Nor may county B's police register a case for county A's police.
    response = county_b_police.post(
        "/cases",
        {
            "owner_unit_id": world.county_a_police.pk,
            "number": "长公刑〔2026〕9号",
            "name": "越权立案",
            "fraud_type": "elder_service",
            "region_code": COUNTY_A,
            "filed_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 403
    assert _written() == before


def test_a_civil_affairs_unit_cannot_manage_cases(
    world: World, county_a_civil: Caller, sysadmin: Caller, case_a: Case
) -> None:
    before = _written()
    for owner in (world.county_a_police, world.county_a_civil):
        response = county_a_civil.post(
            "/cases",
            {
                "owner_unit_id": owner.pk,
                "number": "吴民〔2026〕1号",
                "name": "民政登记的案件",
                "fraud_type": "elder_service",
                "region_code": COUNTY_A,
                "filed_on": days_ago(1).isoformat(),
            },
        )
        assert response.status_code == 403, response.content
    # It sees no police case, so acting on one is 404.
    assert county_a_civil.get(f"/cases/{case_a.pk}").status_code == 404
    assert (
        county_a_civil.post(
            f"/cases/{case_a.pk}/solve", {"on": days_ago(1).isoformat()}
        ).status_code
        == 404
    )
    assert _ok(county_a_civil.get("/cases"))["items"] == []
    assert _written() == before
    # An administrator sees no case content at all.
    assert sysadmin.get("/cases").status_code == 403
    assert sysadmin.get(f"/cases/{case_a.pk}").status_code == 403


def test_a_leader_reads_but_may_not_write(world: World, case_a: Case) -> None:
    leader = _caller(make_user("leader", world.city_office, Role.OFFICE_LEADER, full_name="蒋卫东"))
    assert _ok(leader.get(f"/cases/{case_a.pk}"))["number"] == case_a.number
    before = _written()
    assert (
        leader.post(f"/cases/{case_a.pk}/solve", {"on": days_ago(1).isoformat()}).status_code == 403
    )
    assert _written() == before


def test_the_case_list_pages_and_filters_without_a_query_per_row(
    world: World, city_office: Caller, county_a_police: Caller
) -> None:
    for i in range(3):
        new_case(county_a_police.user, world.county_a_police, number=f"吴公刑〔2026〕{i + 1}号")
    page = _ok(city_office.get("/cases", {"limit": 2}))
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = _ok(city_office.get("/cases", {"limit": 2, "cursor": page["next_cursor"]}))
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    numbers = {c["number"] for c in page["items"] + rest["items"]}
    assert numbers == {"吴公刑〔2026〕1号", "吴公刑〔2026〕2号", "吴公刑〔2026〕3号"}
    assert _ok(city_office.get("/cases", {"q": "2号"}))["items"][0]["number"] == "吴公刑〔2026〕2号"
    assert _ok(city_office.get("/cases", {"region": COUNTY_B}))["items"] == []
    _refused(
        city_office.get(
            "/cases", {"date_from": days_ago(1).isoformat(), "date_to": days_ago(5).isoformat()}
        ),
        "date_to",
        "结束日期不能早于开始日期",
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _ok(city_office.get("/cases"))
        return len(ctx.captured_queries)

    few = queries()
    for i in range(4):
        new_case(county_a_police.user, world.county_a_police, number=f"吴公刑〔2026〕{i + 10}号")
    assert queries() == few
