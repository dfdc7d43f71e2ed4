"""Reads of the portal: what a reporter may see of their own tip (never anyone's identity,
not even their own), and what staff see on the tip page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from silvershield.core.access import in_scope
from silvershield.core.permissions import Perm
from silvershield.intake.models import Tip, TipState
from silvershield.orgs.models import User
from silvershield.portal.models import Attachment, Message, Receipt
from silvershield.workflow.models import ReporterFeedback
from silvershield.workflow.services import open_transfer_of

# The tip's stage in plain words for the public.
STAGES: dict[str, tuple[str, str]] = {
    TipState.RECEIVED: ("已收到", "我们已经收到您反映的情况，正在查看。"),
    TipState.SCREENED: ("正在安排", "情况已经核对，正在交给负责的部门。"),
    TipState.TRANSFERRED: ("已交给负责部门", "已经交给负责的部门，等待对方接手。"),
    TipState.VERIFYING: ("正在调查", "负责的部门正在调查核实。"),
    TipState.REPORTED: ("调查有了结果", "调查有了结果，正在复核。"),
    TipState.ACCEPTED: ("正在写答复", "调查结果已经复核，正在给您写答复。"),
    TipState.CLOSED: ("已办完", "这件事已经办完。"),
}
MERGED = ("和同一件事一起办", "别人也反映了同一件事，我们合在一起办理。")


@dataclass(frozen=True)
class ReporterView:
    """What the status page shows: no identity, no internal notes, no staff names."""

    number: str
    received_at: object
    stage: str
    stage_text: str
    due_text: str
    answers: list[ReporterFeedback]
    messages: list[Message]
    region_name: str


def _effective(tip: Tip) -> Tip:
    seen: set[int] = set()
    while tip.state == TipState.MERGED and tip.merged_into_id and tip.pk not in seen:
        seen.add(tip.pk)
        tip = Tip.objects.get(pk=tip.merged_into_id)
    return tip


def reporter_view(*, tip: Tip) -> ReporterView:
    handled = _effective(tip)
    stage, text = STAGES.get(handled.state, STAGES[TipState.RECEIVED])
    if tip.state == TipState.MERGED:
        stage, text = MERGED[0], MERGED[1] + text
    transfer = open_transfer_of(handled)
    due = f"应在 {transfer.due_text} 前办完" if transfer is not None else ""
    answers = list(ReporterFeedback.objects.filter(tip=handled).select_related("unit"))
    if handled.pk != tip.pk:
        answers += list(ReporterFeedback.objects.filter(tip=tip).select_related("unit"))
    return ReporterView(
        number=tip.number,
        received_at=tip.received_at,
        stage=stage,
        stage_text=text,
        due_text=due,
        answers=answers,
        messages=list(messages_of(tip=tip)),
        region_name=tip.region.name,
    )


def messages_of(*, tip: Tip) -> QuerySet[Message]:
    return Message.objects.filter(tip=tip).select_related("unit").prefetch_related("attachments")


def attachments_of(*, tip: Tip) -> QuerySet[Attachment]:
    return Attachment.objects.filter(tip=tip)


def has_receipt(*, tip: Tip) -> bool:
    return Receipt.objects.filter(tip=tip).exists()


def access_attachment(*, user: User, attachment_id: int) -> Attachment:
    """An attachment of a tip the user may see (else 404)."""
    from django.http import Http404

    attachment = (
        Attachment.objects.select_related("tip", "tip__region").filter(pk=attachment_id).first()
    )
    if attachment is None or not in_scope(attachment.tip, user=user, perm=Perm.TIP_VIEW):
        raise Http404
    return attachment
