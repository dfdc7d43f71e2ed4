"""Regions (administrative divisions)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from silvershield.api.schemas.common import RegionCode
from silvershield.geo.models import Region


class RegionQueryIn(Schema):
    parent: RegionCode | None = Field(None, description="上级地区代码；不填返回各省")


class RegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: int = Field(description="1 省级，2 市级，3 县级，4 乡镇级")
    has_children: bool

    @classmethod
    def of(cls, region: Region, *, has_children: bool) -> RegionOut:
        return cls(
            code=region.code,
            name=region.name,
            full_name=region.full_name,
            level=region.level,
            has_children=has_children,
        )
