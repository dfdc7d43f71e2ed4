"""Schemas and types shared by the routers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import P, PathEx, Schema
from pydantic import Field, PlainSerializer

from silvershield.geo.models import Region
from silvershield.orgs.models import Unit

MAX_ID = 2**63 - 1
# A record id in a path: bounded so that an absurd number is a 400, never a database error.
ObjectId = PathEx[int, P(ge=1, le=MAX_ID)]

# Money travels as a decimal string with two places ("12345.60"), never a float.
Money = Annotated[
    Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="always")
]
MoneyIn = Annotated[Decimal, Field(max_digits=14, decimal_places=2, ge=0)]
RegionCode = Annotated[
    str, Field(min_length=2, max_length=12, pattern=r"^\d+$", examples=["330502000000"])
]


class FieldErrorOut(Schema):
    field: str | None = Field(
        description="出错的字段（嵌套字段以“.”连接）；与具体字段无关时为 null"
    )
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


class RegionRef(Schema):
    code: str
    name: str
    full_name: str

    @classmethod
    def of(cls, region: Region) -> RegionRef:
        return cls(code=region.code, name=region.name, full_name=region.full_name)


class UnitRef(Schema):
    id: int
    name: str

    @classmethod
    def of(cls, unit: Unit) -> UnitRef:
        return cls(id=unit.pk, name=unit.name)


# The error responses every authenticated operation may give.
READ_ERRORS: dict[int, type[Schema]] = {401: MessageOut, 403: MessageOut}
DETAIL_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: MessageOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ValidationErrorOut}
