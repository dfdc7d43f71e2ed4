"""Reads on the crackdown ledger, always through the scoping function (Perm.CASE_VIEW)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from silvershield.core.access import access_object, visible
from silvershield.core.permissions import Perm
from silvershield.enforcement import money
from silvershield.enforcement.models import (
    CAUGHT_STATUSES,
    SECURING_KINDS,
    Case,
    ColdCaseReview,
    Gang,
    RecoveryKind,
    RecoveryRecord,
    RecoveryRelease,
    Suspect,
    SuspectStatus,
)
from silvershield.geo.models import Region
from silvershield.intake.models import LinkCluster, MemberState, Tip
from silvershield.orgs.models import User

CASE_RELATED = ("region", "owner_unit", "created_by_unit")


@dataclass(frozen=True)
class CaseFilters:
    region: Region | None = None
    stage: str = ""
    fraud_type: str = ""
    date_from: dt.date | None = None  # 立案日期
    date_to: dt.date | None = None
    q: str = ""


def cases_visible_to(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    qs = visible(Case.objects.all(), user=user, perm=Perm.CASE_VIEW)
    f = filters or CaseFilters()
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.fraud_type:
        qs = qs.filter(fraud_type=f.fraud_type)
    if f.date_from:
        qs = qs.filter(filed_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(filed_on__lte=f.date_to)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(name__icontains=f.q))
    return qs.select_related(*CASE_RELATED)


def access_case(*, user: User, case_id: int | str, for_write: bool = False) -> Case:
    """Unseen → 404; seen but not manageable → 403."""
    return access_object(
        Case.objects.select_related(*CASE_RELATED, "referred_to", "prosecuted_to", "source_report"),
        user=user,
        pk=case_id,
        perm=Perm.CASE_VIEW,
        write_perm=Perm.CASE_MANAGE if for_write else None,
    )


def case_recovery(*, case: Case) -> money.Recovery:
    return money.recovery_of(
        records=RecoveryRecord.objects.filter(case=case),
        releases=RecoveryRelease.objects.filter(return_record__case=case),
        losses=case.victim_loss,
    )


def recoveries_of(*, case: Case) -> QuerySet[RecoveryRecord]:
    return (
        RecoveryRecord.objects.filter(case=case)
        .select_related("unit")
        .prefetch_related("draws__secured_record", "releases")
        .order_by("on", "id")
    )


def secured_with_outstanding(*, case: Case) -> list[tuple[RecoveryRecord, Decimal]]:
    """The case's freezes and seizures that still hold money, with what they hold."""
    result = []
    for record in RecoveryRecord.objects.filter(case=case, kind__in=SECURING_KINDS).order_by(
        "on", "id"
    ):
        outstanding = money.outstanding_of(record)
        if outstanding > 0:
            result.append((record, outstanding))
    return result


def suspects_of(*, case: Case) -> QuerySet[Suspect]:
    return Suspect.objects.filter(case=case).order_by("id")


def access_suspect(*, case: Case, suspect_id: int | str) -> Suspect:
    suspect = Suspect.objects.filter(case=case, pk=suspect_id).select_related("case").first()
    if suspect is None:
        raise Http404
    return suspect


def tips_of(*, case: Case, user: User) -> list[tuple[Tip, bool]]:
    """The case's tips, each with whether ``user`` may open it."""
    tips = list(Tip.objects.filter(case_links__case=case).order_by("received_at", "id"))
    seen = set(
        visible(
            Tip.objects.filter(pk__in=[t.pk for t in tips]), user=user, perm=Perm.TIP_VIEW
        ).values_list("pk", flat=True)
    )
    return [(t, t.pk in seen) for t in tips]


def cluster_tips_visible_to(*, user: User, cluster_id: int) -> tuple[LinkCluster, list[Tip]]:
    """A cluster of linked tips (串并组) and those of its current member tips the user may see,
    to file one case from it; 404 when the user sees none of them."""
    tips = list(
        visible(
            Tip.objects.filter(
                link_membership__cluster_id=cluster_id,
                link_membership__state=MemberState.MEMBER,
            ),
            user=user,
            perm=Perm.TIP_VIEW,
        ).order_by("received_at", "id")
    )
    cluster = LinkCluster.objects.filter(pk=cluster_id).first()
    if cluster is None or not tips:
        raise Http404
    return cluster, tips


def cases_of_tip(*, user: User, tip: Tip) -> QuerySet[Case]:
    return cases_visible_to(user=user).filter(tip_links__tip=tip).order_by("filed_on", "id")


def gangs_visible_to(*, user: User) -> QuerySet[Gang]:
    return visible(Gang.objects.all(), user=user, perm=Perm.CASE_VIEW).select_related(
        "region", "owner_unit"
    )


def access_gang(*, user: User, gang_id: int | str, for_write: bool = False) -> Gang:
    return access_object(
        Gang.objects.select_related("region", "owner_unit"),
        user=user,
        pk=gang_id,
        perm=Perm.CASE_VIEW,
        write_perm=Perm.CASE_MANAGE if for_write else None,
    )


def gangs_of(*, case: Case) -> QuerySet[Gang]:
    return Gang.objects.filter(cases=case).prefetch_related("members", "cases").order_by("id")


def reviews_of(*, case: Case) -> QuerySet[ColdCaseReview]:
    return ColdCaseReview.objects.filter(case=case).order_by("-flagged_on", "-id")


def open_reviews(*, user: User) -> QuerySet[ColdCaseReview]:
    """Cold cases waiting for their review, soonest due first (the user's manageable cases)."""
    cases = visible(Case.objects.all(), user=user, perm=Perm.CASE_MANAGE)
    return (
        ColdCaseReview.objects.filter(case__in=cases, reviewed_on__isnull=True)
        .select_related("case", "case__region", "case__owner_unit")
        .order_by("due_on", "id")
    )


def reviews_due_count(*, user: User, within_days: int = 7) -> tuple[int, int]:
    """(open reviews due within ``within_days``, of which overdue)."""
    today = timezone.localdate()
    qs = open_reviews(user=user).filter(due_on__lte=today + dt.timedelta(days=within_days))
    return qs.count(), qs.filter(due_on__lt=today).count()


def _money_subquery(qs: QuerySet[Any], group: str) -> Coalesce:
    total = qs.values(group).annotate(total=Sum("amount")).values("total")
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=18, decimal_places=2)),
        Value(money.ZERO),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def with_money(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its money (secured, released, returned) and suspect counts, for
    lists and ledgers (one query, no per-row lookups)."""
    records = RecoveryRecord.objects.filter(case=OuterRef("pk"))
    releases = RecoveryRelease.objects.filter(return_record__case=OuterRef("pk"))
    suspects = Suspect.objects.filter(case=OuterRef("pk"))

    def count(sub: QuerySet[Suspect]) -> Coalesce:
        return Coalesce(
            Subquery(sub.values("case").annotate(n=Count("id")).values("n")),
            Value(0),
        )

    return qs.annotate(
        m_secured=_money_subquery(records.filter(kind__in=SECURING_KINDS), "case"),
        m_returned=_money_subquery(records.filter(kind=RecoveryKind.RETURN), "case"),
        m_released=_money_subquery(releases, "return_record__case"),
        n_suspects=count(suspects),
        n_caught=count(suspects.filter(status__in=CAUGHT_STATUSES)),
        n_at_large=count(suspects.filter(status=SuspectStatus.AT_LARGE)),
    )


def recovery_of_row(case: Case) -> money.Recovery:
    """The money of a case annotated by :func:`with_money`."""
    return money.Recovery(
        secured=money.as_money(case.m_secured),  # type: ignore[attr-defined]
        released=money.as_money(case.m_released),  # type: ignore[attr-defined]
        returned=money.as_money(case.m_returned),  # type: ignore[attr-defined]
        losses=case.victim_loss,
    )
