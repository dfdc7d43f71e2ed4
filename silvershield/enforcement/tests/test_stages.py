"""Stages of a case: the chain 立案 → 破案 → 移送起诉 → 起诉 → 判决 (or 撤案), who records which
stage, and the refusals (dates out of order, skipped stages, duplicate numbers, bad amounts)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from silvershield.core.audit import timeline
from silvershield.core.choices import FraudType
from silvershield.enforcement import services
from silvershield.enforcement.models import Case, CaseStage
from silvershield.enforcement.tests.conftest import days_ago, new_case
from silvershield.orgs.models import Unit, User

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def test_full_chain_by_police_procuratorate_and_court(
    case_a: Case,
    county_a_police: User,
    prosecutor: User,
    judge: User,
    procuratorate: Unit,
    court: Unit,
) -> None:
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    services.case_advance(
        actor=county_a_police,
        case=case_a,
        stage="referred",
        on=days_ago(40),
        to_unit=procuratorate,
    )
    # The procuratorate now sees the case and records 起诉, naming the court.
    services.case_advance(
        actor=prosecutor,
        case=case_a,
        stage="prosecuted",
        on=days_ago(30),
        to_unit=court,
        outcome="以诈骗罪提起公诉",
    )
    services.case_advance(
        actor=judge, case=case_a, stage="judged", on=days_ago(5), outcome="主犯判处有期徒刑十年"
    )
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.JUDGED
    assert case_a.solved_on == days_ago(50)
    assert case_a.referred_to == procuratorate
    assert case_a.judgment_outcome == "主犯判处有期徒刑十年"
    actions = list(timeline(obj=case_a).values_list("action", flat=True))
    assert actions == [
        "case.filed",
        "case.solved",
        "case.referred",
        "case.prosecuted",
        "case.judged",
    ]


def test_stage_date_before_an_earlier_stage_is_refused(case_a: Case, county_a_police: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(61))
    assert "破案日期不能早于立案日期" in _messages(exc)
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.FILED and case_a.solved_on is None


def test_future_date_and_skipping_a_stage_are_refused(
    case_a: Case, county_a_police: User, procuratorate: Unit
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(-1))
    assert "不能晚于今天" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.case_advance(
            actor=county_a_police,
            case=case_a,
            stage="referred",
            on=days_ago(1),
            to_unit=procuratorate,
        )
    assert "下一阶段应为“破案”" in _messages(exc)


def test_sector_decides_who_records_which_stage(
    case_a: Case, county_a_police: User, prosecutor: User, procuratorate: Unit, court: Unit
) -> None:
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    services.case_advance(
        actor=county_a_police,
        case=case_a,
        stage="referred",
        on=days_ago(40),
        to_unit=procuratorate,
    )
    with pytest.raises(ValidationError) as exc:
        services.case_advance(
            actor=county_a_police, case=case_a, stage="prosecuted", on=days_ago(30), to_unit=court
        )
    assert "由检察院登记" in _messages(exc)
    # A court-stage by the procuratorate is refused too.
    with pytest.raises(ValidationError):
        services.case_advance(
            actor=prosecutor, case=case_a, stage="judged", on=days_ago(3), outcome="判决"
        )


def test_procuratorate_cannot_act_before_the_case_is_passed_to_it(
    case_a: Case, prosecutor: User, court: Unit
) -> None:
    with pytest.raises(PermissionDenied):
        services.case_advance(
            actor=prosecutor, case=case_a, stage="prosecuted", on=days_ago(1), to_unit=court
        )


def test_referral_must_name_a_procuratorate(
    case_a: Case, county_a_police: User, world: World
) -> None:
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    with pytest.raises(ValidationError) as exc:
        services.case_advance(
            actor=county_a_police,
            case=case_a,
            stage="referred",
            on=days_ago(40),
            to_unit=world.county_a_civil,
        )
    assert "检察院" in _messages(exc)
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.SOLVED and case_a.referred_on is None


def test_withdrawal_needs_a_reason_and_ends_the_chain(case_a: Case, county_a_police: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_advance(actor=county_a_police, case=case_a, stage="withdrawn", on=days_ago(1))
    assert "撤案理由" in _messages(exc)
    services.case_advance(
        actor=county_a_police,
        case=case_a,
        stage="withdrawn",
        on=days_ago(1),
        outcome="经侦查不构成犯罪",
    )
    with pytest.raises(ValidationError) as exc:
        services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(0))
    assert "已撤案" in _messages(exc)


def test_withdrawal_after_referral_is_refused(
    case_a: Case, county_a_police: User, procuratorate: Unit
) -> None:
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    services.case_advance(
        actor=county_a_police,
        case=case_a,
        stage="referred",
        on=days_ago(40),
        to_unit=procuratorate,
    )
    with pytest.raises(ValidationError) as exc:
        services.case_advance(
            actor=county_a_police,
            case=case_a,
            stage="withdrawn",
            on=days_ago(1),
            outcome="撤回案件",
        )
    assert "移送起诉前" in _messages(exc)


def test_case_number_is_unique_per_unit_not_globally(
    case_a: Case, world: World, county_a_police: User, county_b_police: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        new_case(county_a_police, world.county_a_police)
    assert "案件编号不能重复" in _messages(exc)
    assert Case.objects.count() == 1
    # Another unit may use the same number.
    other = new_case(county_b_police, world.county_b_police)
    assert other.number == case_a.number


def test_bad_amounts_and_counts_are_refused_with_nothing_saved(
    world: World, county_a_police: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=county_a_police,
            owner_unit=world.county_a_police,
            number="X-1",
            name="某案",
            fraud_type=FraudType.ELDER_PRODUCT,
            region=world.county_a,
            filed_on=days_ago(1),
            amount_involved="-1",
            victim_loss="10.005",
            victim_count=2,
            elderly_victim_count=3,
        )
    errors = exc.value.message_dict
    assert errors["amount_involved"] == ["金额不能为负数"]
    assert errors["victim_loss"] == ["金额最多保留两位小数（精确到分）"]
    assert errors["elderly_victim_count"] == ["其中老年人数不能超过受害人数"]
    assert Case.objects.count() == 0


def test_a_case_outside_the_police_units_area_is_refused(
    world: World, county_a_police: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=county_a_police,
            owner_unit=world.county_a_police,
            number="X-2",
            name="某案",
            fraud_type=FraudType.ELDER_PRODUCT,
            region=world.county_b,
            filed_on=days_ago(1),
        )
    assert "辖区" in _messages(exc)


def test_only_police_or_an_office_registers_cases(
    world: World, county_a_civil: User, county_a_office: User
) -> None:
    with pytest.raises(PermissionDenied):
        new_case(county_a_civil, world.county_a_police)
    # The county office registers for its police unit.
    case = new_case(county_a_office, world.county_a_police)
    assert case.owner_unit == world.county_a_police
    assert case.created_by_unit == world.county_a_office
    # …but not for county B's police.
    with pytest.raises(PermissionDenied):
        new_case(county_a_office, world.county_b_police, number="Y-1")


def test_stale_version_is_refused(case_a: Case, county_a_police: User) -> None:
    from silvershield.core.concurrency import StaleRecordError

    old = case_a.version
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    again = Case.objects.get(pk=case_a.pk)
    with pytest.raises(StaleRecordError):
        services.case_advance(
            actor=county_a_police,
            case=again,
            stage="withdrawn",
            on=days_ago(1),
            outcome="重复立案撤销",
            expected_version=old,
        )
