"""Who may act for which unit in the workflow (on top of core.access scoping)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from silvershield.core.permissions import Perm, role_has
from silvershield.orgs.models import Unit, User


def units_with(actor: User, perm: Perm) -> list[Unit]:
    """The active units in which ``actor`` holds a role granting ``perm``."""
    seen: dict[int, Unit] = {}
    for membership in actor.memberships.select_related("unit", "unit__region").filter(
        unit__is_active=True
    ):
        if role_has(membership.role, perm):
            seen.setdefault(membership.unit.pk, membership.unit)
    return list(seen.values())


def covers(office: Unit, unit: Unit) -> bool:
    """An office covers a unit located in its region or below (national offices cover all)."""
    if not office.is_office:
        return False
    if office.region is None:
        return True
    return unit.region is not None and unit.region.path.startswith(office.region.path)


def acting_member(actor: User, unit: Unit, perm: Perm) -> Unit:
    """``unit`` itself, if the actor holds ``perm`` in it; else 403."""
    if any(u.pk == unit.pk for u in units_with(actor, perm)):
        return unit
    raise PermissionDenied


def acting_office_over(
    actor: User, unit: Unit, perm: Perm, *, strictly_above: bool = False
) -> Unit:
    """The actor's office (with ``perm``) that covers ``unit``; the nearest one wins."""
    candidates = [
        office
        for office in units_with(actor, perm)
        if covers(office, unit) and not (strictly_above and office.pk == unit.pk)
    ]
    if not candidates:
        raise PermissionDenied
    return max(candidates, key=lambda o: len(o.region.path) if o.region else 0)


def office_above(unit: Unit) -> Unit | None:
    """The campaign office one level above ``unit`` (its parent office, else by region)."""
    parent = unit.parent
    while parent is not None:
        if parent.is_office and parent.pk != unit.pk:
            return parent
        parent = parent.parent
    region = unit.region.parent if unit.region is not None else None
    if unit.region is not None and not unit.is_office:
        region = unit.region
    while region is not None:
        office = (
            Unit.objects.filter(kind="office", region=region, is_active=True)
            .exclude(pk=unit.pk)
            .first()
        )
        if office is not None:
            return office
        region = region.parent
    return (
        Unit.objects.filter(kind="office", region__isnull=True, is_active=True)
        .exclude(pk=unit.pk)
        .first()
    )
