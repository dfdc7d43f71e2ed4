"""Institutions: credit codes validated; an institution's page gathers its tips (proposed by name
matching, confirmed by staff), the cases born from those tips or named by its letters, hazards and
letters."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import World, file_tip
from silvershield.core.audit import timeline
from silvershield.enforcement import services as enforcement_services
from silvershield.orgs.models import Sector, User
from silvershield.rectification import selectors, services
from silvershield.rectification.models import (
    Hazard,
    Institution,
    InstitutionKind,
    InstitutionTipLink,
    Letter,
    LicenceStatus,
)

pytestmark = pytest.mark.django_db


def _create(actor: User, world: World, **kwargs: object) -> Institution:
    values: dict[str, object] = {
        "name": "长寿乐养生馆",
        "kind": InstitutionKind.COMPANY,
        "sector": Sector.MARKET,
        "region": world.county_a,
        "licence_status": LicenceStatus.LICENSED,
    }
    values.update(kwargs)
    return services.institution_create(actor=actor, **values)  # type: ignore[arg-type]


def test_an_invalid_credit_code_is_refused(world: World, county_a_office: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(county_a_office, world, uscc="91330502MA2B3C4D59")  # wrong check digit
    assert "统一社会信用代码无效" in exc.value.message_dict["uscc"][0]
    assert not Institution.objects.exists()


def test_a_licensed_institution_needs_a_code_but_a_black_one_does_not(
    world: World, county_a_office: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(county_a_office, world)
    assert "uscc" in exc.value.message_dict
    black = _create(county_a_office, world, licence_status=LicenceStatus.UNLICENSED)
    assert black.is_unlicensed and black.uscc == ""
    assert "黑机构" in timeline(obj=black).get().summary


def test_the_form_keeps_input_and_shows_the_chinese_message(
    client: Client, world: World, county_a_office: User
) -> None:
    client.force_login(county_a_office)
    response = client.post(
        "/rectification/institutions/new/",
        {
            "name": "长寿乐养生馆",
            "kind": InstitutionKind.COMPANY,
            "licence_status": LicenceStatus.LICENSED,
            "uscc": "12345",
            "sector": Sector.MARKET,
        },
    )
    body = response.content.decode()
    assert "统一社会信用代码无效" in body
    assert 'value="长寿乐养生馆"' in body
    assert not Institution.objects.exists()


def _case(actor: User, unit: Any, number: str, tips: list[Any] | None = None) -> Any:
    return enforcement_services.case_create(
        actor=actor,
        owner_unit=unit,
        number=number,
        name="某养老机构诈骗案",
        fraud_type="elder_service",
        region=unit.region,
        filed_on=timezone.localdate(),
        tips=tips or (),
    )


def test_the_institution_page_gathers_tips_cases_hazards_and_letters(
    client: Client,
    world: World,
    institution: Institution,
    hazard: Hazard,
    letter: Letter,
    county_a_office: User,
) -> None:
    Letter.objects.filter(pk=letter.pk).update(institution=institution)
    named = file_tip(
        county_a_office,
        world.town_a,
        "福寿康养老院以预存养老金可获高额返利为名，收取老人费用",
        involved_institution="福寿康养老院",
    )
    by_text = file_tip(
        county_a_office, world.town_a, "湖州市吴兴区福寿康养老服务有限公司工作人员上门推销保健品"
    )
    unrelated = file_tip(county_a_office, world.town_a, "某保健品公司在社区开展讲座推销产品")
    candidates = {
        c.tip.pk: c.reason
        for c in selectors.tip_candidates(user=county_a_office, institution=institution)
    }
    assert set(candidates) == {named.pk, by_text.pk}
    assert "核心词" in candidates[named.pk]
    assert unrelated.pk not in candidates

    client.force_login(county_a_office)
    response = client.post(
        f"/rectification/institutions/{institution.pk}/do/link/",
        {"tip": named.pk, "reason": candidates[named.pk]},
    )
    assert response.status_code == 302
    assert InstitutionTipLink.objects.filter(institution=institution, tip=named).exists()
    assert timeline(obj=institution).filter(action="institution.tip_linked").count() == 1

    body = client.get(f"/rectification/institutions/{institution.pk}/").content.decode()
    assert named.number in body
    assert hazard.number in body
    assert letter.number in body
    # Cases: one born from the confirmed tip, one named by the letter's case number, and one that
    # has nothing to do with the institution.
    police_unit = world.county_a_police
    from_tip = _case(county_a_office, police_unit, "吴公刑〔2026〕501号", tips=[named])
    from_letter = _case(county_a_office, police_unit, letter.case_number)
    other = _case(county_a_office, police_unit, "吴公刑〔2026〕502号")
    body = client.get(f"/rectification/institutions/{institution.pk}/").content.decode()
    cases = body.split('id="cases"', 1)[1].split("</section>", 1)[0]
    assert from_tip.number in cases and from_letter.number in cases
    assert other.number not in cases
    assert f"/cases/{from_tip.pk}/" in cases
    # The confirmed tip is no longer proposed.
    again = selectors.tip_candidates(user=county_a_office, institution=institution)
    assert {c.tip.pk for c in again} == {by_text.pk}


def test_tips_the_viewer_may_not_see_are_never_shown(
    world: World, institution: Institution, county_a_civil: User, county_b_office: User
) -> None:
    file_tip(
        county_b_office,
        world.county_b,
        "福寿康养老院骗取老人钱财",
        involved_institution="福寿康养老院",
    )
    assert selectors.tip_candidates(user=county_a_civil, institution=institution) == []
