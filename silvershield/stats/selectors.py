"""Reads for statistics: which region a user looks at, checked against what they may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from silvershield.core.access import visible
from silvershield.core.permissions import Perm, role_has
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_children
from silvershield.orgs.models import Unit, UnitKind, User
from silvershield.stats.figures import SCOPE_PERM, covers_region
from silvershield.stats.models import IssuedReport, RankingSnapshot
from silvershield.stats.periods import Period, PeriodError, checked, default_period


class StatsInputError(ValueError):
    """A request the statistics cannot answer (Chinese message for the page)."""


def home_region(*, user: User) -> Region | None:
    """The region a user's figures start from: the widest region among their units that hold
    the statistics permission (None: nationwide)."""
    regions = [m.unit.region for m in user._memberships() if role_has(m.role, SCOPE_PERM)]
    if not regions:
        raise StatsInputError("您没有查看统计的权限")
    if any(r is None for r in regions):
        return None
    return min((r for r in regions if r is not None), key=lambda r: (len(r.path), r.code))


def check_region(*, user: User, region: Region | None) -> None:
    """A region the user may look at: within an office's area, or the home region of a member
    unit (whose figures then count only its own records)."""
    if covers_region(user, region):
        return
    home = home_region(user=user)
    if region is not None and home is not None and region.is_within(home):
        return
    raise StatsInputError("无权查看该地区的统计")


def region_for(*, user: User, code: str | None) -> Region | None:
    if not code:
        return home_region(user=user)
    region = Region.objects.filter(code=code.strip()[:12]).first()
    if region is None:
        raise StatsInputError("所选地区不存在")
    check_region(user=user, region=region)
    return region


def period_for(*, start: dt.date | None, end: dt.date | None) -> Period:
    if start is None and end is None:
        return default_period()
    try:
        return checked(start, end)
    except PeriodError as exc:
        raise StatsInputError(str(exc)) from None


def child_regions(*, region: Region | None) -> list[Region]:
    return list(region_children(parent=region))


def member_units(*, user: User, region: Region | None) -> QuerySet[Unit]:
    """The member units a user may rank: those in a region the user's office covers."""
    qs = Unit.objects.filter(kind=UnitKind.MEMBER, is_active=True)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if not covers_region(user, region):
        return qs.none()
    return qs.select_related("region").order_by("region__code", "name")


def unit_for(*, user: User, unit_id: str | None) -> Unit | None:
    if not unit_id:
        return None
    if not unit_id.isdigit():
        raise StatsInputError("所选单位不存在")
    unit = Unit.objects.select_related("region").filter(pk=int(unit_id)).first()
    if unit is None:
        raise StatsInputError("所选单位不存在")
    if not visible(Unit.objects.filter(pk=unit.pk), user=user, perm=Perm.STATS_VIEW).exists():
        raise StatsInputError("无权查看该单位的统计")
    return unit


def snapshots_visible_to(*, user: User) -> QuerySet[RankingSnapshot]:
    return visible(RankingSnapshot.objects.all(), user=user, perm=Perm.STATS_VIEW).select_related(
        "region", "campaign"
    )


def reports_visible_to(*, user: User) -> QuerySet[IssuedReport]:
    return visible(IssuedReport.objects.all(), user=user, perm=Perm.STATS_VIEW).select_related(
        "issuing_unit", "region"
    )


def report_offices(*, user: User) -> list[Unit]:
    """The offices a user may issue reports for."""
    return [
        m.unit
        for m in user._memberships()
        if m.unit.is_office and role_has(m.role, Perm.REPORT_ISSUE) and m.unit.region is not None
    ]
