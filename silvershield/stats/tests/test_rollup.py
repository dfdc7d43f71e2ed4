"""The incrementally kept roll-up equals a rebuild from raw rows after inserts, transitions and
deletions."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.stats.models import DailyRollup
from silvershield.stats.rollup import rollup_rebuild
from silvershield.stats.tests.scenario import Scenario, at
from silvershield.workflow import services

pytestmark = pytest.mark.django_db
FIELDS = (
    "day",
    "region_id",
    "channel",
    "fraud_type",
    "received",
    "screened",
    "valid",
    "transferred",
    "verified",
    "verified_on_time",
    "closed",
    "feedback",
)


def _rows() -> set[tuple[Any, ...]]:
    return set(DailyRollup.objects.values_list(*FIELDS))


def _assert_matches_rebuild() -> None:
    kept = _rows()
    rollup_rebuild()
    assert kept == _rows()


def test_rollup_follows_inserts_transitions_and_deletions(
    scenario: Scenario, world: World, city_office: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert DailyRollup.objects.exists()
    _assert_matches_rebuild()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(at(9, 9), tick=False),
    ):
        new = file_tip(city_office, world.county_b, "有人冒充社保局代办养老保险收费")
    assert DailyRollup.objects.filter(day=at(9).date(), region=world.county_b, received=1).exists()
    _assert_matches_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        services.tip_classify(actor=city_office, tip=new, fraud_type=FraudType.PENSION_INSURANCE)
    row = DailyRollup.objects.get(day=at(9).date(), region=world.county_b)
    assert (row.screened, row.valid, row.fraud_type) == (1, 1, FraudType.PENSION_INSURANCE)
    _assert_matches_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        Tip.objects.get(pk=scenario.b1.pk).delete()
    assert not DailyRollup.objects.filter(day=at(4).date(), region=world.county_b).exists()
    _assert_matches_rebuild()


def test_a_tip_moved_to_another_region_leaves_its_old_bucket(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    tip = Tip.objects.get(pk=scenario.b1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        tip.region = world.county_a
        tip.save(update_fields=["region"])
    assert not DailyRollup.objects.filter(day=at(4).date(), region=world.county_b).exists()
    _assert_matches_rebuild()


def test_rebuild_command(scenario: Scenario) -> None:
    from io import StringIO

    from django.core.management import call_command

    DailyRollup.objects.all().delete()
    out = StringIO()
    call_command("stats_rollup_rebuild", stdout=out)
    assert "roll-up rebuilt" in out.getvalue()
    assert DailyRollup.objects.filter(received__gt=0).count() > 0
