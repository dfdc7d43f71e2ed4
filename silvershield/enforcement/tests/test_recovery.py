"""Asset recovery (追赃挽损): money moves from frozen/seized to returned and counts once; Decimal
exactness; refusals (returned more than secured, recovered more than losses without a reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from silvershield.core.audit import timeline
from silvershield.enforcement import money, selectors, services
from silvershield.enforcement.models import Case, RecoveryRecord, RecoveryRelease
from silvershield.enforcement.tests.conftest import days_ago, new_case
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def _rec(case: Case) -> money.Recovery:
    case.refresh_from_db()
    return selectors.case_recovery(case=case)


def test_frozen_then_returned_counts_once(case_a: Case, county_a_police: User) -> None:
    freeze = services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="300000.00", on=days_ago(30)
    )
    rec = _rec(case_a)
    assert rec.recovered == Decimal("300000.00")
    assert rec.returned == Decimal("0.00")
    # 120,000 of the frozen money goes back to victims: recovered stays the same.
    services.recovery_record(
        actor=county_a_police,
        case=case_a,
        kind="return",
        amount="120000.00",
        on=days_ago(10),
        releases=[(freeze, "120000.00")],
    )
    rec = _rec(case_a)
    assert rec.secured_outstanding == Decimal("180000.00")
    assert rec.returned == Decimal("120000.00")
    assert rec.recovered == Decimal("300000.00")
    assert rec.recovery_rate == Decimal("0.3000")
    assert rec.returned_rate == Decimal("0.1200")
    # A direct refund (退赔, never frozen) adds to recovered.
    services.recovery_record(
        actor=county_a_police, case=case_a, kind="return", amount="50000.50", on=days_ago(5)
    )
    rec = _rec(case_a)
    assert rec.recovered == Decimal("350000.50")
    assert rec.returned == Decimal("170000.50")
    assert rec.recovery_rate == Decimal("0.3500")


def test_cents_add_up_exactly(world: World, county_a_police: User) -> None:
    case = new_case(county_a_police, world.county_a_police, loss="0.30")
    for _ in range(3):
        services.recovery_record(
            actor=county_a_police, case=case, kind="seize", amount="0.10", on=days_ago(1)
        )
    rec = _rec(case)
    assert rec.recovered == Decimal("0.30")
    assert rec.recovery_rate == Decimal("1.0000")
    assert money.percent(rec.recovery_rate) == "100.00%"


def test_return_beyond_what_the_freeze_still_holds_is_refused(
    case_a: Case, county_a_police: User
) -> None:
    freeze = services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="1000.00", on=days_ago(30)
    )
    services.recovery_record(
        actor=county_a_police,
        case=case_a,
        kind="return",
        amount="999.99",
        on=days_ago(20),
        releases=[(freeze, "999.99")],
    )
    with pytest.raises(ValidationError) as exc:
        services.recovery_record(
            actor=county_a_police,
            case=case_a,
            kind="return",
            amount="0.02",
            on=days_ago(10),
            releases=[(freeze, "0.02")],
        )
    assert "返还超过了已冻结/扣押的金额" in exc.value.message_dict["releases"][0]
    assert "尚余0.01 元" in exc.value.message_dict["releases"][0]
    # The last cent can go.
    services.recovery_record(
        actor=county_a_police,
        case=case_a,
        kind="return",
        amount="0.01",
        on=days_ago(10),
        releases=[(freeze, "0.01")],
    )
    assert money.outstanding_of(freeze) == Decimal("0.00")
    assert RecoveryRecord.objects.filter(case=case_a).count() == 3


def test_drawing_more_than_the_return_and_bad_amounts_are_refused(
    case_a: Case, county_a_police: User, case_b: Case, county_b_police: User
) -> None:
    freeze = services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="500.00", on=days_ago(30)
    )
    with pytest.raises(ValidationError) as exc:
        services.recovery_record(
            actor=county_a_police,
            case=case_a,
            kind="return",
            amount="100.00",
            on=days_ago(3),
            releases=[(freeze, "200.00")],
        )
    assert "超过本次返还金额" in exc.value.message_dict["releases"][0]
    for bad, message in (("-5", "金额不能为负数"), ("0", "金额须大于0"), ("1.234", "两位小数")):
        with pytest.raises(ValidationError) as exc:
            services.recovery_record(
                actor=county_a_police, case=case_a, kind="seize", amount=bad, on=days_ago(1)
            )
        assert message in exc.value.message_dict["amount"][0]
    # A return before the freeze it releases, and a freeze of another case, are refused.
    with pytest.raises(ValidationError) as exc:
        services.recovery_record(
            actor=county_a_police,
            case=case_a,
            kind="return",
            amount="10.00",
            on=days_ago(31),
            releases=[(freeze, "10.00")],
        )
    assert "不能早于" in exc.value.message_dict["on"][0]
    other = services.recovery_record(
        actor=county_b_police, case=case_b, kind="freeze", amount="10.00", on=days_ago(3)
    )
    with pytest.raises(ValidationError):
        services.recovery_record(
            actor=county_a_police,
            case=case_a,
            kind="return",
            amount="10.00",
            on=days_ago(1),
            releases=[(other, "10.00")],
        )
    assert RecoveryRecord.objects.filter(case=case_a).count() == 1
    assert RecoveryRelease.objects.count() == 0


def test_recovered_beyond_losses_needs_a_recorded_reason(
    world: World, county_a_police: User
) -> None:
    case = new_case(county_a_police, world.county_a_police, loss="1000.00")
    services.recovery_record(
        actor=county_a_police, case=case, kind="freeze", amount="1000.00", on=days_ago(3)
    )
    with pytest.raises(ValidationError) as exc:
        services.recovery_record(
            actor=county_a_police, case=case, kind="seize", amount="0.01", on=days_ago(2)
        )
    assert "超过受害人损失" in exc.value.message_dict["over_loss_reason"][0]
    assert RecoveryRecord.objects.filter(case=case).count() == 1
    services.recovery_record(
        actor=county_a_police,
        case=case,
        kind="seize",
        amount="200.00",
        on=days_ago(2),
        over_loss_reason="查封房产估值含增值部分，待法院处置后返还",
    )
    case.refresh_from_db()
    assert case.over_recovery_reason.startswith("查封房产")
    rec = _rec(case)
    assert rec.recovery_rate == Decimal("1.2000")
    # Lowering the losses below what was recovered keeps the recorded reason.
    services.case_update(
        actor=county_a_police,
        case=case,
        name=case.name,
        fraud_type=case.fraud_type,
        summary="",
        amount_involved="1000.00",
        victim_loss="900.00",
        victim_count=13,
        elderly_victim_count=12,
        over_recovery_reason=case.over_recovery_reason,
    )
    with pytest.raises(ValidationError) as exc:
        services.case_update(
            actor=county_a_police,
            case=case,
            name=case.name,
            fraud_type=case.fraud_type,
            summary="",
            amount_involved="1000.00",
            victim_loss="800.00",
            victim_count=13,
            elderly_victim_count=12,
            over_recovery_reason="",
        )
    assert "超过受害人损失" in exc.value.message_dict["over_recovery_reason"][0]


def test_no_losses_means_no_rate(world: World, county_a_police: User) -> None:
    case = new_case(county_a_police, world.county_a_police, loss="0")
    rec = _rec(case)
    assert rec.recovery_rate is None and rec.returned_rate is None
    assert money.percent(rec.recovery_rate) == "—"


def test_money_is_shown_in_yuan_and_wan() -> None:
    assert money.yuan(Decimal("1234567.5")) == "1,234,567.50 元"
    assert money.wan(Decimal("1234567.5")) == "123.46 万元"
    assert money.wan(Decimal("49.99")) == "0.00 万元"
    assert money.wan(Decimal("50.00")) == "0.01 万元"
    with pytest.raises(ValueError, match="精确的十进制"):
        money.parse_amount(0.1)


def test_each_recovery_writes_an_event_without_suspect_names(
    case_a: Case, county_a_police: User
) -> None:
    services.suspect_add(
        actor=county_a_police, case=case_a, name="李某某", status="arrested", caught_on=days_ago(9)
    )
    services.recovery_record(
        actor=county_a_police, case=case_a, kind="freeze", amount="8000.00", on=days_ago(8)
    )
    events = list(timeline(obj=case_a))
    assert [e.action for e in events][-2:] == ["case.suspect_added", "case.recovery_freeze"]
    assert "累计追赃挽损8,000.00 元" in events[-1].summary
    assert all("李某某" not in (e.summary + str(e.data)) for e in events)
