"""Units, users, memberships and the caller's own account."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

from silvershield.api.schemas.common import MAX_ID, RegionCode, RegionRef, UnitRef
from silvershield.core.permissions import Role
from silvershield.orgs.models import Membership, Sector, Unit, UnitKind, User


class UnitOut(Schema):
    id: int
    name: str
    kind: UnitKind
    sector: Sector
    region: RegionRef | None = Field(description="所在地区；null 表示国家级")
    level_label: str
    parent_id: int | None
    is_active: bool

    @classmethod
    def of(cls, unit: Unit) -> UnitOut:
        return cls(
            id=unit.pk,
            name=unit.name,
            kind=UnitKind(unit.kind),
            sector=Sector(unit.sector),
            region=RegionRef.of(unit.region) if unit.region else None,
            level_label=unit.level_label,
            parent_id=unit.parent_id,
            is_active=unit.is_active,
        )


class UnitCreateIn(Schema):
    name: Annotated[str, Field(max_length=100)]
    kind: UnitKind
    sector: Sector
    region_code: RegionCode | None = Field(None, description="所在地区代码；null 表示国家级")
    parent_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class UnitUpdateIn(Schema):
    """Fields left out keep their current values."""

    name: Annotated[str, Field(max_length=100)] | None = None
    sector: Sector | None = None
    is_active: bool | None = None


class MembershipOut(Schema):
    id: int
    unit: UnitRef
    role: Role
    role_label: str

    @classmethod
    def of(cls, membership: Membership) -> MembershipOut:
        return cls(
            id=membership.pk,
            unit=UnitRef.of(membership.unit),
            role=Role(membership.role),
            role_label=membership.get_role_display(),
        )


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    is_active: bool
    memberships: list[MembershipOut]

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.pk,
            username=user.username,
            full_name=user.full_name,
            is_active=user.is_active,
            memberships=[MembershipOut.of(m) for m in user.memberships.all()],
        )


class UserCreateIn(Schema):
    username: Annotated[str, Field(max_length=150)]
    full_name: Annotated[str, Field(max_length=50)]
    password: Annotated[str, Field(max_length=128)] = Field(
        description="初始密码（不少于10位，不得过于简单）"
    )
    unit_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    role: Role


class UserUpdateIn(Schema):
    """Fields left out keep their current values."""

    full_name: Annotated[str, Field(max_length=50)] | None = None
    is_active: bool | None = None


class MembershipIn(Schema):
    unit_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    role: Role


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[Role]
    units: list[UnitRef]
    memberships: list[MembershipOut]
