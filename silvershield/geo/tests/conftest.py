from __future__ import annotations

import pytest

from silvershield.geo.constants import DEMO_CITY_CODE
from silvershield.geo.models import Region
from silvershield.geo.services import regions_load

BEIJING = "110000000000"
DONGGUAN = "441900000000"


@pytest.fixture
def huzhou(db: None) -> Region:
    """浙江省湖州市 with its counties and towns (and 浙江省 itself)."""
    regions_load(city_codes=[DEMO_CITY_CODE])
    return Region.objects.get(code=DEMO_CITY_CODE)


@pytest.fixture
def beijing(db: None) -> Region:
    regions_load(province_codes=[BEIJING])
    return Region.objects.get(code=BEIJING)


@pytest.fixture
def dongguan(db: None) -> Region:
    regions_load(city_codes=[DONGGUAN])
    return Region.objects.get(code=DONGGUAN)
