"""Revealing a reporter's identity under the two-person rule.

1. A handler who may reveal identities for the tip (``Perm.TIP_REVEAL_IDENTITY`` in scope) files a
   request with a reason (``reveal_request``).
2. A second person holding ``Perm.IDENTITY_APPROVE`` for the tip (the identity custodian), never
   the requester, approves or refuses it (``reveal_decide``).
3. While the approval lasts (``REVEAL_MINUTES``), the requester opens the identity
   (``reveal_open``); every opening is audited. Afterwards a new request is needed.

Every step and every refusal is written to the audit trail (the tip's timeline).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from silvershield.core.access import in_scope, visible
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.intake.models import IdentityRevealRequest, RevealState, Tip, TipReporter
from silvershield.intake.services import ReporterIdentity
from silvershield.orgs.models import User

REVEAL_MINUTES = 30


def reveal_minutes() -> int:
    return int(getattr(settings, "SILVERSHIELD_REVEAL_MINUTES", REVEAL_MINUTES))


def _denied(*, actor: User, tip: Tip, summary: str) -> None:
    # Written outside the caller's transaction so that the refusal's record stays.
    audit_record(
        actor=actor,
        action="tip.identity_reveal_denied",
        obj=tip,
        outcome="denied",
        summary=summary,
    )


def may_request(*, user: User, tip: Tip) -> bool:
    return not tip.is_anonymous and in_scope(tip, user=user, perm=Perm.TIP_REVEAL_IDENTITY)


def may_decide(*, user: User, tip: Tip) -> bool:
    return in_scope(tip, user=user, perm=Perm.IDENTITY_APPROVE)


def reveal_request(*, actor: User, tip: Tip, reason: str) -> IdentityRevealRequest:
    """File a request to see the reporter's identity. A pending request of the same person for
    the same tip is returned as it is (a retry files nothing new)."""
    if not in_scope(tip, user=actor, perm=Perm.TIP_REVEAL_IDENTITY):
        _denied(actor=actor, tip=tip, summary="申请查看举报人身份被拒绝（无权限）")
        raise PermissionDenied
    return _request(actor=actor, tip=tip, reason=reason.strip())


@transaction.atomic
def _request(*, actor: User, tip: Tip, reason: str) -> IdentityRevealRequest:
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明查看举报人身份的事由（不少于4个字）"})
    if len(reason) > 200:
        raise ValidationError({"reason": "事由不超过200个字"})
    if not TipReporter.objects.filter(tip=tip).exists():
        raise ValidationError({"reason": "该线索为匿名举报，没有举报人身份信息"})
    pending = (
        IdentityRevealRequest.objects.select_for_update()
        .filter(tip=tip, requested_by=actor, state=RevealState.PENDING)
        .first()
    )
    if pending is not None:
        return pending
    request = IdentityRevealRequest.objects.create(
        tip=tip, requested_by=actor, requested_at=timezone.now(), reason=reason
    )
    audit_record(
        actor=actor,
        action="tip.identity_reveal_requested",
        obj=tip,
        summary=f"申请查看举报人身份，事由：{reason}",
        data={"request_id": request.pk, "reason": reason},
    )
    return request


def reveal_decide(
    *, actor: User, request: IdentityRevealRequest, approve: bool, note: str = ""
) -> IdentityRevealRequest:
    """The second person's decision. The requester can never approve their own request."""
    tip = request.tip
    if not may_decide(user=actor, tip=tip):
        _denied(actor=actor, tip=tip, summary="审批查看举报人身份申请被拒绝（无权限）")
        raise PermissionDenied
    if request.requested_by_id == actor.pk:
        _denied(actor=actor, tip=tip, summary="审批本人提出的查看举报人身份申请被拒绝")
        raise ValidationError({"__all__": "不能审批本人提出的申请（须由另一人审批）"})
    return _decide(actor=actor, request_id=request.pk, approve=approve, note=note.strip())


@transaction.atomic
def _decide(*, actor: User, request_id: int, approve: bool, note: str) -> IdentityRevealRequest:
    request = (
        IdentityRevealRequest.objects.select_for_update().select_related("tip").get(pk=request_id)
    )
    if len(note) > 200:
        raise ValidationError({"note": "审批意见不超过200个字"})
    if request.state != RevealState.PENDING:
        raise ValidationError({"__all__": f"该申请已{request.get_state_display()}，不能再审批"})
    now = timezone.now()
    request.state = RevealState.APPROVED if approve else RevealState.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.expires_at = now + dt.timedelta(minutes=reveal_minutes()) if approve else None
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "expires_at"])
    requester = request.requested_by
    who = requester.full_name or requester.username if requester else "—"
    if approve:
        summary = f"批准{who}查看举报人身份（{reveal_minutes()}分钟内有效）"
    else:
        summary = f"未批准{who}查看举报人身份" + (f"：{note}" if note else "")
    audit_record(
        actor=actor,
        action="tip.identity_reveal_approved" if approve else "tip.identity_reveal_refused",
        obj=request.tip,
        summary=summary,
        data={"request_id": request.pk, "approve": approve},
    )
    return request


def reveal_open(*, actor: User, request: IdentityRevealRequest) -> ReporterIdentity:
    """Decrypt the identity for the requester of an approved, unexpired request; audited."""
    tip = request.tip
    if request.requested_by_id != actor.pk or not in_scope(
        tip, user=actor, perm=Perm.TIP_REVEAL_IDENTITY
    ):
        _denied(actor=actor, tip=tip, summary="查看举报人身份被拒绝（非申请人或无权限）")
        raise PermissionDenied
    if not request.is_open:
        if request.state == RevealState.APPROVED:
            raise ValidationError({"__all__": "批准的查看时限已过，请重新申请"})
        raise ValidationError({"__all__": f"该申请{request.get_state_display()}，不能查看"})
    return _open(actor=actor, request=request)


@transaction.atomic
def _open(*, actor: User, request: IdentityRevealRequest) -> ReporterIdentity:
    reporter = TipReporter.objects.filter(tip=request.tip).first()
    if reporter is None:
        raise ValidationError({"__all__": "该线索为匿名举报，没有举报人身份信息"})
    approver = request.decided_by
    audit_record(
        actor=actor,
        action="tip.identity_revealed",
        obj=request.tip,
        summary=f"查看举报人身份（经{approver.full_name if approver else '—'}批准），事由：{request.reason}",
        data={"reason": request.reason, "request_id": request.pk},
    )
    return ReporterIdentity(reporter.name, reporter.phone, reporter.id_number, reporter.address)


def reveal_request_withdraw(*, actor: User, request: IdentityRevealRequest) -> None:
    """The requester withdraws a pending request."""
    if request.requested_by_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        updated = IdentityRevealRequest.objects.filter(
            pk=request.pk, state=RevealState.PENDING
        ).update(state=RevealState.WITHDRAWN)
        if updated:
            audit_record(
                actor=actor,
                action="tip.identity_reveal_withdrawn",
                obj=request.tip,
                summary="撤回查看举报人身份申请",
                data={"request_id": request.pk},
            )


# -- reads -----------------------------------------------------------------------------------


def reveal_requests_of(*, tip: Tip) -> QuerySet[IdentityRevealRequest]:
    """The tip's requests (the caller has already been given the tip through ``access_tip``)."""
    return IdentityRevealRequest.objects.filter(tip=tip).select_related(
        "requested_by", "decided_by"
    )


def reveal_requests_to_decide(*, user: User) -> QuerySet[IdentityRevealRequest]:
    """Pending requests on tips within the custodian's scope."""
    qs = IdentityRevealRequest.objects.filter(state=RevealState.PENDING)
    return (
        visible(qs, user=user, perm=Perm.IDENTITY_APPROVE)
        .exclude(requested_by=user)
        .select_related("tip", "tip__region", "requested_by")
    )


def access_reveal_request(*, user: User, tip: Tip, request_id: int | str) -> IdentityRevealRequest:
    try:
        return reveal_requests_of(tip=tip).get(pk=request_id)
    except (IdentityRevealRequest.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"__all__": "找不到该申请"}) from None
