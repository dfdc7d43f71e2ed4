"""Deadlines running by themselves: extensions, warnings, 催办, 督办, serious overdue, and the
higher office's takeover (兜底核查) or reassignment. Policy values come from the campaign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm, role_has
from silvershield.core.workdays import (
    Calendar,
    calendar_now,
    elapsed_fraction,
    working_days_between,
)
from silvershield.intake.models import GrantReason, TipGrant, TipState
from silvershield.orgs.models import Unit, User
from silvershield.workflow.access import acting_member, acting_office_over, office_above
from silvershield.workflow.models import (
    OPEN_STATES,
    ChaseAction,
    ChaseKind,
    ExtensionRequest,
    ExtensionState,
    Transfer,
    TransferState,
)
from silvershield.workflow.services import (
    _compute_due,
    _deadline_text,
    policy_for,
    tips_transfer,
)


@dataclass(frozen=True)
class Policy:
    warning_ratio: float = 0.8
    reminder_interval_days: int = 3
    reminders_before_supervision: int = 2
    serious_overdue_days: int = 10

    @classmethod
    def of(cls, campaign: Campaign | None) -> Policy:
        if campaign is None:
            return cls()
        return cls(
            warning_ratio=float(campaign.warning_ratio),
            reminder_interval_days=campaign.reminder_interval_days,
            reminders_before_supervision=campaign.reminders_before_supervision,
            serious_overdue_days=campaign.serious_overdue_days,
        )


def upper_limit(transfer: Transfer) -> dt.datetime | None:
    """The latest a transfer's deadline may move to: its parent's deadline (a re-transfer) or the
    absolute time limit set from above, whichever applies and is earlier."""
    parent_due = transfer.parent.due_at if transfer.parent else None
    limits = [d for d in (parent_due, transfer.absolute_due_at) if d is not None]
    return min(limits) if limits else None


def last_day(due_at: dt.datetime) -> dt.date:
    """The last calendar day of a deadline that ends at 24:00."""
    return timezone.localtime(due_at - dt.timedelta(minutes=1)).date()


def overdue_working_days(transfer: Transfer, now: dt.datetime) -> int:
    if now < transfer.due_at:
        return 0
    return working_days_between(
        last_day(transfer.due_at), timezone.localtime(now).date(), calendar_now()
    )


# -- extensions --------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, actor: User, transfer: Transfer, extra_working_days: int, reason: str
) -> ExtensionRequest:
    acting_member(actor, transfer.lead_unit, Perm.TRANSFER_HANDLE)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not transfer.is_open:
        errors["__all__"] = "该转办已结束，不能申请延期"
    elif transfer.extensions.filter(state=ExtensionState.PENDING).exists():
        errors["__all__"] = "已有待审批的延期申请"
    if not 1 <= extra_working_days <= 60:
        errors["extra_working_days"] = "延期应为1至60个工作日"
    if len(reason) < 4:
        errors["reason"] = "请写明延期理由（不少于4个字）"
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        transfer=transfer,
        requested_by=actor,
        requested_at=timezone.now(),
        extra_working_days=extra_working_days,
        reason=reason[:500],
    )
    audit_record(
        actor=actor,
        action="extension.requested",
        obj=transfer.tip,
        summary=f"{transfer.lead_unit.name}申请延期{extra_working_days}个工作日：{reason}",
    )
    return request


@transaction.atomic
def extension_decide(
    *, actor: User, request: ExtensionRequest, grant: bool, note: str = ""
) -> ExtensionRequest:
    transfer = request.transfer
    if transfer.from_unit.is_office:
        acting_office_over(actor, transfer.from_unit, Perm.DEADLINE_MANAGE)
    else:
        acting_member(actor, transfer.from_unit, Perm.TRANSFER_HANDLE)
    if request.state != ExtensionState.PENDING:
        raise ValidationError({"__all__": "该延期申请已处理"})
    note = note.strip()
    if not grant and len(note) < 4:
        raise ValidationError({"note": "不同意延期时请写明理由（不少于4个字）"})
    now = timezone.now()
    request.decided_by, request.decided_at, request.decision_note = actor, now, note[:500]
    if grant:
        new_due, provisional = _compute_due(
            at=transfer.due_at - dt.timedelta(minutes=1),
            working_days=request.extra_working_days,
            absolute=None,
        )
        limit = upper_limit(transfer)
        if limit is not None and new_due > limit:
            raise ValidationError({"__all__": "延期后的期限不能晚于上级规定的办理时限"})
        request.state, request.old_due_at, request.new_due_at = (
            ExtensionState.GRANTED,
            transfer.due_at,
            new_due,
        )
        transfer.due_at, transfer.due_provisional = new_due, provisional
        transfer.warned_at = None
        transfer.save(update_fields=["due_at", "due_provisional", "warned_at"])
        summary = f"同意延期，新期限{_deadline_text(new_due, provisional)}"
    else:
        request.state = ExtensionState.REFUSED
        summary = f"不同意延期：{note}"
    request.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
            "old_due_at",
            "new_due_at",
        ]
    )
    audit_record(
        actor=actor,
        action="extension.decided",
        obj=transfer.tip,
        summary=summary,
        data={"granted": grant},
    )
    return request


# -- takeover and reassignment ---------------------------------------------------------------------


def _check_overdue_for_office(actor: User, transfer: Transfer) -> Unit:
    office = acting_office_over(
        actor, transfer.lead_unit, Perm.DEADLINE_MANAGE, strictly_above=True
    )
    if not transfer.is_open:
        raise ValidationError({"__all__": "该转办已结束"})
    if timezone.now() < transfer.due_at:
        raise ValidationError({"__all__": "尚未超期，不能兜底核查或改派"})
    return office


@transaction.atomic
def transfer_take_over(*, actor: User, transfer: Transfer, note: str) -> Transfer:
    """兜底核查: the higher office verifies itself what the unit did not."""
    office = _check_overdue_for_office(actor, transfer)
    note = note.strip()
    if len(note) < 4:
        raise ValidationError({"note": "请写明兜底核查的理由（不少于4个字）"})
    now = timezone.now()
    _withdraw(transfer, now)
    days = transfer.working_days
    due_at, provisional = _compute_due(at=now, working_days=days, absolute=None)
    takeover = Transfer.objects.create(
        tip=transfer.tip,
        parent=transfer.parent,
        from_unit=office,
        lead_unit=office,
        letter=transfer.letter,
        created_by=actor,
        created_at=now,
        working_days=days,
        due_at=due_at,
        due_provisional=provisional,
        note=f"兜底核查：{note}"[:500],
        state=TransferState.SIGNED,
        signed_at=now,
        signed_by=actor,
    )
    TipGrant.objects.get_or_create(tip=transfer.tip, unit=office, reason=GrantReason.ESCALATION)
    ChaseAction.objects.create(
        transfer=transfer,
        kind=ChaseKind.TAKEOVER,
        created_at=now,
        by_unit=office,
        by_user=actor,
        to_unit=transfer.lead_unit,
        responsible_name=responsible_person(transfer),
        note=note[:500],
    )
    tip = transfer.tip
    if tip.state == TipState.TRANSFERRED:
        tip.state = TipState.VERIFYING
        tip.version += 1
        tip.save(update_fields=["state", "version"])
    audit_record(
        actor=actor,
        action="transfer.taken_over",
        obj=tip,
        summary=f"{office.name}兜底核查（原牵头单位{transfer.lead_unit.name}超期）：{note}",
    )
    return takeover


@transaction.atomic
def transfer_reassign(*, actor: User, transfer: Transfer, to_unit: Unit, note: str) -> Transfer:
    """改派: the higher office gives an overdue item to another unit."""
    office = _check_overdue_for_office(actor, transfer)
    note = note.strip()
    if len(note) < 4:
        raise ValidationError({"note": "请写明改派理由（不少于4个字）"})
    if to_unit.pk == transfer.lead_unit_id:
        raise ValidationError({"to_unit": "改派单位不能与原牵头单位相同"})
    if transfer.parent_id is not None:
        raise ValidationError(
            {"__all__": "该事项是下转事项：请由上级承办单位重新下转，或由本级专项办兜底核查"}
        )
    now = timezone.now()
    _withdraw(transfer, now)
    tip = transfer.tip
    tip.state = TipState.SCREENED
    tip.version += 1
    tip.save(update_fields=["state", "version"])
    ChaseAction.objects.create(
        transfer=transfer,
        kind=ChaseKind.REASSIGN,
        created_at=now,
        by_unit=office,
        by_user=actor,
        to_unit=transfer.lead_unit,
        responsible_name=responsible_person(transfer),
        note=note[:500],
    )
    (new,) = tips_transfer(actor=actor, tips=[tip], lead_unit=to_unit, note=f"改派：{note}")
    return new


def _withdraw(transfer: Transfer, now: dt.datetime) -> None:
    transfer.state, transfer.closed_at = TransferState.WITHDRAWN, now
    transfer.save(update_fields=["state", "closed_at"])
    for child in transfer.children.filter(state__in=OPEN_STATES):
        _withdraw(child, now)


# -- the deadline job ----------------------------------------------------------------------------


def responsible_person(transfer: Transfer) -> str:
    """The person answerable for an item (accountability for the item, not a ranking)."""
    if transfer.signed_by is not None:
        return transfer.signed_by.full_name or transfer.signed_by.username
    handlers = [
        m.user.full_name or m.user.username
        for m in transfer.lead_unit.memberships.select_related("user").filter(user__is_active=True)
        if role_has(m.role, Perm.TRANSFER_HANDLE)
    ]
    return ("、".join(handlers[:3]) or transfer.lead_unit.name) + "（未签收）"


@dataclass
class DeadlineRun:
    warnings: int = 0
    reminders: int = 0
    supervisions: int = 0
    serious: int = 0
    transfers: list[int] = field(default_factory=list)


def _chase(
    transfer: Transfer, kind: ChaseKind, now: dt.datetime, by_unit: Unit | None, note: str
) -> None:
    ChaseAction.objects.create(
        transfer=transfer,
        kind=kind,
        created_at=now,
        by_unit=by_unit,
        to_unit=transfer.lead_unit,
        responsible_name=responsible_person(transfer),
        note=note,
    )
    audit_record(
        actor=None,
        action=f"deadline.{kind.value}",
        obj=transfer.tip,
        summary=f"{kind.label}：{transfer.lead_unit.name}" + (f"（{note}）" if note else ""),
        data={"transfer": transfer.pk},
    )


def deadlines_run(*, now: dt.datetime | None = None) -> DeadlineRun:
    """Warn, remind, supervise and flag what runs late. Safe to run as often as wanted: each step
    happens once per due moment (reminders once every N working days)."""
    now = now or timezone.now()
    run = DeadlineRun()
    today = timezone.localtime(now).date()
    cal = calendar_now()
    open_transfers = Transfer.objects.filter(state__in=OPEN_STATES).select_related(
        "tip", "tip__campaign", "lead_unit", "from_unit", "signed_by"
    )
    for transfer in open_transfers.iterator(chunk_size=500):
        with transaction.atomic():
            locked = (
                Transfer.objects.select_for_update(of=("self",))
                .select_related(
                    "tip",
                    "tip__campaign",
                    "lead_unit",
                    "from_unit",
                    "signed_by",
                    "from_unit__region",
                )
                .get(pk=transfer.pk)
            )
            if locked.state not in OPEN_STATES:
                continue
            policy = Policy.of(policy_for(locked.tip))
            changed = _step(locked, policy, now, today, cal, run)
            if changed:
                run.transfers.append(locked.pk)
    return run


def _step(
    transfer: Transfer,
    policy: Policy,
    now: dt.datetime,
    today: dt.date,
    cal: Calendar,
    run: DeadlineRun,
) -> bool:
    fields: list[str] = []
    if now < transfer.due_at:
        if (
            transfer.warned_at is None
            and elapsed_fraction(transfer.created_at, transfer.due_at, now) >= policy.warning_ratio
        ):
            transfer.warned_at = now
            fields.append("warned_at")
            _chase(
                transfer,
                ChaseKind.WARNING,
                now,
                transfer.from_unit,
                f"期限{_deadline_text(transfer.due_at, transfer.due_provisional)}",
            )
            run.warnings += 1
    else:
        over = working_days_between(last_day(transfer.due_at), today, cal)
        due_for_reminder = transfer.last_reminder_at is None or (
            working_days_between(timezone.localtime(transfer.last_reminder_at).date(), today, cal)
            >= policy.reminder_interval_days
        )
        if due_for_reminder:
            transfer.reminder_count += 1
            transfer.last_reminder_at = now
            fields += ["reminder_count", "last_reminder_at"]
            _chase(
                transfer,
                ChaseKind.REMINDER,
                now,
                transfer.from_unit,
                f"第{transfer.reminder_count}次催办，已超期{over}个工作日",
            )
            run.reminders += 1
        if (
            transfer.supervised_at is None
            and transfer.reminder_count >= policy.reminders_before_supervision
        ):
            transfer.supervised_at = now
            fields.append("supervised_at")
            above = (
                office_above(transfer.from_unit)
                if transfer.from_unit.is_office
                else transfer.from_unit
            )
            _chase(
                transfer,
                ChaseKind.SUPERVISION,
                now,
                above or transfer.from_unit,
                f"催办{transfer.reminder_count}次仍未办结",
            )
            run.supervisions += 1
        if transfer.seriously_overdue_at is None and over > policy.serious_overdue_days:
            transfer.seriously_overdue_at = now
            fields.append("seriously_overdue_at")
            _chase(transfer, ChaseKind.SERIOUS, now, transfer.from_unit, f"超期{over}个工作日")
            run.serious += 1
    if fields:
        transfer.save(update_fields=fields)
    return bool(fields)


def chronically_late(*, transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    """久催不办: open items reminded at least twice; each names its unit and responsible person."""
    return transfers.filter(state__in=OPEN_STATES, reminder_count__gte=2).select_related(
        "lead_unit", "signed_by", "tip"
    )


# -- a newly entered holiday year makes provisional deadlines definite ----------------------------


def transfers_recompute_provisional(*, year: int | None = None) -> int:
    """Recompute the deadlines of open transfers that were provisional (their year was not yet
    known); granted extensions are applied again on top. Returns how many deadlines changed."""
    from silvershield.core.workdays import deadline_for

    changed = 0
    cal = calendar_now()
    for transfer in Transfer.objects.filter(
        state__in=OPEN_STATES, due_provisional=True
    ).select_related("tip"):
        with transaction.atomic():
            deadline = deadline_for(
                transfer.created_at, transfer.working_days, cal, transfer.absolute_due_at
            )
            due_at, provisional = deadline.due_at, deadline.provisional
            for ext in transfer.extensions.filter(state=ExtensionState.GRANTED).order_by(
                "decided_at"
            ):
                due_at, ext_provisional = _compute_due(
                    at=due_at - dt.timedelta(minutes=1),
                    working_days=ext.extra_working_days,
                    absolute=upper_limit(transfer),
                )
                provisional = provisional or ext_provisional
            if due_at == transfer.due_at and provisional == transfer.due_provisional:
                continue
            old = transfer.due_at
            transfer.due_at, transfer.due_provisional = due_at, provisional
            transfer.save(update_fields=["due_at", "due_provisional"])
            audit_record(
                actor=None,
                action="deadline.recomputed",
                obj=transfer.tip,
                summary=f"节假日安排公布，期限由{_deadline_text(old, True)}调整为{_deadline_text(due_at, provisional)}",
                data={"transfer": transfer.pk, "year": year},
            )
            changed += 1
    return changed
