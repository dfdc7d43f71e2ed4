"""The tip's life (DESIGN.md): each transition is one function — it checks the actor, refuses
illegal moves with a clear message and no change, writes the audit event, and is safe to retry.

Deadlines, extensions and chasing live in ``deadlines.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.campaigns.services import campaign_current
from silvershield.core.access import in_scope
from silvershield.core.audit import audit_record
from silvershield.core.choices import FraudType
from silvershield.core.concurrency import guarded_update
from silvershield.core.permissions import Perm
from silvershield.core.sequences import next_value
from silvershield.core.workdays import calendar_now, deadline_for
from silvershield.intake.models import GrantReason, Tip, TipGrant, TipState
from silvershield.orgs.models import Unit, User
from silvershield.workflow.access import acting_member, acting_office_over
from silvershield.workflow.models import (
    OPEN_STATES,
    Conclusion,
    Measure,
    ReporterFeedback,
    ReportState,
    Transfer,
    TransferLetter,
    TransferState,
    VerificationReport,
)

# Announced after commit when the reporter's answer is recorded (the portal's SMS listens).
feedback_recorded = Signal()

DEFAULT_WORKING_DAYS = 15
SCREENABLE = (TipState.RECEIVED, TipState.SCREENED)


def _version(tip: Tip, expected_version: int | None) -> int:
    return tip.version if expected_version is None else expected_version


def policy_for(tip: Tip) -> Campaign | None:
    return tip.campaign or campaign_current()


# -- screening (甄别) --------------------------------------------------------------------------


def _screening_office(actor: User, tip: Tip) -> Unit:
    if not in_scope(tip, user=actor, perm=Perm.TIP_SCREEN):
        raise PermissionDenied
    return acting_office_over(actor, tip.owner_unit, Perm.TIP_SCREEN)


@transaction.atomic
def tip_classify(
    *, actor: User, tip: Tip, fraud_type: str, expected_version: int | None = None, note: str = ""
) -> Tip:
    """Confirm a tip as a valid elderly-fraud tip of a given form: received → screened."""
    _screening_office(actor, tip)
    if tip.state not in SCREENABLE:
        raise ValidationError({"__all__": f"线索当前状态为“{tip.get_state_display()}”，不能再甄别"})
    if fraud_type not in FraudType.values or fraud_type == FraudType.NONE:
        raise ValidationError({"fraud_type": "请选择诈骗类型；不属于养老诈骗的线索请标记为无效"})
    before = {"state": tip.state, "fraud_type": tip.fraud_type}
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        state=TipState.SCREENED,
        fraud_type=fraud_type,
        is_relevant=True,
        screened_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="tip.classified",
        obj=tip,
        summary=f"甄别为有效线索：{FraudType(fraud_type).label}" + (f"（{note}）" if note else ""),
        data={"before": before, "fraud_type": fraud_type},
    )
    return tip


@transaction.atomic
def tip_mark_invalid(
    *, actor: User, tip: Tip, reason: str, expected_version: int | None = None
) -> Tip:
    """Not an elderly-fraud matter (or not a tip at all): closed with a reason."""
    _screening_office(actor, tip)
    reason = reason.strip()
    if tip.state not in SCREENABLE:
        raise ValidationError(
            {"__all__": f"线索当前状态为“{tip.get_state_display()}”，不能标记为无效"}
        )
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明无效的理由（不少于4个字）"})
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        state=TipState.CLOSED,
        is_relevant=False,
        fraud_type=FraudType.NONE,
        screened_at=timezone.now(),
        closed_at=timezone.now(),
        close_reason=f"无效线索：{reason}"[:500],
    )
    audit_record(
        actor=actor, action="tip.invalidated", obj=tip, summary=f"标记为无效线索：{reason}"
    )
    return tip


@transaction.atomic
def tip_merge(*, actor: User, tip: Tip, into: Tip, expected_version: int | None = None) -> Tip:
    """Merge a duplicate into another tip; both records and their histories stay."""
    _screening_office(actor, tip)
    if not in_scope(into, user=actor, perm=Perm.TIP_VIEW):
        raise ValidationError({"into": "找不到要合并到的线索"})
    if into.pk == tip.pk:
        raise ValidationError({"into": "不能合并到线索自身"})
    if into.state == TipState.MERGED:
        raise ValidationError({"into": f"线索 {into.number} 已被合并，请合并到 {into.merged_into}"})
    if tip.state not in SCREENABLE:
        raise ValidationError({"__all__": f"线索当前状态为“{tip.get_state_display()}”，不能合并"})
    previous = tip.state
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        state=TipState.MERGED,
        merged_into=into,
        state_before_merge=previous,
    )
    audit_record(
        actor=actor,
        action="tip.merged",
        obj=tip,
        summary=f"作为重复线索合并至 {into.number}",
        data={"into": into.pk},
    )
    audit_record(
        actor=actor,
        action="tip.duplicate_added",
        obj=into,
        summary=f"合并了重复线索 {tip.number}",
        data={"tip": tip.pk},
    )
    return tip


@transaction.atomic
def tip_unmerge(*, actor: User, tip: Tip, expected_version: int | None = None) -> Tip:
    """Undo a merge: the tip returns to the state it had."""
    _screening_office(actor, tip)
    if tip.state != TipState.MERGED or tip.merged_into is None:
        raise ValidationError({"__all__": "该线索没有被合并"})
    into = tip.merged_into
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        state=tip.state_before_merge or TipState.RECEIVED,
        merged_into=None,
        state_before_merge="",
    )
    audit_record(
        actor=actor, action="tip.unmerged", obj=tip, summary=f"撤销合并（原合并至 {into.number}）"
    )
    audit_record(
        actor=actor,
        action="tip.duplicate_removed",
        obj=into,
        summary=f"撤销合并重复线索 {tip.number}",
    )
    return tip


# -- transfer (转办) ---------------------------------------------------------------------------


def doc_prefix(unit: Unit) -> str:
    """The unit's 机关代字 (set by the system administrator), else the start of its name."""
    return unit.doc_prefix or "".join(ch for ch in unit.name if not ch.isdigit())[:4]


def _letter_number(unit: Unit, year: int) -> tuple[int, str]:
    """The next number of the unit's document register for the year: 湖养诈办〔2026〕12号."""
    seq = next_value(key=f"docno:{unit.pk}:{year}")
    return seq, f"{doc_prefix(unit)}〔{year}〕{seq}号"


def _check_target(
    *, tip: Tip, lead_unit: Unit, co_units: Sequence[Unit], sender: Unit
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not lead_unit.is_active:
        errors["lead_unit"] = f"{lead_unit.name}已停用"
    elif lead_unit.pk == sender.pk:
        errors["lead_unit"] = "不能转给本单位"
    elif lead_unit.region is not None and not tip.region.path.startswith(lead_unit.region.path):
        errors["lead_unit"] = f"{lead_unit.name}不负责线索所在地区（{tip.region.full_name}）"
    elif sender.region is not None and (
        lead_unit.region is None or not lead_unit.region.path.startswith(sender.region.path)
    ):
        errors["lead_unit"] = f"{lead_unit.name}不在本单位辖区内"
    accused = tip.accused_unit_id
    if accused is not None and (accused == lead_unit.pk or any(u.pk == accused for u in co_units)):
        errors["lead_unit"] = (
            f"线索 {tip.number} 举报涉及{tip.accused_unit}，依回避规定不得转给该单位办理，请转其上级机关"
        )
    for unit in co_units:
        if unit.pk == lead_unit.pk:
            errors["co_units"] = "配合单位不能与牵头单位相同"
    return errors


def _compute_due(
    *, at: dt.datetime, working_days: int, absolute: dt.datetime | None
) -> tuple[dt.datetime, bool]:
    deadline = deadline_for(at, working_days, calendar_now(), absolute)
    return deadline.due_at, deadline.provisional


def _deadline_text(due_at: dt.datetime, provisional: bool) -> str:
    last_day = timezone.localtime(due_at - dt.timedelta(minutes=1)).date()
    text = f"{last_day.year}年{last_day.month}月{last_day.day}日24时前"
    return text + ("（节假日安排公布后可能调整）" if provisional else "")


REQUIREMENTS = (
    "请牵头单位签收后组织核查，于办理时限前报送核查报告。核查报告须载明唯一的核查结论"
    "（属实、部分属实、不属实或无法核实）、核查情况和处理措施（立案、行政处罚、责令整改、移送或其他），"
    "并关联所立案件、发现的隐患或制发的建议书。经审核通过后，请向举报人反馈办理结果。"
    "对举报人信息严格保密，不得泄露。如非本单位职责，请在签收前说明理由退回。"
)


def _issue_letter(
    *,
    actor: User,
    sender: Unit,
    tips: Sequence[Tip],
    lead_unit: Unit,
    co_units: Sequence[Unit],
    due_text: str,
) -> TransferLetter:
    now = timezone.now()
    year = timezone.localtime(now).year
    seq, number = _letter_number(sender, year)
    letter = TransferLetter.objects.create(
        issuing_unit=sender,
        year=year,
        seq=seq,
        number=number,
        title=f"关于转办养老诈骗线索的函（{len(tips)}条）",
        recipients=[lead_unit.name],
        co_recipients=[u.name for u in co_units],
        tips=[
            {
                "number": t.number,
                "received_on": timezone.localtime(t.received_at).date().isoformat(),
                "channel": t.get_channel_display(),
                "region": t.region.full_name,
                "institution": t.involved_institution,
                "type": t.get_fraud_type_display() if t.fraud_type else "",
                "substance": t.content,
            }
            for t in tips
        ],
        deadline_text=due_text,
        requirements=REQUIREMENTS,
        issued_at=now,
        issued_by_name=actor.full_name or actor.username,
    )
    audit_record(
        actor=actor,
        action="letter.issued",
        obj=letter,
        region_path=sender.region_path,
        summary=f"印发转办函 {number}",
        data={"tips": [t.pk for t in tips], "lead_unit": lead_unit.pk},
    )
    return letter


def _grant(tip: Tip, units: Sequence[Unit], reason: GrantReason) -> None:
    for unit in units:
        TipGrant.objects.get_or_create(tip=tip, unit=unit, reason=reason)


@transaction.atomic
def tips_transfer(
    *,
    actor: User,
    tips: Sequence[Tip],
    lead_unit: Unit,
    co_units: Sequence[Unit] = (),
    working_days: int | None = None,
    absolute_due_at: dt.datetime | None = None,
    note: str = "",
    expected_versions: dict[int, int] | None = None,
) -> list[Transfer]:
    """Transfer one tip or a selection to a lead unit (+ co-operating units) with one 转办函."""
    if not tips:
        raise ValidationError({"tips": "请选择要转办的线索"})
    sender = acting_office_over(actor, lead_unit, Perm.TIP_TRANSFER, strictly_above=True)
    errors: dict[str, str] = {}
    for tip in tips:
        if not in_scope(tip, user=actor, perm=Perm.TIP_TRANSFER):
            raise PermissionDenied
        if tip.state != TipState.SCREENED:
            errors["tips"] = (
                f"线索 {tip.number} 当前为“{tip.get_state_display()}”，须先甄别为有效线索才能转办"
            )
        errors.update(_check_target(tip=tip, lead_unit=lead_unit, co_units=co_units, sender=sender))
    if working_days is not None and not 1 <= working_days <= 90:
        errors["working_days"] = "办理时限应为1至90个工作日"
    if absolute_due_at is not None and absolute_due_at <= timezone.now():
        errors["absolute_due_at"] = "上级办理时限已过，请核对"
    if len(note) > 500:
        errors["note"] = "转办意见不超过500字"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    days = working_days or _policy_days(tips[0])
    due_at, provisional = _compute_due(at=now, working_days=days, absolute=absolute_due_at)
    letter = _issue_letter(
        actor=actor,
        sender=sender,
        tips=tips,
        lead_unit=lead_unit,
        co_units=co_units,
        due_text=_deadline_text(due_at, provisional),
    )
    transfers = []
    for tip in tips:
        expected = (expected_versions or {}).get(tip.pk, tip.version)
        guarded_update(tip, expected_version=expected, state=TipState.TRANSFERRED)
        transfer = Transfer.objects.create(
            tip=tip,
            from_unit=sender,
            lead_unit=lead_unit,
            letter=letter,
            created_by=actor,
            created_at=now,
            working_days=days,
            absolute_due_at=absolute_due_at,
            due_at=due_at,
            due_provisional=provisional,
            note=note.strip(),
        )
        transfer.co_units.set(co_units)
        _grant(tip, [lead_unit], GrantReason.TRANSFER)
        _grant(tip, co_units, GrantReason.COOPERATE)
        co_text = f"，配合单位：{'、'.join(u.name for u in co_units)}" if co_units else ""
        audit_record(
            actor=actor,
            action="tip.transferred",
            obj=tip,
            summary=f"转办至{lead_unit.name}{co_text}，{letter.number}，期限{_deadline_text(due_at, provisional)}",
            data={
                "transfer": transfer.pk,
                "letter": letter.pk,
                "lead_unit": lead_unit.pk,
                "co_units": [u.pk for u in co_units],
            },
        )
        transfers.append(transfer)
    return transfers


def _policy_days(tip: Tip) -> int:
    campaign = policy_for(tip)
    return campaign.transfer_working_days if campaign else DEFAULT_WORKING_DAYS


def _top(transfer: Transfer) -> bool:
    return transfer.parent_id is None


def _hand_back(transfer: Transfer, *, tip_state: TipState) -> None:
    """A transfer comes back to its sender: a top-level one moves the tip to ``tip_state``; a
    re-transfer hands the work back to the unit that passed it down (verifying again)."""
    if _top(transfer):
        tip = transfer.tip
        guarded_update(tip, expected_version=tip.version, state=tip_state)
        return
    parent = transfer.parent
    assert parent is not None
    parent.state = TransferState.SIGNED
    parent.save(update_fields=["state"])


@transaction.atomic
def transfer_sign(*, actor: User, transfer: Transfer) -> Transfer:
    """签收: the lead unit accepts the work; the tip is now being verified."""
    acting_member(actor, transfer.lead_unit, Perm.TRANSFER_HANDLE)
    if transfer.state == TransferState.SIGNED:
        return transfer  # retry of the same action
    if transfer.state != TransferState.PENDING:
        raise ValidationError(
            {"__all__": f"该转办当前为“{transfer.get_state_display()}”，不能签收"}
        )
    transfer.state = TransferState.SIGNED
    transfer.signed_at = timezone.now()
    transfer.signed_by = actor
    transfer.save(update_fields=["state", "signed_at", "signed_by"])
    tip = transfer.tip
    if _top(transfer) and tip.state == TipState.TRANSFERRED:
        guarded_update(tip, expected_version=tip.version, state=TipState.VERIFYING)
    audit_record(
        actor=actor, action="transfer.signed", obj=tip, summary=f"{transfer.lead_unit.name}签收"
    )
    return transfer


@transaction.atomic
def transfer_send_back(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """Not this unit's responsibility: back to the sender, who re-routes it."""
    acting_member(actor, transfer.lead_unit, Perm.TRANSFER_HANDLE)
    reason = reason.strip()
    if transfer.state != TransferState.PENDING:
        raise ValidationError({"__all__": "只有待签收的转办可以退回"})
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明退回理由（不少于4个字）"})
    transfer.state = TransferState.SENT_BACK
    transfer.send_back_reason = reason[:500]
    transfer.closed_at = timezone.now()
    transfer.save(update_fields=["state", "send_back_reason", "closed_at"])
    tip = transfer.tip
    _hand_back(transfer, tip_state=TipState.SCREENED)
    audit_record(
        actor=actor,
        action="transfer.sent_back",
        obj=tip,
        summary=f"{transfer.lead_unit.name}退回：{reason}",
    )
    return transfer


@transaction.atomic
def transfer_retransfer(
    *,
    actor: User,
    transfer: Transfer,
    to_unit: Unit,
    working_days: int | None = None,
    note: str = "",
) -> Transfer:
    """A unit passes the verification down (e.g. a county bureau to a police station) within its
    own deadline."""
    acting_member(actor, transfer.lead_unit, Perm.TIP_TRANSFER)
    if transfer.state != TransferState.SIGNED:
        raise ValidationError({"__all__": "签收后、报告前才能下转"})
    tip = transfer.tip
    sender = transfer.lead_unit
    errors = _check_target(tip=tip, lead_unit=to_unit, co_units=(), sender=sender)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    days = working_days or transfer.working_days
    due_at, provisional = _compute_due(at=now, working_days=days, absolute=transfer.due_at)
    letter = _issue_letter(
        actor=actor,
        sender=sender,
        tips=[tip],
        lead_unit=to_unit,
        co_units=(),
        due_text=_deadline_text(due_at, provisional),
    )
    child = Transfer.objects.create(
        tip=tip,
        parent=transfer,
        from_unit=sender,
        lead_unit=to_unit,
        letter=letter,
        created_by=actor,
        created_at=now,
        working_days=days,
        absolute_due_at=transfer.due_at,
        due_at=due_at,
        due_provisional=provisional,
        note=note.strip()[:500],
    )
    transfer.state = TransferState.DELEGATED
    transfer.save(update_fields=["state"])
    _grant(tip, [to_unit], GrantReason.TRANSFER)
    audit_record(
        actor=actor,
        action="transfer.retransferred",
        obj=tip,
        summary=f"{sender.name}下转至{to_unit.name}，{letter.number}，期限{_deadline_text(due_at, provisional)}",
    )
    return child


# -- verification report, review, feedback, close ------------------------------------------------

_SAYS_TRUE = re.compile(r"(?<![不部分])属实")
_SAYS_UNTRUE = re.compile(r"不属实")


def _report_errors(
    conclusion: str, facts: str, measures: Sequence[str], measures_note: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = "请选择唯一的核查结论：属实、部分属实、不属实或无法核实"
    if len(facts.strip()) < 10:
        errors["facts"] = "请写明核查情况（不少于10个字）"
    elif len(facts) > 10000:
        errors["facts"] = "核查情况不超过10000字"
    unknown = [m for m in measures if m not in Measure.values]
    if unknown:
        errors["measures"] = "处理措施无效"
    elif len(set(measures)) != len(measures):
        errors["measures"] = "处理措施重复"
    elif conclusion in (Conclusion.TRUE, Conclusion.PARTLY) and not measures:
        errors["measures"] = "结论为属实或部分属实时，须写明处理措施"
    if Measure.OTHER in measures and not measures_note.strip():
        errors["measures_note"] = "选择“其他”措施时请说明"
    # An ambiguous report: the facts state a conclusion other than the one chosen.
    if conclusion == Conclusion.TRUE and _SAYS_UNTRUE.search(facts):
        errors["conclusion"] = "核查情况写有“不属实”，与结论“属实”矛盾，请核对"
    if conclusion == Conclusion.UNTRUE and _SAYS_TRUE.search(facts.replace("不属实", "")):
        errors["conclusion"] = "核查情况写有“属实”，与结论“不属实”矛盾，请核对"
    return errors


@transaction.atomic
def report_submit(
    *,
    actor: User,
    transfer: Transfer,
    conclusion: str,
    facts: str,
    measures: Sequence[str] = (),
    measures_note: str = "",
) -> VerificationReport:
    acting_member(actor, transfer.lead_unit, Perm.TRANSFER_HANDLE)
    if transfer.state == TransferState.PENDING:
        raise ValidationError({"__all__": "请先签收，再报送核查报告"})
    if transfer.state not in (TransferState.SIGNED, TransferState.RETURNED):
        raise ValidationError(
            {"__all__": f"该转办当前为“{transfer.get_state_display()}”，不能报送核查报告"}
        )
    errors = _report_errors(conclusion, facts, measures, measures_note)
    if errors:
        raise ValidationError(errors)
    report = VerificationReport.objects.create(
        transfer=transfer,
        tip=transfer.tip,
        unit=transfer.lead_unit,
        submitted_by=actor,
        submitted_at=timezone.now(),
        conclusion=conclusion,
        facts=facts.strip(),
        measures=list(measures),
        measures_note=measures_note.strip()[:1000],
    )
    transfer.state = TransferState.REPORTED
    transfer.save(update_fields=["state"])
    tip = transfer.tip
    if _top(transfer):
        guarded_update(tip, expected_version=tip.version, state=TipState.REPORTED)
    audit_record(
        actor=actor,
        action="report.submitted",
        obj=tip,
        summary=f"{transfer.lead_unit.name}报送核查报告：{Conclusion(conclusion).label}",
        data={"report": report.pk, "conclusion": conclusion, "measures": list(measures)},
    )
    return report


def _reviewer_unit(actor: User, transfer: Transfer) -> Unit:
    if transfer.from_unit.is_office:
        return acting_office_over(actor, transfer.from_unit, Perm.REPORT_REVIEW)
    return acting_member(actor, transfer.from_unit, Perm.TRANSFER_HANDLE)


@transaction.atomic
def report_review(
    *, actor: User, report: VerificationReport, accept: bool, note: str = ""
) -> VerificationReport:
    """The sender accepts the report, or returns it with a reason for more verification."""
    transfer = report.transfer
    _reviewer_unit(actor, transfer)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError({"__all__": f"该报告已{report.get_state_display()}，不能再审核"})
    note = note.strip()
    if not accept and len(note) < 4:
        raise ValidationError({"note": "退回时请写明理由（不少于4个字）"})
    now = timezone.now()
    report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = actor, now, note[:1000]
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    tip = transfer.tip
    if accept:
        transfer.state, transfer.closed_at = TransferState.DONE, now
        transfer.save(update_fields=["state", "closed_at"])
        _hand_back(transfer, tip_state=TipState.ACCEPTED)
        audit_record(
            actor=actor,
            action="report.accepted",
            obj=tip,
            summary="核查报告审核通过" + (f"：{note}" if note else ""),
        )
    else:
        transfer.state = TransferState.RETURNED
        transfer.save(update_fields=["state"])
        if _top(transfer):
            guarded_update(tip, expected_version=tip.version, state=TipState.VERIFYING)
        audit_record(
            actor=actor, action="report.returned", obj=tip, summary=f"核查报告退回补充核查：{note}"
        )
    return report


def accepted_transfer(tip: Tip) -> Transfer | None:
    return (
        Transfer.objects.filter(tip=tip, parent__isnull=True, state=TransferState.DONE)
        .order_by("-closed_at")
        .first()
    )


@transaction.atomic
def feedback_write(*, actor: User, tip: Tip, text: str) -> ReporterFeedback:
    """The answer to the reporter, once the office accepted the report: by the verifying unit or
    by the office."""
    if tip.state != TipState.ACCEPTED:
        raise ValidationError({"__all__": "核查报告审核通过后才能答复举报人"})
    transfer = accepted_transfer(tip)
    if transfer is None:
        raise ValidationError({"__all__": "没有审核通过的核查报告"})
    try:
        unit = acting_member(actor, transfer.lead_unit, Perm.TRANSFER_HANDLE)
    except PermissionDenied:
        unit = _reviewer_unit(actor, transfer)
    text = text.strip()
    if len(text) < 10:
        raise ValidationError({"text": "请写明给举报人的答复（不少于10个字）"})
    if len(text) > 2000:
        raise ValidationError({"text": "答复不超过2000字"})
    feedback = ReporterFeedback.objects.create(
        tip=tip, unit=unit, written_by=actor, written_at=timezone.now(), text=text
    )
    audit_record(actor=actor, action="feedback.written", obj=tip, summary=f"{unit.name}答复举报人")
    transaction.on_commit(lambda: feedback_recorded.send(sender=ReporterFeedback, tip_id=tip.pk))
    return feedback


@transaction.atomic
def tip_close(*, actor: User, tip: Tip, note: str = "", expected_version: int | None = None) -> Tip:
    """办结: only after the report was accepted and the reporter was answered."""
    if not in_scope(tip, user=actor, perm=Perm.REPORT_REVIEW):
        raise PermissionDenied
    transfer = accepted_transfer(tip)
    if transfer is not None:
        _reviewer_unit(actor, transfer)
    if tip.state != TipState.ACCEPTED:
        raise ValidationError(
            {
                "__all__": f"线索当前为“{tip.get_state_display()}”，核查报告审核通过并答复举报人后才能办结"
            }
        )
    if not ReporterFeedback.objects.filter(tip=tip).exists():
        raise ValidationError({"__all__": "尚未答复举报人，不能办结"})
    now = timezone.now()
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        state=TipState.CLOSED,
        closed_at=now,
        close_reason=note.strip()[:500],
    )
    audit_record(
        actor=actor,
        action="tip.closed",
        obj=tip,
        summary="办结" + (f"：{note.strip()}" if note.strip() else ""),
    )
    return tip


@transaction.atomic
def tip_reopen(*, actor: User, tip: Tip, reason: str, expected_version: int | None = None) -> Tip:
    """回头看: a closed tip is reopened with a reason and goes back to be routed again."""
    if not in_scope(tip, user=actor, perm=Perm.REPORT_REVIEW):
        raise PermissionDenied
    acting_office_over(actor, tip.owner_unit, Perm.REPORT_REVIEW)
    reason = reason.strip()
    if tip.state != TipState.CLOSED:
        raise ValidationError({"__all__": "只有已办结的线索可以重新启动（回头看）"})
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明重新启动的理由（不少于4个字）"})
    guarded_update(
        tip,
        expected_version=_version(tip, expected_version),
        # An invalid tip goes back to be screened again; a handled one to be routed again.
        state=TipState.RECEIVED if tip.is_relevant is False else TipState.SCREENED,
        closed_at=None,
        close_reason="",
    )
    audit_record(actor=actor, action="tip.reopened", obj=tip, summary=f"回头看，重新启动：{reason}")
    return tip


def open_transfer_of(tip: Tip) -> Transfer | None:
    """The tip's current top-level transfer, if any is still open."""
    return (
        Transfer.objects.filter(
            tip=tip,
            parent__isnull=True,
            state__in=[*OPEN_STATES, TransferState.DELEGATED, TransferState.REPORTED],
        )
        .select_related("lead_unit", "from_unit")
        .order_by("-created_at")
        .first()
    )
