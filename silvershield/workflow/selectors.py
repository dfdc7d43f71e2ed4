"""Reads for the workflow, always scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from silvershield.core.access import visible
from silvershield.core.permissions import Perm
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.workflow.access import covers, units_with
from silvershield.workflow.models import (
    OPEN_STATES,
    ChaseAction,
    ExtensionRequest,
    ExtensionState,
    ReporterFeedback,
    ReportState,
    Transfer,
    TransferLetter,
    TransferState,
    VerificationReport,
)

TRANSFER_RELATED = ("tip", "tip__region", "lead_unit", "from_unit", "letter", "signed_by")


def transfers_visible_to(*, user: User) -> QuerySet[Transfer]:
    ids = visible(Transfer.objects.all(), user=user, perm=Perm.TIP_VIEW).values("pk")
    return Transfer.objects.filter(pk__in=ids).select_related(*TRANSFER_RELATED)


def access_transfer(*, user: User, transfer_id: int | str) -> Transfer:
    transfer = transfers_visible_to(user=user).filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    return transfer


def _my_unit_ids(user: User, perm: Perm) -> list[int]:
    return [u.pk for u in units_with(user, perm)]


def transfers_to_sign(*, user: User) -> QuerySet[Transfer]:
    return Transfer.objects.filter(
        state=TransferState.PENDING, lead_unit_id__in=_my_unit_ids(user, Perm.TRANSFER_HANDLE)
    ).select_related(*TRANSFER_RELATED)


def transfers_to_verify(*, user: User) -> QuerySet[Transfer]:
    return Transfer.objects.filter(
        state__in=[TransferState.SIGNED, TransferState.RETURNED],
        lead_unit_id__in=_my_unit_ids(user, Perm.TRANSFER_HANDLE),
    ).select_related(*TRANSFER_RELATED)


def _reviewable_q(user: User) -> Q:
    offices = [u for u in units_with(user, Perm.REPORT_REVIEW) if u.is_office]
    member_ids = [u.pk for u in units_with(user, Perm.TRANSFER_HANDLE) if not u.is_office]
    cond = Q(transfer__from_unit_id__in=member_ids)
    for office in offices:
        if office.region is None:
            cond |= Q(transfer__from_unit__kind="office")
        else:
            cond |= Q(
                transfer__from_unit__kind="office",
                transfer__from_unit__region__path__startswith=office.region.path,
            )
    return cond


def reports_to_review(*, user: User) -> QuerySet[VerificationReport]:
    return VerificationReport.objects.filter(
        _reviewable_q(user), state=ReportState.SUBMITTED
    ).select_related("tip", "unit", "transfer", "transfer__from_unit")


def tips_to_transfer(*, user: User) -> QuerySet[Tip]:
    return visible(
        Tip.objects.filter(state=TipState.SCREENED), user=user, perm=Perm.TIP_TRANSFER
    ).select_related("region", "owner_unit")


def tips_to_answer(*, user: User) -> QuerySet[Tip]:
    """Accepted tips whose reporter still waits for the answer, for the verifying unit or the office."""
    lead_ids = _my_unit_ids(user, Perm.TRANSFER_HANDLE)
    accepted = Transfer.objects.filter(parent__isnull=True, state=TransferState.DONE)
    mine = accepted.filter(lead_unit_id__in=lead_ids).values("tip_id")
    qs = Tip.objects.filter(state=TipState.ACCEPTED).filter(
        Q(pk__in=mine)
        | Q(pk__in=visible(Tip.objects.all(), user=user, perm=Perm.REPORT_REVIEW).values("pk"))
    )
    return qs.select_related("region", "owner_unit")


def extensions_to_decide(*, user: User) -> QuerySet[ExtensionRequest]:
    offices = [u for u in units_with(user, Perm.DEADLINE_MANAGE) if u.is_office]
    ids = [
        r.pk
        for r in ExtensionRequest.objects.filter(state=ExtensionState.PENDING).select_related(
            "transfer__from_unit__region"
        )
        if any(covers(o, r.transfer.from_unit) for o in offices)
        or r.transfer.from_unit_id in _my_unit_ids(user, Perm.TRANSFER_HANDLE)
    ]
    return ExtensionRequest.objects.filter(pk__in=ids).select_related(
        "transfer", "transfer__tip", "transfer__lead_unit"
    )


def overdue_transfers(*, user: User) -> QuerySet[Transfer]:
    return transfers_visible_to(user=user).filter(state__in=OPEN_STATES, due_at__lt=timezone.now())


def chases_of(*, transfer: Transfer) -> QuerySet[ChaseAction]:
    return ChaseAction.objects.filter(transfer=transfer).select_related("by_unit", "to_unit")


def transfers_of_tip(*, tip: Tip) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(tip=tip)
        .select_related("lead_unit", "from_unit", "letter", "signed_by")
        .prefetch_related("co_units", "reports", "extensions")
        .order_by("created_at", "id")
    )


def feedback_of(*, tip: Tip) -> QuerySet[ReporterFeedback]:
    return ReporterFeedback.objects.filter(tip=tip).select_related("unit")


def access_letter(*, user: User, letter_id: int | str) -> TransferLetter:
    """A letter is readable by whoever can see one of its transfers."""
    letter = (
        TransferLetter.objects.filter(pk=letter_id, transfers__in=transfers_visible_to(user=user))
        .select_related("issuing_unit")
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def send_back_counts(*, limit: int = 50) -> list[dict[str, Any]]:
    """Send-backs counted per unit (a unit that keeps sending work back shows here)."""
    rows = (
        Transfer.objects.filter(state=TransferState.SENT_BACK)
        .values("lead_unit__name")
        .annotate(count=Count("id"))
        .order_by("-count")[:limit]
    )
    return list(rows)
