"""Fixed facts the demo and tests rely on."""

from __future__ import annotations

from typing import Final

# The demo uses one real prefecture-level city with its real counties and towns:
# 浙江省湖州市 (5 counties, 72 towns in the packaged data).
DEMO_PROVINCE_CODE: Final = "330000000000"
DEMO_CITY_CODE: Final = "330500000000"
DEMO_COUNTY_CODES: Final[dict[str, str]] = {
    "330502000000": "吴兴区",
    "330503000000": "南浔区",
    "330521000000": "德清县",
    "330522000000": "长兴县",
    "330523000000": "安吉县",
}
# Two counties the demo loader uses for its county offices.
DEMO_COUNTY_A_CODE: Final = "330502000000"  # 吴兴区
DEMO_COUNTY_B_CODE: Final = "330522000000"  # 长兴县
