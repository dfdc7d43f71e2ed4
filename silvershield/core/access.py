"""Access scoping: the one place that decides which records a user may see or change.

A user's scope for a permission is the union over their memberships whose role grants it:
- a campaign office (unit kind ``office``) sees everything whose region lies in its
  jurisdiction (its region and all below it; the national office sees everything);
- a member unit sees what was created by it, what it owns, and what was granted to it
  (e.g. transferred to it) — not everything of its region.

Every scoped model declares ``scope = ScopeRule(...)`` naming its lookups; every selector,
export and API endpoint goes through :func:`visible` or :func:`access_object`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from silvershield.core.permissions import Perm

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_paths: frozenset[str] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_paths or self.unit_ids)

    def union(self, other: Scope) -> Scope:
        return Scope(
            everything=self.everything or other.everything,
            region_paths=self.region_paths | other.region_paths,
            unit_ids=self.unit_ids | other.unit_ids,
        )


NO_SCOPE = Scope()


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows relate to regions and units.

    region_path: lookup to the row's region path (offices see rows whose region lies below theirs).
    unit_fields: lookups to unit ids that own or created the row.
    grants: name of a reverse relation to a grant table with a ``unit`` foreign key.
    """

    region_path: str | None = None
    unit_fields: tuple[str, ...] = ()
    grants: str | None = None


class Actor(Protocol):
    """What the scoping function needs from a user (implemented by orgs.User)."""

    @property
    def is_authenticated(self) -> bool: ...

    def scope_for(self, perm: Perm) -> Scope: ...


def _rule(model: type[models.Model]) -> ScopeRule:
    rule = getattr(model, "scope", None)
    if not isinstance(rule, ScopeRule):
        raise TypeError(f"{model.__name__} declares no ScopeRule; it cannot be scoped")
    return rule


def scope_q(model: type[models.Model], scope: Scope) -> Q:
    """The filter that restricts ``model`` to ``scope`` (an empty scope matches nothing)."""
    if scope.everything:
        return Q()
    rule = _rule(model)
    cond = Q(pk__in=[])
    if rule.region_path:
        for path in sorted(scope.region_paths):
            cond |= Q(**{f"{rule.region_path}__startswith": path})
    if scope.unit_ids:
        unit_ids = sorted(scope.unit_ids)
        for lookup in rule.unit_fields:
            cond |= Q(**{f"{lookup}__in": unit_ids})
        if rule.grants:
            relation = model._meta.get_field(rule.grants)
            grant_model = relation.related_model
            if not (isinstance(grant_model, type) and issubclass(grant_model, models.Model)):
                raise TypeError(
                    f"{model.__name__}.{rule.grants} is not a relation to a grant model"
                )
            fk_name = relation.field.name  # type: ignore[union-attr]
            grants = grant_model._default_manager.filter(unit_id__in=unit_ids)
            cond |= Q(pk__in=grants.values(fk_name))
    return cond


def visible(qs: models.QuerySet[M], *, user: Actor | Any, perm: Perm) -> models.QuerySet[M]:
    """Restrict a queryset to what ``user`` may see under ``perm``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    scope: Scope = user.scope_for(perm)
    if scope.is_empty:
        return qs.none()
    return qs.filter(scope_q(qs.model, scope))


def access_object(
    qs: models.QuerySet[M],
    *,
    user: Actor | Any,
    pk: Any,
    perm: Perm,
    write_perm: Perm | None = None,
) -> M:
    """Fetch and authorise in one call: unseen → 404, seen but not writable → 403."""
    try:
        obj = visible(qs, user=user, perm=perm).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write_perm is not None and not in_scope(obj, user=user, perm=write_perm):
        raise PermissionDenied
    return obj


def in_scope(obj: models.Model, *, user: Actor | Any, perm: Perm) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user=user, perm=perm).exists()


def require(user: Actor | Any, perm: Perm) -> None:
    """Raise 403 unless the user holds ``perm`` somewhere."""
    if not has_perm(user, perm):
        raise PermissionDenied


def has_perm(user: Actor | Any, perm: Perm) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not user.scope_for(perm).is_empty


def perms_of(user: Actor | Any, perms: Iterable[Perm] = tuple(Perm)) -> frozenset[Perm]:
    return frozenset(p for p in perms if has_perm(user, p))
