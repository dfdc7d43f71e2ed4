"""Workflow fixtures: a screened tip in county A and the people who handle it."""

from __future__ import annotations

import pytest

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.workflow import services
from silvershield.workflow.models import Transfer


@pytest.fixture
def screened_tip(world: World, city_office: User) -> Tip:
    tip = file_tip(
        city_office, world.town_a, "有人以养老公寓预收费为名收取老人床位费，已有十余位老人受骗"
    )
    return services.tip_classify(actor=city_office, tip=tip, fraud_type=FraudType.ELDER_SERVICE)


@pytest.fixture
def transfer(screened_tip: Tip, city_office: User, county_a_police: User, world: World) -> Transfer:
    (created,) = services.tips_transfer(
        actor=city_office, tips=[screened_tip], lead_unit=world.county_a_police
    )
    return created


@pytest.fixture
def signed(transfer: Transfer, county_a_police: User) -> Transfer:
    return services.transfer_sign(actor=county_a_police, transfer=transfer)


FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"
