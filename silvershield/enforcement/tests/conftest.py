"""Enforcement fixtures: county A's procuratorate and court, and cases in both counties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import World, make_user
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Role
from silvershield.enforcement import services
from silvershield.enforcement.models import Case
from silvershield.orgs.models import Sector, Unit, UnitKind, User


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


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
def prosecutor(procuratorate: Unit) -> User:
    return make_user("prosecutor", procuratorate, Role.UNIT_HANDLER, full_name="钱立新")


@pytest.fixture
def judge(court: Unit) -> User:
    return make_user("judge", court, Role.UNIT_HANDLER, full_name="吴振华")


@pytest.fixture
def county_b_police(world: World) -> User:
    return make_user(
        "county_b_police", world.county_b_police, Role.UNIT_HANDLER, full_name="陈国栋"
    )


def new_case(
    actor: User,
    unit: Unit,
    *,
    number: str = "吴公刑〔2026〕101号",
    loss: str = "1000000.00",
    filed_on: dt.date | None = None,
) -> Case:
    region = unit.region
    assert region is not None
    return services.case_create(
        actor=actor,
        owner_unit=unit,
        number=number,
        name="某养老公寓预收床位费诈骗案",
        fraud_type=FraudType.ELDER_SERVICE,
        region=region,
        filed_on=filed_on or days_ago(60),
        amount_involved="1200000.00",
        victim_loss=loss,
        victim_count=13,
        elderly_victim_count=12,
    )


@pytest.fixture
def case_a(world: World, county_a_police: User) -> Case:
    return new_case(county_a_police, world.county_a_police)


@pytest.fixture
def case_b(world: World, county_b_police: User) -> Case:
    return new_case(county_b_police, world.county_b_police, number="长公刑〔2026〕7号")
