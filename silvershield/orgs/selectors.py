from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet

from silvershield.core.access import access_object, visible
from silvershield.core.permissions import Perm
from silvershield.orgs.models import ApiToken, Membership, Unit, User


def unit_list_visible_to(*, user: User, perm: Perm = Perm.ORG_MANAGE) -> QuerySet[Unit]:
    return visible(Unit.objects.all(), user=user, perm=perm).select_related("region", "parent")


def access_unit(*, user: User, unit_id: int | str) -> Unit:
    return access_object(
        Unit.objects.select_related("region"), user=user, pk=unit_id, perm=Perm.ORG_MANAGE
    )


def user_list_visible_to(*, user: User, perm: Perm = Perm.ORG_MANAGE) -> QuerySet[User]:
    ids = visible(User.objects.all(), user=user, perm=perm).values("pk")
    return User.objects.filter(pk__in=ids).prefetch_related("memberships__unit")


def access_user(*, user: User, user_id: int | str, perm: Perm = Perm.ORG_MANAGE) -> User:
    ids = visible(User.objects.all(), user=user, perm=perm).values("pk")
    return access_object(User.objects.filter(pk__in=ids), user=user, pk=user_id, perm=perm)


def access_membership(*, user: User, membership_id: int | str, perm: Perm) -> Membership:
    return access_object(
        Membership.objects.select_related("user", "unit", "unit__region"),
        user=user,
        pk=membership_id,
        perm=perm,
    )


def locked_usernames() -> set[str]:
    limit = settings.AXES_FAILURE_LIMIT
    return set(
        AccessAttempt.objects.filter(failures_since_start__gte=limit).values_list(
            "username", flat=True
        )
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
