"""Writes for units, users, memberships, second factors and API tokens.

Each function: keyword-only, one transaction, writes its audit event (STYLE.md).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from silvershield.core.access import in_scope, require
from silvershield.core.audit import audit_record
from silvershield.core.permissions import ADMIN_ROLES, PRIVILEGED_ROLES, Perm, Role
from silvershield.geo.models import Region
from silvershield.orgs.models import ApiToken, Membership, Sector, Unit, UnitKind, User


def _check_unit_in_scope(*, actor: User, unit: Unit, perm: Perm) -> None:
    if not in_scope(unit, user=actor, perm=perm):
        raise PermissionDenied


def _check_region_in_scope(*, actor: User, region: Region | None, perm: Perm) -> None:
    scope = actor.scope_for(perm)
    if scope.everything:
        return
    if region is None or not any(region.path.startswith(p) for p in scope.region_paths):
        raise ValidationError({"region": "所选地区不在您的管辖范围内"})


@transaction.atomic
def unit_create(
    *,
    actor: User,
    name: str,
    kind: str,
    sector: str,
    region: Region | None,
    parent: Unit | None = None,
) -> Unit:
    require(actor, Perm.ORG_MANAGE)
    _check_region_in_scope(actor=actor, region=region, perm=Perm.ORG_MANAGE)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写单位名称"
    if kind not in UnitKind.values:
        errors["kind"] = "单位类别无效"
    if sector not in Sector.values:
        errors["sector"] = "领域无效"
    if kind == UnitKind.OFFICE and sector != Sector.OFFICE:
        errors["sector"] = "专项办的领域应为“专项办”"
    if name and Unit.objects.filter(region=region, name=name).exists():
        errors["name"] = "该地区已有同名单位"
    if errors:
        raise ValidationError(errors)
    unit = Unit.objects.create(name=name, kind=kind, sector=sector, region=region, parent=parent)
    audit_record(
        actor=actor,
        action="unit.created",
        obj=unit,
        summary=f"新建单位：{unit.name}",
        data={"kind": kind, "sector": sector, "region": region.code if region else None},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, name: str, sector: str, is_active: bool) -> Unit:
    _check_unit_in_scope(actor=actor, unit=unit, perm=Perm.ORG_MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写单位名称"})
    if sector not in Sector.values:
        raise ValidationError({"sector": "领域无效"})
    if Unit.objects.filter(region=unit.region, name=name).exclude(pk=unit.pk).exists():
        raise ValidationError({"name": "该地区已有同名单位"})
    before = {"name": unit.name, "sector": unit.sector, "is_active": unit.is_active}
    unit.name, unit.sector, unit.is_active = name, sector, is_active
    unit.save(update_fields=["name", "sector", "is_active"])
    after = {"name": unit.name, "sector": unit.sector, "is_active": unit.is_active}
    audit_record(
        actor=actor,
        action="unit.updated",
        obj=unit,
        summary=f"修改单位：{unit.name}",
        data={"before": before, "after": after},
    )
    return unit


def _validate_role_grant(*, actor: User, user: User, role: str) -> Role:
    try:
        role_enum = Role(role)
    except ValueError:
        raise ValidationError({"role": "角色无效"}) from None
    if role_enum in PRIVILEGED_ROLES:
        require(actor, Perm.SECURITY_MANAGE)
    else:
        require(actor, Perm.ORG_MANAGE)
    if actor.pk == user.pk:
        raise ValidationError({"role": "不能为自己授予角色"})
    current = user.roles
    if role_enum in ADMIN_ROLES and current - {role_enum}:
        raise ValidationError(
            {"role": "系统管理员、安全管理员、审计员须由不同人员担任，且不得兼任其他角色"}
        )
    if current & ADMIN_ROLES and role_enum not in current:
        raise ValidationError({"role": "该账号已担任管理员角色，不得兼任其他角色"})
    return role_enum


@transaction.atomic
def membership_add(*, actor: User, user: User, unit: Unit, role: str) -> Membership:
    role_enum = _validate_role_grant(actor=actor, user=user, role=role)
    perm = Perm.SECURITY_MANAGE if role_enum in PRIVILEGED_ROLES else Perm.ORG_MANAGE
    _check_unit_in_scope(actor=actor, unit=unit, perm=perm)
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role_enum)
    user.forget_memberships()
    if created:
        audit_record(
            actor=actor,
            action="membership.added",
            obj=user,
            region_path=unit.region_path,
            summary=f"授予 {user.username} 在{unit.name}的角色：{role_enum.label}",
            data={"unit_id": unit.pk, "role": role_enum.value},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    role = Role(membership.role)
    require(actor, Perm.SECURITY_MANAGE if role in PRIVILEGED_ROLES else Perm.ORG_MANAGE)
    perm = Perm.SECURITY_MANAGE if role in PRIVILEGED_ROLES else Perm.ORG_MANAGE
    _check_unit_in_scope(actor=actor, unit=membership.unit, perm=perm)
    user, unit = membership.user, membership.unit
    membership.delete()
    user.forget_memberships()
    audit_record(
        actor=actor,
        action="membership.removed",
        obj=user,
        region_path=unit.region_path,
        summary=f"撤销 {user.username} 在{unit.name}的角色：{role.label}",
        data={"unit_id": unit.pk, "role": role.value},
    )


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    password: str,
    unit: Unit,
    role: str,
    is_demo: bool = False,
) -> User:
    errors: dict[str, Any] = {}
    username = username.strip()
    if not username:
        errors["username"] = "请填写登录名"
    elif User.objects.filter(username=username).exists():
        errors["username"] = "该登录名已被使用"
    if not full_name.strip():
        errors["full_name"] = "请填写姓名"
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user = User(username=username, full_name=full_name.strip(), is_demo=is_demo)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.created",
        obj=user,
        region_path=unit.region_path,
        summary=f"新建账号：{username}",
        data={"unit_id": unit.pk, "role": role},
    )
    membership_add(actor=actor, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, full_name: str, is_active: bool) -> User:
    _check_user_in_scope(actor=actor, user=user)
    if not full_name.strip():
        raise ValidationError({"full_name": "请填写姓名"})
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": "不能停用自己的账号"})
    before = {"full_name": user.full_name, "is_active": user.is_active}
    user.full_name, user.is_active = full_name.strip(), is_active
    user.save(update_fields=["full_name", "is_active"])
    audit_record(
        actor=actor,
        action="user.updated",
        obj=user,
        summary=f"修改账号：{user.username}",
        data={
            "before": before,
            "after": {"full_name": user.full_name, "is_active": user.is_active},
        },
    )
    return user


def _check_user_in_scope(*, actor: User, user: User) -> None:
    for perm in (Perm.ORG_MANAGE, Perm.SECURITY_MANAGE):
        if in_scope(user, user=actor, perm=perm):
            return
    raise PermissionDenied


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    require(actor, Perm.SECURITY_MANAGE)
    _check_user_in_scope(actor=actor, user=user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, action="user.password_reset", obj=user, summary=f"重置密码：{user.username}"
    )


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    require(actor, Perm.SECURITY_MANAGE)
    _check_user_in_scope(actor=actor, user=user)
    count = int(axes_reset(username=user.username))
    audit_record(
        actor=actor,
        action="user.unlocked",
        obj=user,
        summary=f"解除锁定：{user.username}",
        data={"count": count},
    )
    return count


@transaction.atomic
def totp_device_create(*, actor: User | None, user: User) -> TOTPDevice:
    """Replace the user's authenticator with a new confirmed TOTP device; the caller shows its
    secret once. ``actor=None`` is the demo loader."""
    if actor is not None:
        require(actor, Perm.SECURITY_MANAGE)
        _check_user_in_scope(actor=actor, user=user)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    audit_record(
        actor=actor, action="user.totp_issued", obj=user, summary=f"签发动态口令：{user.username}"
    )
    return device


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value (shown once, never stored)."""
    if actor.pk != user.pk:
        require(actor, Perm.SECURITY_MANAGE)
        _check_user_in_scope(actor=actor, user=user)
    if not name.strip():
        raise ValidationError({"name": "请填写用途"})
    raw = "ss_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:8],
        token_hash=_hash_token(raw),
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="api_token.created", obj=user, summary=f"签发接口令牌：{name}")
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if actor.pk != token.user_id:
        require(actor, Perm.SECURITY_MANAGE)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoked",
        obj=token.user,
        summary=f"吊销接口令牌：{token.name}",
    )


SECOND_FACTOR_WINDOW = timedelta(minutes=15)


def _live_token(raw: str) -> ApiToken | None:
    if not raw.startswith("ss_"):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=_hash_token(raw)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    return token


def api_token_authenticate(*, raw: str, allow_without_second_factor: bool = False) -> User | None:
    """The user behind a raw bearer token, or None (expired, revoked, unknown or inactive).

    A token of an account that must use a second factor (administrators, identity custodians —
    also one granted such a role after the token was issued) works only within the window opened
    by :func:`api_token_verify_second_factor`.
    """
    token = _live_token(raw)
    if token is None:
        return None
    now = timezone.now()
    if (
        not allow_without_second_factor
        and token.user.needs_second_factor()
        and (token.second_factor_until is None or token.second_factor_until <= now)
    ):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_verify_second_factor(*, raw: str, otp: str) -> ApiToken:
    """Open a short window in which an administrator's token works, on a valid TOTP code."""
    token = _live_token(raw)
    if token is None:
        raise PermissionDenied
    device = match_token(token.user, otp.strip()) if otp.strip() else None
    if device is None:
        raise ValidationError({"otp": "动态口令不正确或已使用"})
    token.second_factor_until = timezone.now() + SECOND_FACTOR_WINDOW
    token.save(update_fields=["second_factor_until"])
    audit_record(
        actor=token.user,
        action="api_token.second_factor",
        obj=token.user,
        summary="接口令牌通过动态口令验证",
    )
    return token
