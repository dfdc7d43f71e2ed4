"""由核查报告立案: a verification report whose measures include 立案 offers a case on the tip page,
pre-filled from the tip and linked to the report and the tip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World, file_tip
from silvershield.core.audit import timeline
from silvershield.core.choices import FraudType
from silvershield.enforcement import services
from silvershield.enforcement.models import Case
from silvershield.enforcement.tests.conftest import days_ago
from silvershield.orgs.models import User
from silvershield.workflow import services as wf
from silvershield.workflow.models import VerificationReport

pytestmark = pytest.mark.django_db

FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"


def _report(
    world: World, city_office: User, police: User, measures: list[str]
) -> VerificationReport:
    tip = file_tip(
        city_office,
        world.town_a,
        "有人以养老公寓预收费为名收取老人床位费，已有十余位老人受骗",
        money_amount=Decimal("360000.00"),
        victim_count=13,
    )
    wf.tip_classify(actor=city_office, tip=tip, fraud_type=FraudType.ELDER_SERVICE)
    (transfer,) = wf.tips_transfer(actor=city_office, tips=[tip], lead_unit=world.county_a_police)
    wf.transfer_sign(actor=police, transfer=transfer)
    return wf.report_submit(
        actor=police, transfer=transfer, conclusion="true", facts=FACTS, measures=measures
    )


def test_the_tip_page_offers_a_case_and_files_it(
    world: World, city_office: User, county_a_police: User
) -> None:
    report = _report(world, city_office, county_a_police, ["case_filed"])
    tip = report.tip
    client = Client()
    client.force_login(county_a_police)
    page = client.get(reverse("intake:detail", args=[tip.pk])).content.decode()
    assert 'id="action-from-report"' in page and "尚无关联案件" in page

    # A missing number is refused in words, the input is kept.
    url = reverse("enforcement:from_report", args=[report.pk])
    response = client.post(
        url,
        {
            "owner_unit": world.county_a_police.pk,
            "number": "",
            "name": "养老公寓案",
            "filed_on": days_ago(0),
        },
        headers={"HX-Request": "true"},
    )
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert "养老公寓案" in response.content.decode()
    assert Case.objects.count() == 0

    response = client.post(
        url,
        {
            "owner_unit": world.county_a_police.pk,
            "number": "吴公刑〔2026〕88号",
            "name": "",
            "filed_on": days_ago(0).isoformat(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "enforcement:detail", args=[case.pk]
    )
    assert case.source_report == report
    assert list(case.tips.all()) == [tip]
    assert case.region == world.town_a
    assert case.fraud_type == FraudType.ELDER_SERVICE
    assert case.victim_loss == Decimal("360000.00")
    assert case.victim_count == 13
    assert case.owner_unit == world.county_a_police
    assert [e.action for e in timeline(obj=case)] == ["case.filed"]
    assert "关联案件 吴公刑〔2026〕88号" in timeline(obj=tip).last().summary  # type: ignore[union-attr]

    page = client.get(reverse("intake:detail", args=[tip.pk])).content.decode()
    assert "吴公刑〔2026〕88号" in page and 'id="action-from-report"' not in page
    with pytest.raises(ValidationError, match="已有关联案件"):
        services.case_create_from_report(
            actor=county_a_police, report=report, owner_unit=world.county_a_police, number="2"
        )


def test_a_report_without_the_measure_offers_nothing(
    world: World, city_office: User, county_a_police: User
) -> None:
    report = _report(world, city_office, county_a_police, ["order_fix"])
    client = Client()
    client.force_login(county_a_police)
    page = client.get(reverse("intake:detail", args=[report.tip.pk])).content.decode()
    assert 'id="action-from-report"' not in page
    with pytest.raises(ValidationError, match="不含“立案”"):
        services.case_create_from_report(
            actor=county_a_police, report=report, owner_unit=world.county_a_police, number="1"
        )


def test_the_office_files_from_an_accepted_report_for_the_police(
    world: World, city_office: User, county_a_police: User
) -> None:
    report = _report(world, city_office, county_a_police, ["case_filed", "penalty"])
    wf.report_review(actor=city_office, report=report, accept=True)
    report.refresh_from_db()
    case = services.case_create_from_report(
        actor=city_office, report=report, owner_unit=world.county_a_police, number="吴公刑1号"
    )
    assert case.created_by_unit == world.city_office
    assert case.filed_on == timezone.localtime(report.submitted_at).date()


def test_a_case_filed_from_a_clustered_tip_records_the_cluster(
    world: World, city_office: User, county_a_police: User
) -> None:
    from silvershield.intake.models import ClusterMember, LinkCluster

    report = _report(world, city_office, county_a_police, ["case_filed"])
    now = timezone.now()
    cluster = LinkCluster.objects.create(created_at=now, updated_at=now, size=1)
    ClusterMember.objects.create(cluster=cluster, tip=report.tip, added_at=now)
    case = services.case_create_from_report(
        actor=county_a_police, report=report, owner_unit=world.county_a_police, number="吴公刑2号"
    )
    assert case.cluster == cluster
