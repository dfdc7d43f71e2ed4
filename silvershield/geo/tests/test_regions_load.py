from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from silvershield.core.models import AuditEvent
from silvershield.geo.constants import DEMO_CITY_CODE, DEMO_COUNTY_CODES
from silvershield.geo.models import Region, RegionLevel
from silvershield.geo.services import regions_load, regions_read


def _file_counts(prefix: str) -> Counter[int]:
    return Counter(r.level for r in regions_read().values() if r.code.startswith(prefix))


def _db_counts() -> Counter[int]:
    return Counter(Region.objects.values_list("level", flat=True))


def test_packaged_file_is_whole_country_down_to_towns() -> None:
    records = regions_read()
    levels = Counter(r.level for r in records.values())
    assert levels[RegionLevel.PROVINCE] == 34
    assert levels[RegionLevel.CITY] > 330
    assert levels[RegionLevel.COUNTY] > 2800
    assert levels[RegionLevel.TOWN] > 40000
    assert all(len(code) == 12 and code.isdigit() for code in records)
    for record in records.values():
        if record.parent_code:
            assert records[record.parent_code].level < record.level


@pytest.mark.django_db
def test_load_province_matches_file_counts_by_level() -> None:
    written = regions_load(province_codes=["330000"])

    expected = _file_counts("33")
    assert _db_counts() == expected
    assert written == sum(expected.values())
    assert expected[RegionLevel.PROVINCE] == 1
    assert expected[RegionLevel.CITY] == 11
    assert expected[RegionLevel.COUNTY] > 80
    assert expected[RegionLevel.TOWN] > 1000


@pytest.mark.django_db
def test_load_city_brings_its_ancestors_and_descendants_only(huzhou: Region) -> None:
    assert _db_counts() == Counter(
        {
            RegionLevel.PROVINCE: 1,
            RegionLevel.CITY: 1,
            **{k: v for k, v in _file_counts("3305").items() if k > 2},
        }
    )
    assert huzhou.full_name == "浙江省湖州市"
    counties = dict(Region.objects.filter(parent=huzhou).values_list("code", "name"))
    assert counties == DEMO_COUNTY_CODES
    assert Region.objects.get(code=DEMO_CITY_CODE).parent.code == "330000000000"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_municipality_has_city_level_node_and_plain_full_names(beijing: Region) -> None:
    shixiaqu = Region.objects.get(code="110100000000")
    assert (shixiaqu.name, shixiaqu.level, shixiaqu.parent) == ("市辖区", RegionLevel.CITY, beijing)
    dongcheng = Region.objects.get(code="110101000000")
    assert dongcheng.parent == shixiaqu
    assert dongcheng.level == RegionLevel.COUNTY
    assert dongcheng.full_name == "北京市东城区"
    assert dongcheng.path == "110000000000/110100000000/110101000000/"
    town = Region.objects.get(code="110101001000")
    assert (town.name, town.full_name) == ("东华门街道", "北京市东城区东华门街道")
    assert town.level == RegionLevel.TOWN


@pytest.mark.django_db
def test_chongqing_has_districts_and_counties_nodes() -> None:
    regions_load(province_codes=["500000"])
    assert Region.objects.get(code="500200000000").name == "县"
    assert Region.objects.get(code="500229000000").full_name == "重庆市城口县"


@pytest.mark.django_db
def test_city_without_counties_has_towns_directly_below(dongguan: Region) -> None:
    assert not Region.objects.filter(level=RegionLevel.COUNTY).exists()
    towns = Region.objects.filter(parent=dongguan)
    assert towns.count() > 30
    assert set(towns.values_list("level", flat=True)) == {RegionLevel.TOWN}
    dongcheng = Region.objects.get(code="441900003000")
    assert dongcheng.full_name == "广东省东莞市东城街道"
    assert dongcheng.path == "440000000000/441900000000/441900003000/"


@pytest.mark.django_db
def test_jiayuguan_towns_hang_under_the_city() -> None:
    regions_load(city_codes=["620200"])
    jiayuguan = Region.objects.get(code="620200000000")
    assert Region.objects.filter(parent=jiayuguan, level=RegionLevel.TOWN).count() == 5
    assert not Region.objects.filter(code="620201000000").exists()


@pytest.mark.django_db
def test_province_administered_county_level_city() -> None:
    regions_load(city_codes=["419000"])
    jiyuan = Region.objects.get(code="419001000000")
    assert jiyuan.parent.name == "省直辖县级行政区划"  # type: ignore[union-attr]
    assert jiyuan.full_name == "河南省济源市"
    assert jiyuan.children.count() > 5


@pytest.mark.django_db
def test_reload_is_idempotent(huzhou: Region) -> None:
    ids = dict(Region.objects.values_list("code", "id"))

    assert regions_load(city_codes=[DEMO_CITY_CODE]) == 0
    assert regions_load(province_codes=["33"]) > 0  # the rest of 浙江 is new
    assert regions_load(province_codes=["33"]) == 0

    # One audit event per load that wrote something, none for the idle reloads.
    events = AuditEvent.objects.filter(action="geo.regions_load")
    assert events.count() == 2
    assert events.last().data["province_codes"] == ["33"]  # type: ignore[union-attr]

    after = dict(Region.objects.values_list("code", "id"))
    assert {code: after[code] for code in ids} == ids
    assert Region.objects.count() == len(after) == sum(_file_counts("33").values())


@pytest.mark.django_db
def test_reload_repairs_changed_rows_only(huzhou: Region) -> None:
    Region.objects.filter(code="330502000000").update(name="旧名", full_name="旧名")

    assert regions_load(city_codes=[DEMO_CITY_CODE]) == 1
    wuxing = Region.objects.get(code="330502000000")
    assert (wuxing.name, wuxing.full_name) == ("吴兴区", "浙江省湖州市吴兴区")


@pytest.mark.django_db
def test_unknown_or_wrong_level_code_is_refused() -> None:
    with pytest.raises(ValueError, match="999900"):
        regions_load(city_codes=["999900"])
    with pytest.raises(ValueError, match="330500"):
        regions_load(province_codes=["330500"])
    with pytest.raises(ValueError, match="不是有效"):
        regions_load(city_codes=["湖州"])
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_path_and_is_within(huzhou: Region) -> None:
    zhejiang = Region.objects.get(code="330000000000")
    wuxing = Region.objects.get(code="330502000000")
    town = Region.objects.get(code="330502001000")
    changxing = Region.objects.get(code="330522000000")

    assert town.path == "330000000000/330500000000/330502000000/330502001000/"
    assert town.is_within(wuxing)
    assert town.is_within(huzhou)
    assert town.is_within(zhejiang)
    assert town.is_within(town)
    assert not town.is_within(changxing)
    assert not huzhou.is_within(town)
    in_wuxing = Region.objects.filter(path__startswith=wuxing.path)
    assert in_wuxing.count() == 1 + wuxing.children.count()


@pytest.mark.django_db
def test_load_regions_command(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_regions", "--city", DEMO_CITY_CODE, "--province", "110000")
    first = capsys.readouterr().out
    call_command("load_regions", "--city", DEMO_CITY_CODE, "--province", "110000")
    second = capsys.readouterr().out

    total = Region.objects.count()
    assert f"新增或更新 {total} 条" in first
    assert f"新增或更新 0 条，库中共 {total} 条" in second


@pytest.mark.django_db
def test_whole_country_loads_once() -> None:
    expected = Counter(r.level for r in regions_read().values())

    assert regions_load() == sum(expected.values())
    assert _db_counts() == expected
    assert regions_load() == 0
    assert not Region.objects.filter(level__gt=1, parent__isnull=True).exists()
