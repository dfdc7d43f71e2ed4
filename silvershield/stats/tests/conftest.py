from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from conftest import World
from silvershield.orgs.models import User
from silvershield.stats.tests import crackdown_scenario
from silvershield.stats.tests.scenario import NOW, county_b_police, scenario

__all__ = ["county_b_police", "crackdown", "scenario"]


@pytest.fixture
def crackdown(
    world: World,
    county_a_office: User,
    county_b_office: User,
    county_a_police: User,
    county_a_civil: User,
    settings: Any,
    tmp_path: Any,
) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    crackdown_scenario.build(
        world, county_a_office, county_b_office, county_a_police, county_a_civil
    )
    with time_machine.travel(NOW, tick=False):
        yield
