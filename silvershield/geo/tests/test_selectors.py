from __future__ import annotations

import pytest

from silvershield.geo.models import Region
from silvershield.geo.selectors import region_ancestors, region_children, region_get


@pytest.mark.django_db
def test_children_of_none_are_provinces(huzhou: Region, beijing: Region) -> None:
    assert [r.name for r in region_children(parent=None)] == ["北京市", "浙江省"]


@pytest.mark.django_db
def test_children_in_code_order(huzhou: Region) -> None:
    assert [r.name for r in region_children(parent=huzhou)] == [
        "吴兴区",
        "南浔区",
        "德清县",
        "长兴县",
        "安吉县",
    ]


@pytest.mark.django_db
def test_get_by_full_or_short_code(huzhou: Region) -> None:
    assert region_get(code="330500000000") == huzhou
    assert region_get(code="330500") == huzhou
    with pytest.raises(Region.DoesNotExist):
        region_get(code="330600000000")
    with pytest.raises(Region.DoesNotExist):
        region_get(code="湖州")


@pytest.mark.django_db
def test_ancestors_top_down_including_itself(huzhou: Region) -> None:
    town = region_get(code="330502001000")
    assert [r.name for r in region_ancestors(region=town)] == [
        "浙江省",
        "湖州市",
        "吴兴区",
        "月河街道",
    ]
    assert region_ancestors(region=huzhou)[-1] == huzhou
