"""A hand-counted week in 湖州市 (Mon 2 – Sun 8 Nov 2026), looked at on Tue 10 Nov 2026.

吴兴区 (county A, in its first town):
  a1  phone   elder_service  classified, transferred (10 wd), signed, reported on time, accepted,
                             answered, closed
  a2  12345   none           marked invalid
  a3  phone   elder_product  classified, transferred (3 wd: due 24:00 Thu 5 Nov), still open → overdue
长兴县 (county B):
  b1  letter  —              received only
  b2  phone   elder_project  classified, transferred to 长兴县公安局 (10 wd)
and one tip in 吴兴区 received the week before (26 Oct), only received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.intake.models import Channel, Tip
from silvershield.orgs.models import User
from silvershield.stats.periods import Period
from silvershield.workflow import services
from silvershield.workflow.models import Conclusion, Measure

SH = ZoneInfo("Asia/Shanghai")
WEEK = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 8))
NOW = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SH)
FACTS = "经实地核查，该养老公寓确以预收床位费为名收取多名老人费用，现已立案侦查。"


def at(day: int, hour: int = 10, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SH)


@dataclass
class Scenario:
    a1: Tip
    a2: Tip
    a3: Tip
    b1: Tip
    b2: Tip
    earlier: Tip


def build(
    world: World, city_office: User, county_a_police: User, county_b_police: User
) -> Scenario:
    def filed(when: dt.datetime, region, channel: str, text: str) -> Tip:  # type: ignore[no-untyped-def]
        with time_machine.travel(when, tick=False):
            return file_tip(city_office, region, text, channel=channel)

    def step(when: dt.datetime):  # type: ignore[no-untyped-def]
        return time_machine.travel(when, tick=False)

    earlier = filed(at(26, month=10), world.town_a, Channel.PHONE, "上周有人推销养老保健品")
    a1 = filed(at(2, 9), world.town_a, Channel.PHONE, "有人以养老公寓预收费为名收取老人床位费")
    a2 = filed(at(2, 11), world.town_a, Channel.HOTLINE_12345, "小区噪音扰民投诉")
    a3 = filed(at(3, 9), world.town_a, Channel.PHONE, "有公司向老人高价推销保健品")
    b1 = filed(at(4, 9), world.county_b, Channel.LETTER, "来信反映有人以养老项目为名集资")
    b2 = filed(at(5, 9), world.county_b, Channel.PHONE, "有人以投资养老项目为名高息揽储")
    with step(at(2, 14)):
        a1 = services.tip_classify(actor=city_office, tip=a1, fraud_type=FraudType.ELDER_SERVICE)
        (t1,) = services.tips_transfer(
            actor=city_office, tips=[a1], lead_unit=world.county_a_police, working_days=10
        )
        services.tip_mark_invalid(
            actor=city_office, tip=Tip.objects.get(pk=a2.pk), reason="噪音投诉，非诈骗线索"
        )
    with step(at(3, 10)):
        a3 = services.tip_classify(actor=city_office, tip=a3, fraud_type=FraudType.ELDER_PRODUCT)
        services.tips_transfer(
            actor=city_office, tips=[a3], lead_unit=world.county_a_police, working_days=3
        )
        services.transfer_sign(actor=county_a_police, transfer=t1)
    with step(at(4, 15)):
        report = services.report_submit(
            actor=county_a_police,
            transfer=t1,
            conclusion=Conclusion.TRUE,
            facts=FACTS,
            measures=[Measure.CASE_FILED],
        )
        services.report_review(actor=city_office, report=report, accept=True)
        services.feedback_write(
            actor=county_a_police,
            tip=Tip.objects.get(pk=a1.pk),
            text="您反映的问题经核查属实，公安机关已立案侦查。",
        )
        services.tip_close(actor=city_office, tip=Tip.objects.get(pk=a1.pk))
    with step(at(5, 14)):
        b2 = services.tip_classify(actor=city_office, tip=b2, fraud_type=FraudType.ELDER_PROJECT)
        services.tips_transfer(
            actor=city_office, tips=[b2], lead_unit=world.county_b_police, working_days=10
        )
    return Scenario(*(Tip.objects.get(pk=t.pk) for t in (a1, a2, a3, b1, b2, earlier)))


@pytest.fixture
def county_b_police(world: World) -> User:
    from conftest import make_user
    from silvershield.core.permissions import Role

    return make_user(
        "county_b_police", world.county_b_police, Role.UNIT_HANDLER, full_name="钱立新"
    )


@pytest.fixture
def scenario(
    world: World,
    city_office: User,
    county_a_police: User,
    county_b_police: User,
    django_capture_on_commit_callbacks: Any,
) -> Iterator[Scenario]:
    with django_capture_on_commit_callbacks(execute=True):
        built = build(world, city_office, county_a_police, county_b_police)
    with time_machine.travel(NOW, tick=False):
        yield built
