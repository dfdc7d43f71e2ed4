"""Reads on tips, always through the scoping function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from silvershield.core import identity
from silvershield.core.access import access_object, visible
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.intake.models import Tip, TipReporter, TipState
from silvershield.intake.search import filter_by_text
from silvershield.orgs.models import User


@dataclass(frozen=True)
class TipFilters:
    region: Region | None = None
    channel: str = ""
    fraud_type: str = ""
    state: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def tip_list_visible_to(*, user: User, filters: TipFilters | None = None) -> QuerySet[Tip]:
    qs = visible(Tip.objects.all(), user=user, perm=Perm.TIP_VIEW)
    f = filters or TipFilters()
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.fraud_type:
        qs = qs.filter(fraud_type=f.fraud_type)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.date_from:
        qs = qs.filter(received_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(received_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.q:
        qs = filter_by_text(qs, f.q)
    return qs.select_related("region", "owner_unit")


def access_tip(*, user: User, tip_id: int | str, for_write: bool = False) -> Tip:
    return access_object(
        Tip.objects.select_related(
            "region", "owner_unit", "created_by_unit", "created_by", "campaign"
        ),
        user=user,
        pk=tip_id,
        perm=Perm.TIP_VIEW,
        write_perm=Perm.TIP_CREATE if for_write else None,
    )


def tips_by_reporter(*, user: User, phone: str = "", id_number: str = "") -> QuerySet[Tip]:
    """Earlier tips of the same reporter, found through the blind index (nothing decrypted)."""
    indexes = TipReporter.objects.none()
    phone_idx = identity.phone_index(phone) if phone.strip() else ""
    id_idx = identity.id_index(id_number) if id_number.strip() else ""
    if phone_idx:
        indexes = indexes | TipReporter.objects.filter(phone_index=phone_idx)
    if id_idx:
        indexes = indexes | TipReporter.objects.filter(id_index=id_idx)
    base = visible(Tip.objects.all(), user=user, perm=Perm.REPORTER_SEARCH)
    if not (phone_idx or id_idx):
        return base.none()
    return base.filter(pk__in=indexes.values("tip_id")).select_related("region", "owner_unit")


def tip_count_in_state(*, user: User, state: TipState) -> int:
    return visible(Tip.objects.filter(state=state), user=user, perm=Perm.TIP_VIEW).count()


def home_region(*, user: User, perm: Perm) -> Region | None:
    """Where a user's region pickers start: the region of their unit, when they have one unit."""
    from silvershield.core.permissions import role_has

    regions = {
        m.unit.region
        for m in user.memberships.select_related("unit__region")
        if role_has(m.role, perm)
    }
    return regions.pop() if len(regions) == 1 else None
