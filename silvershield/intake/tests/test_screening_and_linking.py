"""Screening on entry, corrections as labelled data, and 串并 clusters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World, file_tip
from silvershield.core.models import AuditEvent
from silvershield.geo.models import Region
from silvershield.intake import autoscreen, clusters
from silvershield.intake.models import ClusterMember, LinkCluster, MemberState, Tip, TipScreening
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_tip(django_capture_on_commit_callbacks: Any) -> Callable[..., Tip]:
    """File a tip and run what happens after its commit (screening and linking)."""

    def make(actor: User, region: Region, text: str) -> Tip:
        with django_capture_on_commit_callbacks(execute=True):
            return file_tip(actor, region, text)

    return make


SERVICE = "我妈在康乐夕阳红养老服务有限公司交了三万元会员费，说能终身入住养老公寓，现在老板跑路了，电话13905720011打不通。"


def test_every_new_tip_is_screened_on_entry(
    new_tip: Callable[..., Tip], county_a_office: User, world: World
) -> None:
    tip = new_tip(county_a_office, world.county_a, SERVICE)
    screening = TipScreening.objects.get(tip=tip)
    assert screening.is_relevant
    assert screening.fraud_type == "elder_service"
    assert screening.reasons
    assert any(e["kind"] == "phone" for e in screening.entities)
    assert AuditEvent.objects.filter(action="tip.auto_screened", object_id=str(tip.pk)).exists()
    noise = new_tip(
        county_a_office, world.county_a, "小区楼下广场舞音响太吵，晚上十点还在跳，影响休息。"
    )
    assert TipScreening.objects.get(tip=noise).is_relevant is False


def test_a_correction_is_kept_beside_the_result_and_audited(
    new_tip: Callable[..., Tip], county_a_office: User, world: World
) -> None:
    tip = new_tip(county_a_office, world.county_a, SERVICE)
    autoscreen.screening_correct(
        actor=county_a_office,
        tip=tip,
        is_relevant=True,
        fraud_type="elder_project",
        note="实为投资项目",
    )
    screening = TipScreening.objects.get(tip=tip)
    assert screening.fraud_type == "elder_service"  # the machine's answer stays
    assert screening.corrected_type == "elder_project"
    assert screening.corrected_by == county_a_office
    assert AuditEvent.objects.filter(
        action="tip.screening_corrected", object_id=str(tip.pk)
    ).exists()


def test_shared_phone_and_institution_link_transitively(
    new_tip: Callable[..., Tip], county_a_office: User, world: World
) -> None:
    a = new_tip(
        county_a_office, world.county_a, "老人被推销保健品，对方电话13905720011，自称健康顾问。"
    )
    b = new_tip(
        county_a_office, world.town_a, "又有人打电话推销“神药”，号码是139-0572-0011，一盒三千元。"
    )
    c = new_tip(
        county_a_office,
        world.county_a,
        "康乐夕阳红养老服务有限公司收取老人会员费不退，联系电话13905720011。",
    )
    d = new_tip(
        county_a_office, world.county_a, "康乐夕阳红养老公司又在社区开讲座，诱导老人交预付费。"
    )
    cluster_ids = {m.cluster_id for m in ClusterMember.objects.filter(tip__in=[a, b, c, d])}
    assert len(cluster_ids) == 1
    cluster = LinkCluster.objects.get(pk=cluster_ids.pop())
    assert cluster.size == 4
    assert cluster.spans_regions is False


def test_common_words_alone_do_not_link(
    new_tip: Callable[..., Tip], county_a_office: User, world: World
) -> None:
    new_tip(
        county_a_office, world.county_a, "反映本地养老院伙食太差，老人吃不饱，希望民政部门检查。"
    )
    new_tip(
        county_a_office,
        world.county_a,
        "某老年公寓护工态度不好，养老院管理混乱，保健品柜台乱收费。",
    )
    assert not ClusterMember.objects.exists()


def test_split_keeps_the_tip_out_and_undo_brings_it_back(
    new_tip: Callable[..., Tip], county_a_office: User, world: World
) -> None:
    a = new_tip(
        county_a_office, world.county_a, "推销保健品的电话13905720011又打来了，让老人买药。"
    )
    b = new_tip(county_a_office, world.county_a, "13905720011这个号码冒充医生推销“神药”给我爸。")
    cluster = ClusterMember.objects.get(tip=a).cluster
    clusters.cluster_split(
        actor=county_a_office, cluster=cluster, tip=b, reason="号码为回收后重新分配"
    )
    assert ClusterMember.objects.get(tip=b).state == MemberState.SPLIT
    assert LinkCluster.objects.get(pk=cluster.pk).size == 1
    clusters.tip_link(tip=b)  # re-linking does not pull it back by itself
    assert ClusterMember.objects.get(tip=b).state == MemberState.SPLIT
    clusters.cluster_unsplit(actor=county_a_office, cluster=cluster, tip=b)
    assert LinkCluster.objects.get(pk=cluster.pk).size == 2


def test_a_cluster_across_counties_alerts_the_city_office(
    new_tip: Callable[..., Tip],
    county_a_office: User,
    county_b_office: User,
    city_office: User,
    world: World,
    client: Client,
) -> None:
    a = new_tip(
        county_a_office,
        world.county_a,
        "以房养老骗局，对方银行账号6222021234567890128，让老人抵押房产。",
    )
    new_tip(
        county_b_office,
        world.county_b,
        "我父亲把钱转到了6222 0212 3456 7890 128这个账户，说是以房养老理财。",
    )
    cluster = ClusterMember.objects.get(tip=a).cluster
    cluster.refresh_from_db()
    assert cluster.spans_regions
    assert cluster.region == world.city
    client.force_login(city_office)
    assert "跨地区串并待确认" in client.get(reverse("core:workbench")).content.decode()
    # county B sees the cluster but only its own tip in it
    client.force_login(county_b_office)
    page = client.get(reverse("intake:cluster_detail", args=[cluster.pk])).content.decode()
    assert a.number not in page
    assert "不在您的管辖范围" in page
