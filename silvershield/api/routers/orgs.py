"""Units, users and memberships (system / security administration) and the caller's account."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.schemas.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ObjectId,
    UnitRef,
)
from silvershield.api.schemas.orgs import (
    MembershipIn,
    MembershipOut,
    MeOut,
    UnitCreateIn,
    UnitOut,
    UnitUpdateIn,
    UserCreateIn,
    UserOut,
    UserUpdateIn,
)
from silvershield.core.access import has_perm, require
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_get
from silvershield.orgs import selectors, services
from silvershield.orgs.models import Membership, Unit, User

router = Router(tags=["机构与账号"])


def _admin_perm(user: User) -> Perm:
    """The administration permission the caller holds: ORG_MANAGE, else SECURITY_MANAGE (403 if neither)."""
    if has_perm(user, Perm.ORG_MANAGE):
        return Perm.ORG_MANAGE
    require(user, Perm.SECURITY_MANAGE)
    return Perm.SECURITY_MANAGE


def _unit(user: User, unit_id: int, *, field: str, perm: Perm) -> Unit:
    unit = selectors.unit_list_visible_to(user=user, perm=perm).filter(pk=unit_id).first()
    if unit is None:
        raise ApiFieldError(field, "所选单位不存在或不在您的管辖范围内")
    return unit


@router.get(
    "/me", response={200: MeOut, 401: READ_ERRORS[401]}, operation_id="me_get", summary="当前账号"
)
def me_get(request: HttpRequest) -> MeOut:
    user = actor_of(request)
    memberships = list(user.memberships.filter(unit__is_active=True).select_related("unit"))
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        roles=sorted(user.roles),
        units=[UnitRef.of(u) for u in user.units],
        memberships=[MembershipOut.of(m) for m in memberships],
    )


@router.get(
    "/units",
    response={200: list[UnitOut], **READ_ERRORS},
    operation_id="units_list",
    summary="单位列表",
)
def units_list(request: HttpRequest) -> list[UnitOut]:
    user = actor_of(request)
    perm = _admin_perm(user)
    return [UnitOut.of(u) for u in selectors.unit_list_visible_to(user=user, perm=perm)]


@router.post(
    "/units",
    response={201: UnitOut, **WRITE_ERRORS},
    operation_id="units_create",
    summary="新建单位",
)
def units_create(request: HttpRequest, payload: UnitCreateIn) -> Status[UnitOut]:
    user = actor_of(request)
    require(user, Perm.ORG_MANAGE)
    region = None
    if payload.region_code:
        try:
            region = region_get(code=payload.region_code)
        except Region.DoesNotExist:
            raise ApiFieldError("region_code", "所选地区不存在") from None
    parent = (
        _unit(user, payload.parent_id, field="parent_id", perm=Perm.ORG_MANAGE)
        if payload.parent_id
        else None
    )
    unit = services.unit_create(
        actor=user,
        name=payload.name,
        kind=payload.kind,
        sector=payload.sector,
        region=region,
        parent=parent,
    )
    return Status(201, UnitOut.of(unit))


@router.patch(
    "/units/{unit_id}",
    response={200: UnitOut, **WRITE_ERRORS},
    operation_id="units_update",
    summary="修改单位",
)
def units_update(request: HttpRequest, unit_id: ObjectId, payload: UnitUpdateIn) -> UnitOut:
    user = actor_of(request)
    require(user, Perm.ORG_MANAGE)
    unit = selectors.access_unit(user=user, unit_id=unit_id)
    unit = services.unit_update(
        actor=user,
        unit=unit,
        name=unit.name if payload.name is None else payload.name,
        sector=unit.sector if payload.sector is None else payload.sector,
        is_active=unit.is_active if payload.is_active is None else payload.is_active,
    )
    return UnitOut.of(unit)


@router.get(
    "/users",
    response={200: list[UserOut], **READ_ERRORS},
    operation_id="users_list",
    summary="账号列表",
)
def users_list(request: HttpRequest) -> list[UserOut]:
    user = actor_of(request)
    perm = _admin_perm(user)
    users = selectors.user_list_visible_to(user=user, perm=perm).prefetch_related(
        "memberships__unit"
    )
    return [UserOut.of(u) for u in users]


@router.post(
    "/users",
    response={201: UserOut, **WRITE_ERRORS},
    operation_id="users_create",
    summary="新建账号",
)
def users_create(request: HttpRequest, payload: UserCreateIn) -> Status[UserOut]:
    user = actor_of(request)
    perm = _admin_perm(user)
    unit = _unit(user, payload.unit_id, field="unit_id", perm=perm)
    created = services.user_create(
        actor=user,
        username=payload.username,
        full_name=payload.full_name,
        password=payload.password,
        unit=unit,
        role=payload.role,
    )
    return Status(201, UserOut.of(created))


@router.patch(
    "/users/{user_id}",
    response={200: UserOut, **WRITE_ERRORS},
    operation_id="users_update",
    summary="修改账号",
)
def users_update(request: HttpRequest, user_id: ObjectId, payload: UserUpdateIn) -> UserOut:
    user = actor_of(request)
    perm = _admin_perm(user)
    target = selectors.access_user(user=user, user_id=user_id, perm=perm)
    target = services.user_update(
        actor=user,
        user=target,
        full_name=target.full_name if payload.full_name is None else payload.full_name,
        is_active=target.is_active if payload.is_active is None else payload.is_active,
    )
    return UserOut.of(target)


@router.post(
    "/users/{user_id}/memberships",
    response={201: MembershipOut, **WRITE_ERRORS},
    operation_id="memberships_add",
    summary="授予角色",
)
def memberships_add(
    request: HttpRequest, user_id: ObjectId, payload: MembershipIn
) -> Status[MembershipOut]:
    """Grant a role in a unit. Privileged roles (administrators, identity custodian) need the
    security administrator."""
    user = actor_of(request)
    perm = _admin_perm(user)
    target = selectors.access_user(user=user, user_id=user_id, perm=perm)
    unit = _unit(user, payload.unit_id, field="unit_id", perm=perm)
    membership = services.membership_add(actor=user, user=target, unit=unit, role=payload.role)
    return Status(201, MembershipOut.of(membership))


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="memberships_remove",
    summary="撤销角色",
)
def memberships_remove(request: HttpRequest, membership_id: ObjectId) -> Status[None]:
    user = actor_of(request)
    perm = _admin_perm(user)
    membership: Membership = selectors.access_membership(
        user=user, membership_id=membership_id, perm=perm
    )
    services.membership_remove(actor=user, membership=membership)
    return Status(204, None)
