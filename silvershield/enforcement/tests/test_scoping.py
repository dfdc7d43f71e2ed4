"""Who sees which case: two counties, police versus another member unit, offices by jurisdiction,
and units a case was passed to. Unseen is 404; seen but not writable is 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World, make_user
from silvershield.core.permissions import Role
from silvershield.enforcement import selectors, services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.orgs.models import Unit, User
from silvershield.stats.tests.lookup import stat

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _seen(user: User) -> set[str]:
    return set(selectors.cases_visible_to(user=user).values_list("number", flat=True))


def test_county_police_sees_its_cases_not_the_other_countys(
    case_a: Case, case_b: Case, county_a_police: User, county_b_police: User
) -> None:
    assert _seen(county_a_police) == {case_a.number}
    assert _seen(county_b_police) == {case_b.number}
    response = _client(county_a_police).get(reverse("enforcement:detail", args=[case_b.pk]))
    assert response.status_code == 404


def test_civil_affairs_of_the_same_county_does_not_see_police_cases(
    case_a: Case, county_a_civil: User
) -> None:
    assert _seen(county_a_civil) == set()
    client = _client(county_a_civil)
    assert client.get(reverse("enforcement:detail", args=[case_a.pk])).status_code == 404
    response = client.post(
        reverse("enforcement:action", args=[case_a.pk, "recovery"]),
        {"kind": "freeze", "amount": "1", "on": days_ago(1).isoformat()},
    )
    assert response.status_code == 404
    assert stat("cases_filed", county_a_civil).numerator == 0


def test_offices_see_their_jurisdiction(
    case_a: Case, case_b: Case, county_a_office: User, city_office: User, world: World
) -> None:
    assert _seen(county_a_office) == {case_a.number}
    assert _seen(city_office) == {case_a.number, case_b.number}
    leader = make_user("leader", world.city_office, Role.OFFICE_LEADER)
    assert _seen(leader) == {case_a.number, case_b.number}
    # A leader views but may not write: 403.
    client = _client(leader)
    assert client.get(reverse("enforcement:detail", args=[case_a.pk])).status_code == 200
    response = client.post(
        reverse("enforcement:action", args=[case_a.pk, "suspect"]),
        {"name": "张某", "status": "at_large"},
    )
    assert response.status_code == 403


def test_region_filter_narrows_within_scope(
    case_a: Case, case_b: Case, city_office: User, world: World
) -> None:
    qs = selectors.cases_visible_to(
        user=city_office, filters=selectors.CaseFilters(region=world.county_b)
    )
    assert list(qs.values_list("number", flat=True)) == [case_b.number]


def test_the_procuratorate_sees_a_case_once_it_is_referred(
    case_a: Case, county_a_police: User, prosecutor: User, procuratorate: Unit
) -> None:
    assert _seen(prosecutor) == set()
    services.case_advance(actor=county_a_police, case=case_a, stage="solved", on=days_ago(50))
    services.case_advance(
        actor=county_a_police,
        case=case_a,
        stage="referred",
        on=days_ago(40),
        to_unit=procuratorate,
    )
    assert _seen(prosecutor) == {case_a.number}


def test_a_member_unit_cannot_write_into_another_units_visible_case(
    case_a: Case, county_a_office: User, county_a_civil: User, world: World
) -> None:
    # The 民政 handler is also a leader of the county office: sees the case, may not manage it.
    from silvershield.orgs.models import Membership

    Membership.objects.create(
        user=county_a_civil, unit=world.county_a_office, role=Role.OFFICE_LEADER
    )
    county_a_civil.forget_memberships()
    client = _client(county_a_civil)
    assert client.get(reverse("enforcement:detail", args=[case_a.pk])).status_code == 200
    response = client.post(
        reverse("enforcement:action", args=[case_a.pk, "recovery"]),
        {"kind": "freeze", "amount": "1", "on": days_ago(1).isoformat()},
    )
    assert response.status_code == 403
