"""Every allowed transition of the tip's life, and a refused one from each state."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip, TipGrant, TipState
from silvershield.intake.selectors import tip_list_visible_to
from silvershield.orgs.models import User
from silvershield.workflow import services
from silvershield.workflow.models import (
    Conclusion,
    Measure,
    ReporterFeedback,
    Transfer,
    TransferState,
)
from silvershield.workflow.tests.conftest import FACTS

pytestmark = pytest.mark.django_db


def _refused(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    return " ".join(exc.value.messages)


def _reload(tip: Tip) -> Tip:
    return Tip.objects.get(pk=tip.pk)


def test_the_whole_life_of_a_tip(
    screened_tip: Tip, city_office: User, county_a_police: User, world: World
) -> None:
    (transfer,) = services.tips_transfer(
        actor=city_office,
        tips=[screened_tip],
        lead_unit=world.county_a_police,
        co_units=[world.county_a_civil],
    )
    assert _reload(screened_tip).state == TipState.TRANSFERRED
    assert transfer.letter is not None and transfer.letter.number.endswith("号")
    assert TipGrant.objects.filter(tip=screened_tip, unit=world.county_a_police).exists()
    assert TipGrant.objects.filter(tip=screened_tip, unit=world.county_a_civil).exists()
    assert screened_tip.pk in {t.pk for t in tip_list_visible_to(user=county_a_police)}

    services.transfer_sign(actor=county_a_police, transfer=transfer)
    assert _reload(screened_tip).state == TipState.VERIFYING
    report = services.report_submit(
        actor=county_a_police,
        transfer=transfer,
        conclusion=Conclusion.TRUE,
        facts=FACTS,
        measures=[Measure.CASE_FILED],
    )
    assert _reload(screened_tip).state == TipState.REPORTED
    services.report_review(actor=city_office, report=report, accept=False, note="请补充涉案金额")
    assert _reload(screened_tip).state == TipState.VERIFYING
    report2 = services.report_submit(
        actor=county_a_police,
        transfer=Transfer.objects.get(pk=transfer.pk),
        conclusion=Conclusion.TRUE,
        facts=FACTS + "涉案金额约36万元。",
        measures=[Measure.CASE_FILED],
    )
    services.report_review(actor=city_office, report=report2, accept=True)
    assert _reload(screened_tip).state == TipState.ACCEPTED
    tip = _reload(screened_tip)
    services.feedback_write(
        actor=county_a_police, tip=tip, text="您反映的问题经核查属实，公安机关已立案侦查。"
    )
    services.tip_close(actor=city_office, tip=_reload(screened_tip))
    closed = _reload(screened_tip)
    assert closed.state == TipState.CLOSED
    assert closed.closed_at is not None
    services.tip_reopen(actor=city_office, tip=closed, reason="回头看发现新的受害人")
    assert _reload(screened_tip).state == TipState.SCREENED
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(screened_tip.pk), object_type="intake.tip"
        ).values_list("action", flat=True)
    )
    for expected in (
        "tip.classified",
        "tip.transferred",
        "transfer.signed",
        "report.submitted",
        "report.returned",
        "report.accepted",
        "feedback.written",
        "tip.closed",
        "tip.reopened",
    ):
        assert expected in actions


def test_received_tip_cannot_be_transferred_before_screening(
    world: World, city_office: User
) -> None:
    tip = file_tip(city_office, world.county_a)
    message = _refused(
        services.tips_transfer, actor=city_office, tips=[tip], lead_unit=world.county_a_police
    )
    assert "须先甄别" in message
    assert _reload(tip).state == TipState.RECEIVED
    assert not Transfer.objects.exists()


def test_invalid_and_merge_and_undo(world: World, city_office: User) -> None:
    noise = file_tip(city_office, world.county_a, "楼下广场舞太吵")
    services.tip_mark_invalid(actor=city_office, tip=noise, reason="噪音投诉，非诈骗线索")
    assert _reload(noise).state == TipState.CLOSED
    assert "噪音" in _reload(noise).close_reason
    assert "不能再甄别" in _refused(
        services.tip_classify, actor=city_office, tip=_reload(noise), fraud_type=FraudType.ELDER_AID
    )

    original = file_tip(city_office, world.county_a, "养老公寓收会员费")
    duplicate = file_tip(city_office, world.county_a, "养老公寓收会员费（同一人再次来电）")
    services.tip_classify(actor=city_office, tip=duplicate, fraud_type=FraudType.ELDER_SERVICE)
    services.tip_merge(actor=city_office, tip=_reload(duplicate), into=original)
    merged = _reload(duplicate)
    assert merged.state == TipState.MERGED
    assert merged.merged_into == original
    assert "不能合并到线索自身" in _refused(
        services.tip_merge, actor=city_office, tip=_reload(original), into=original
    )
    services.tip_unmerge(actor=city_office, tip=merged)
    restored = _reload(duplicate)
    assert restored.state == TipState.SCREENED
    assert restored.merged_into is None
    assert Tip.objects.filter(pk__in=[original.pk, duplicate.pk]).count() == 2


def test_refusals_from_each_state_leave_the_record_unchanged(
    transfer: Transfer, city_office: User, county_a_police: User, county_a_civil: User
) -> None:
    tip = transfer.tip
    # transferred (待签收): reviewing a report that was never submitted, reporting before signing
    assert "请先签收" in _refused(
        services.report_submit,
        actor=county_a_police,
        transfer=transfer,
        conclusion=Conclusion.TRUE,
        facts=FACTS,
        measures=[Measure.CASE_FILED],
    )
    # another unit cannot sign this transfer
    with pytest.raises(PermissionDenied):
        services.transfer_sign(actor=county_a_civil, transfer=transfer)
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.PENDING
    # closing without report/feedback
    assert "才能办结" in _refused(services.tip_close, actor=city_office, tip=_reload(tip))
    assert _reload(tip).state == TipState.TRANSFERRED
    # reopening what is not closed
    assert "只有已办结" in _refused(
        services.tip_reopen, actor=city_office, tip=_reload(tip), reason="回头看一下"
    )
    # signed: cannot send back any more
    services.transfer_sign(actor=county_a_police, transfer=transfer)
    assert "只有待签收" in _refused(
        services.transfer_send_back,
        actor=county_a_police,
        transfer=Transfer.objects.get(pk=transfer.pk),
        reason="不是我们的事",
    )
    # signing twice is a harmless retry
    again = services.transfer_sign(
        actor=county_a_police, transfer=Transfer.objects.get(pk=transfer.pk)
    )
    assert again.state == TransferState.SIGNED
    # feedback before acceptance is refused
    assert "审核通过后" in _refused(
        services.feedback_write,
        actor=county_a_police,
        tip=_reload(tip),
        text="已经处理完毕，感谢您的举报。",
    )
    assert not ReporterFeedback.objects.exists()


def test_closing_needs_feedback(signed: Transfer, city_office: User, county_a_police: User) -> None:
    report = services.report_submit(
        actor=county_a_police,
        transfer=signed,
        conclusion=Conclusion.UNTRUE,
        facts="经核查，该机构证照齐全，未发现预收费行为。",
    )
    services.report_review(actor=city_office, report=report, accept=True)
    message = _refused(services.tip_close, actor=city_office, tip=_reload(signed.tip))
    assert "尚未答复举报人" in message
    assert _reload(signed.tip).state == TipState.ACCEPTED
    # the office may write the answer itself
    services.feedback_write(
        actor=city_office,
        tip=_reload(signed.tip),
        text="经核查，您反映的机构证照齐全，未发现违法收费。",
    )
    services.tip_close(actor=city_office, tip=_reload(signed.tip))
    assert _reload(signed.tip).state == TipState.CLOSED


@pytest.mark.parametrize(
    ("conclusion", "facts", "measures", "field"),
    [
        ("", FACTS, ["case_filed"], "conclusion"),
        ("maybe", FACTS, ["case_filed"], "conclusion"),
        ("true", "属实", ["case_filed"], "facts"),
        ("true", FACTS, [], "measures"),
        ("true", FACTS, ["jail"], "measures"),
        ("true", FACTS, ["other"], "measures_note"),
        ("true", "经核查，举报内容不属实，该机构手续齐全。", ["case_filed"], "conclusion"),
        ("untrue", "经核查，举报内容属实，已责令整改。", [], "conclusion"),
    ],
)
def test_empty_or_ambiguous_reports_are_refused(
    signed: Transfer,
    county_a_police: User,
    conclusion: str,
    facts: str,
    measures: list[str],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            actor=county_a_police,
            transfer=signed,
            conclusion=conclusion,
            facts=facts,
            measures=measures,
        )
    assert field in exc.value.message_dict
    assert Transfer.objects.get(pk=signed.pk).state == TransferState.SIGNED
    assert not signed.reports.exists()


def test_send_back_returns_the_tip_to_be_rerouted(
    transfer: Transfer, county_a_police: User, city_office: User, world: World
) -> None:
    services.transfer_send_back(actor=county_a_police, transfer=transfer, reason="属于民政部门职责")
    tip = _reload(transfer.tip)
    assert tip.state == TipState.SCREENED
    (again,) = services.tips_transfer(actor=city_office, tips=[tip], lead_unit=world.county_a_civil)
    assert again.lead_unit == world.county_a_civil


def test_the_accused_unit_never_handles_the_tip(world: World, city_office: User) -> None:
    tip = file_tip(city_office, world.county_a, "举报吴兴公安分局民警收受养老公寓好处，包庇诈骗")
    Tip.objects.filter(pk=tip.pk).update(accused_unit=world.county_a_police)
    tip = services.tip_classify(
        actor=city_office, tip=_reload(tip), fraud_type=FraudType.ELDER_SERVICE
    )
    message = _refused(
        services.tips_transfer, actor=city_office, tips=[tip], lead_unit=world.county_a_police
    )
    assert "回避" in message
    assert "上级" in message
    message = _refused(
        services.tips_transfer,
        actor=city_office,
        tips=[tip],
        lead_unit=world.county_a_civil,
        co_units=[world.county_a_police],
    )
    assert "回避" in message
    assert _reload(tip).state == TipState.SCREENED


def test_units_outside_the_tips_region_are_refused(
    screened_tip: Tip, city_office: User, world: World
) -> None:
    message = _refused(
        services.tips_transfer,
        actor=city_office,
        tips=[screened_tip],
        lead_unit=world.county_b_police,
    )
    assert "不负责线索所在地区" in message


def test_batch_transfer_issues_one_letter(world: World, city_office: User) -> None:
    tips = []
    for text in ("保健品讲座推销", "以房养老抵押", "代办养老保险补缴"):
        tip = file_tip(city_office, world.county_a, text)
        tips.append(
            services.tip_classify(actor=city_office, tip=tip, fraud_type=FraudType.ELDER_PRODUCT)
        )
    transfers = services.tips_transfer(
        actor=city_office, tips=tips, lead_unit=world.county_a_police
    )
    letters = {t.letter_id for t in transfers}
    assert len(letters) == 1
    letter = transfers[0].letter
    assert letter is not None
    assert [row["number"] for row in letter.tips] == [t.number for t in tips]


def test_second_person_acting_on_a_stale_tip_is_told(
    screened_tip: Tip, city_office: User, world: World
) -> None:
    from conftest import make_user
    from silvershield.core.permissions import Role

    colleague = make_user("city_office_2", world.city_office, Role.OFFICE_STAFF)
    alice_view = _reload(screened_tip)
    bob_view = _reload(screened_tip)
    services.tip_mark_invalid(
        actor=city_office,
        tip=alice_view,
        reason="经电话核实为误报",
        expected_version=alice_view.version,
    )
    # Bob still sees the tip as screened and transfers it: he is told it changed meanwhile.
    with pytest.raises(StaleRecordError):
        services.tips_transfer(
            actor=colleague,
            tips=[bob_view],
            lead_unit=world.county_a_police,
            expected_versions={bob_view.pk: bob_view.version},
        )
    assert not Transfer.objects.exists()
    final = _reload(screened_tip)
    assert final.state == TipState.CLOSED
    assert final.fraud_type == FraudType.NONE


def test_retransfer_downward_within_the_parent_deadline(
    signed: Transfer, county_a_police: User, world: World
) -> None:
    from silvershield.orgs.models import Sector, Unit, UnitKind

    station = Unit.objects.create(
        name="织里派出所",
        kind=UnitKind.MEMBER,
        sector=Sector.POLICE,
        region=world.town_a,
        parent=world.county_a_police,
    )
    child = services.transfer_retransfer(
        actor=county_a_police, transfer=signed, to_unit=station, working_days=60
    )
    assert child.due_at <= signed.due_at
    assert Transfer.objects.get(pk=signed.pk).state == TransferState.DELEGATED
    assert child.parent_id == signed.pk
