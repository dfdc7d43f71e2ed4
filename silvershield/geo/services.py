"""Writes for regions: loading the packaged administrative divisions."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.db import transaction

from silvershield.core.audit import audit_record
from silvershield.geo.models import Region, RegionLevel

REGIONS_FILE: Final = Path(__file__).resolve().parent / "data" / "regions.csv.gz"
_BATCH: Final = 1000
_CODE_LENGTH: Final = 12


@dataclass(frozen=True)
class RegionRecord:
    """One row of the packaged file, with its path and full name worked out."""

    code: str
    name: str
    level: int
    parent_code: str
    path: str
    full_name: str


# Names of city-level nodes that are placeholders rather than places; full names skip them
# ("北京市东城区", not "北京市市辖区东城区").
_PLACEHOLDER_NAMES: Final = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
)


def normalize_code(code: str) -> str:
    """Accept a 2/4/6/9/12-digit code and return the 12-digit statistical code."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"不是有效的区划代码：{code!r}")
    return code.ljust(_CODE_LENGTH, "0")


def _read_rows(source: Path) -> Iterator[tuple[str, str, int, str]]:
    with gzip.open(source, "rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        header = next(reader)
        if header != ["code", "name", "level", "parent_code"]:
            raise ValueError(f"{source}: unexpected header {header}")
        for code, name, level, parent_code in reader:
            yield code, name, int(level), parent_code


def regions_read(*, source: Path = REGIONS_FILE) -> dict[str, RegionRecord]:
    """Read the packaged file into records keyed by code, parents first."""
    records: dict[str, RegionRecord] = {}
    for code, name, level, parent_code in _read_rows(source):
        parent = records.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise ValueError(f"{source}: {code} listed before its parent {parent_code}")
        path = (parent.path if parent else "") + code + "/"
        shown = "" if name in _PLACEHOLDER_NAMES and level == RegionLevel.CITY else name
        full_name = (parent.full_name if parent else "") + shown
        records[code] = RegionRecord(code, name, level, parent_code, path, full_name)
    return records


def _select(
    records: dict[str, RegionRecord],
    province_codes: Sequence[str] | None,
    city_codes: Sequence[str] | None,
) -> list[RegionRecord]:
    if province_codes is None and city_codes is None:
        return list(records.values())
    prefixes: list[str] = []
    for code, level in [(c, RegionLevel.PROVINCE) for c in province_codes or ()] + [
        (c, RegionLevel.CITY) for c in city_codes or ()
    ]:
        full = normalize_code(code)
        record = records.get(full)
        if record is None or record.level != level:
            raise ValueError(f"数据中没有{RegionLevel(level).label}区划 {code}")
        prefixes.append(record.path)
    wanted = {
        code
        for code, record in records.items()
        if any(record.path.startswith(p) or p.startswith(record.path) for p in prefixes)
    }
    return [record for code, record in records.items() if code in wanted]


@transaction.atomic
def regions_load(
    *,
    province_codes: Sequence[str] | None = None,
    city_codes: Sequence[str] | None = None,
    source: Path = REGIONS_FILE,
    actor: Any = None,
) -> int:
    """Upsert the chosen provinces/cities (with their ancestors and everything below them).

    Both ``None`` loads the whole country. Codes may be given with 2/4/6 or 12 digits. Rows are
    written level by level so that parents exist before their children; only new or changed
    rows are written, so a second run writes nothing. Regions missing from the file are left in
    place (other records may point at them). Returns the number of rows created or updated.

    A load that writes anything records one audit event (counts only, ``actor`` None for the
    system, e.g. a management command or the demo loader).
    """
    records = _select(regions_read(source=source), province_codes, city_codes)
    existing: dict[str, Region] = {
        region.code: region
        for region in Region.objects.only(
            "id", "code", "name", "level", "parent_id", "path", "full_name"
        )
    }
    ids: dict[str, int] = {code: region.pk for code, region in existing.items()}
    created = updated = 0
    for level in RegionLevel.values:
        to_create: list[Region] = []
        to_update: list[Region] = []
        for record in records:
            if record.level != level:
                continue
            parent_id = ids[record.parent_code] if record.parent_code else None
            region = existing.get(record.code)
            if region is None:
                to_create.append(
                    Region(
                        code=record.code,
                        name=record.name,
                        level=record.level,
                        parent_id=parent_id,
                        path=record.path,
                        full_name=record.full_name,
                    )
                )
            elif (region.name, region.level, region.parent_id, region.path, region.full_name) != (
                record.name,
                record.level,
                parent_id,
                record.path,
                record.full_name,
            ):
                region.name = record.name
                region.level = record.level
                region.parent_id = parent_id
                region.path = record.path
                region.full_name = record.full_name
                to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=_BATCH)
        Region.objects.bulk_update(
            to_update, ["name", "level", "parent", "path", "full_name"], batch_size=_BATCH
        )
        if to_create:
            ids.update(Region.objects.filter(level=level).values_list("code", "id"))
        created += len(to_create)
        updated += len(to_update)
    if created or updated:
        audit_record(
            actor=actor,
            action="geo.regions_load",
            object_type="geo.region",
            summary=f"载入行政区划：新增 {created} 条，更新 {updated} 条",
            data={
                "created": created,
                "updated": updated,
                "province_codes": list(province_codes or []),
                "city_codes": list(city_codes or []),
                "source": source.name,
            },
        )
    return created + updated
