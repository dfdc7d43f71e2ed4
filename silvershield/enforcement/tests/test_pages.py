"""The ledger's own pages: registering a case through the form, gang pages, the cold-case list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World, file_tip
from silvershield.enforcement import services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.intake.models import (
    ClusterMember,
    GrantReason,
    LinkCluster,
    MemberState,
    TipGrant,
)
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def _form(world: World, number: str) -> dict[str, object]:
    return {
        "owner_unit": world.county_a_police.pk,
        "number": number,
        "name": "某“以房养老”诈骗案",
        "fraud_type": "house_pension",
        "region_0": world.city.parent.code if world.city.parent else "",
        "region_1": world.city.code,
        "region_2": world.county_a.code,
        "filed_on": days_ago(2).isoformat(),
        "amount_involved": "800000",
        "victim_loss": "750000.5",
        "victim_count": "4",
        "elderly_victim_count": "4",
    }


def test_register_through_the_form(world: World, county_a_police: User) -> None:
    client = Client()
    client.force_login(county_a_police)
    response = client.post(reverse("enforcement:create"), _form(world, "吴公刑9号"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.region == world.county_a and str(case.victim_loss) == "750000.50"
    again = client.post(reverse("enforcement:create"), _form(world, "吴公刑9号"))
    body = again.content.decode()
    assert "案件编号不能重复" in body and 'value="吴公刑9号"' in body
    assert Case.objects.count() == 1


def test_one_case_from_a_cluster_of_tips(
    world: World, county_a_police: User, county_a_office: User, county_b_office: User
) -> None:
    now = timezone.now()
    mine = [
        file_tip(county_a_office, world.town_a, f"某公司以养老项目为名集资，第{i}位老人反映")
        for i in range(2)
    ]
    theirs = file_tip(county_b_office, world.county_b, "长兴县老人反映同一公司集资")
    cluster = LinkCluster.objects.create(
        created_at=now, updated_at=now, size=3, region=world.city, spans_regions=True
    )
    for tip in [*mine, theirs]:
        ClusterMember.objects.create(
            cluster=cluster, tip=tip, reason="phone", added_at=now, state=MemberState.MEMBER
        )
    TipGrant.objects.bulk_create(
        TipGrant(tip=t, unit=world.county_a_police, reason=GrantReason.SHARED) for t in mine
    )
    client = Client()
    client.force_login(county_a_police)
    cluster_page = client.get(reverse("intake:cluster_detail", args=[cluster.pk])).content.decode()
    assert f"/cases/new/?cluster={cluster.pk}" in cluster_page
    form_page = client.get(f"{reverse('enforcement:create')}?cluster={cluster.pk}").content.decode()
    assert mine[0].number in form_page and theirs.number not in form_page
    response = client.post(
        reverse("enforcement:create"), {**_form(world, "吴公刑12号"), "cluster": cluster.pk}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.cluster == cluster
    assert set(case.tips.all()) == set(mine)  # county B's tip stays out of county A's case
    # A cluster the police cannot see is a 404, not a case.
    hidden = LinkCluster.objects.create(created_at=now, updated_at=now, size=1, region=world.city)
    lone = file_tip(county_b_office, world.county_b, "长兴县另一老人反映保健品推销")
    ClusterMember.objects.create(cluster=hidden, tip=lone, added_at=now)
    assert client.get(f"{reverse('enforcement:create')}?cluster={hidden.pk}").status_code == 404


def test_other_member_units_are_told_they_cannot_register(
    county_a_civil: User, county_a_police: User, county_a_office: User
) -> None:
    client = Client()
    client.force_login(county_a_civil)
    response = client.get(reverse("enforcement:create"))
    assert response.status_code == 403 and "不能登记案件" in response.content.decode()
    create = f'href="{reverse("enforcement:create")}"'
    ledger = f'href="{reverse("enforcement:list")}"'
    page = client.get(reverse("enforcement:list")).content.decode()
    assert ledger in page and create not in page  # 民政 reads the ledger, is not offered 登记案件
    for registrar in (county_a_police, county_a_office):
        client.force_login(registrar)
        assert create in client.get(reverse("enforcement:list")).content.decode()


def test_gang_and_cold_pages(case_a: Case, county_a_police: User, county_a_civil: User) -> None:
    suspect = services.suspect_add(
        actor=county_a_police, case=case_a, name="周某某", status="arrested", caught_on=days_ago(9)
    )
    gang = services.gang_create(
        actor=county_a_police, case=case_a, name="周某某诈骗团伙", members=[suspect]
    )
    services.cold_case_flag(
        actor=county_a_police, case=case_a, reason="涉案资金去向未查清", due_on=days_ago(-1)
    )
    client = Client()
    client.force_login(county_a_police)
    assert "周某某诈骗团伙" in client.get(reverse("enforcement:gangs")).content.decode()
    page = client.get(reverse("enforcement:gang", args=[gang.pk])).content.decode()
    assert case_a.number in page and "周某某（已抓获" in page
    assert "涉案资金去向未查清" in client.get(reverse("enforcement:cold")).content.decode()
    client.force_login(county_a_civil)
    assert client.get(reverse("enforcement:gang", args=[gang.pk])).status_code == 404
