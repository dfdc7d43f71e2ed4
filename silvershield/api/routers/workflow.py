"""The tip's workflow through the API: screening decisions, transfers (转办) and their letters,
signing, sending back, re-transfer, verification reports and their review, extensions, feedback to
the reporter, closing and reopening, takeover and reassignment of late work.

Each operation does what the matching action on the tip page does (``workflow.views.ACTIONS``):
the object is fetched through the scoped selectors first (404 when the user cannot see it), then
the workflow service is called, which checks the actor (403) and the transition (400 with a
Chinese message, nothing written). A stale ``version`` (someone else changed the tip) is 409.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.schemas.common import (
    DETAIL_ERRORS,
    WRITE_ERRORS,
    FieldErrorOut,
    ObjectId,
    ValidationErrorOut,
)
from silvershield.api.schemas.workflow import (
    BatchTransferIn,
    ChaseOut,
    ClassifyIn,
    CloseIn,
    DecideIn,
    ExtensionIn,
    ExtensionList,
    ExtensionOut,
    FeedbackIn,
    FeedbackOut,
    InvalidateIn,
    LateItem,
    LateList,
    LetterOut,
    LetterRef,
    MergeIn,
    ReassignIn,
    ReopenIn,
    ReportBoxIn,
    ReportIn,
    ReportList,
    ReportOut,
    RetransferIn,
    ReviewIn,
    SendBackIn,
    SignIn,
    TakeOverIn,
    TipStateOut,
    TipTransferOut,
    TipTransfersOut,
    TransferBoxIn,
    TransferFieldsIn,
    TransferIn,
    TransferList,
    TransferOut,
    TransfersCreatedOut,
    VersionIn,
)
from silvershield.core.access import require
from silvershield.core.audit import audit_record
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.permissions import Perm
from silvershield.documents.letters import transfer_letter_docx
from silvershield.documents.views import DOCX, docx_response
from silvershield.intake import selectors as intake_selectors
from silvershield.intake.models import Tip
from silvershield.orgs.models import Unit, User
from silvershield.workflow import deadlines, selectors, services
from silvershield.workflow.models import (
    ExtensionRequest,
    Transfer,
    TransferLetter,
    VerificationReport,
)

router = Router(tags=["办理流程"])

LIST_LIMIT = 500
# Writes may also answer 409: the tip changed since the caller read its version.
ACTION_ERRORS = {**WRITE_ERRORS, 409: ValidationErrorOut}
STALE_FIELD = "__all__"

P = ParamSpec("P")
R = TypeVar("R")


def stale_is_409(view: Callable[P, R]) -> Callable[P, R | Status[ValidationErrorOut]]:
    """Answer ``core.concurrency.StaleRecordError`` with 409 (nothing was written).

    ninja resolves a view's postponed annotations in the globals of the function it is given;
    the wrapper therefore carries the view's signature with its annotations already resolved in
    the view's own module, so any router may use it."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Status[ValidationErrorOut]:
        try:
            return view(*args, **kwargs)
        except StaleRecordError as exc:
            error = FieldErrorOut(field=STALE_FIELD, message=str(exc))
            return Status(409, ValidationErrorOut(detail=[error]))

    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return wrapper


@contextmanager
def api_fields(names: dict[str, str | None]) -> Iterator[None]:
    """Report a service's field errors under the API's field names (``None``: the whole request)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            name = names.get(field, field) or "__all__"
            renamed.setdefault(name, []).extend(messages)
        raise ValidationError(renamed) from exc


TRANSFER_FIELDS: dict[str, str | None] = {
    "lead_unit": "lead_unit_id",
    "co_units": "co_unit_ids",
    "absolute_due_at": "absolute_due_on",
    "tips": None,
}


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _tip(user: User, tip_id: int) -> Tip:
    require(user, Perm.TIP_VIEW)
    return intake_selectors.access_tip(user=user, tip_id=tip_id)


def _transfer(user: User, transfer_id: int) -> Transfer:
    require(user, Perm.TIP_VIEW)
    return selectors.access_transfer(user=user, transfer_id=transfer_id)


def _report(user: User, report_id: int) -> VerificationReport:
    """A report is reachable by whoever can see its transfer."""
    require(user, Perm.TIP_VIEW)
    visible = selectors.transfers_visible_to(user=user).values("pk")
    report = (
        VerificationReport.objects.filter(pk=report_id, transfer_id__in=visible)
        .select_related("transfer", "transfer__tip", "transfer__from_unit", "tip", "unit")
        .first()
    )
    if report is None:
        raise Http404
    return report


def _extension(user: User, extension_id: int) -> ExtensionRequest:
    """An extension request is reachable by whoever can see its transfer."""
    require(user, Perm.TIP_VIEW)
    visible = selectors.transfers_visible_to(user=user).values("pk")
    request = (
        ExtensionRequest.objects.filter(pk=extension_id, transfer_id__in=visible)
        .select_related("transfer", "transfer__tip", "transfer__from_unit", "transfer__lead_unit")
        .first()
    )
    if request is None:
        raise Http404
    return request


def _unit(unit_id: int, *, field: str) -> Unit:
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None:
        raise ApiFieldError(field, "所选单位不存在")
    return unit


def _units(ids: Iterable[int], *, field: str) -> list[Unit]:
    return [_unit(i, field=field) for i in dict.fromkeys(ids)]


def _absolute(day: dt.date | None) -> dt.datetime | None:
    """A higher office's deadline day, as the end of that day (24时), like the page."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _transfer_detail(t: Transfer) -> TipTransferOut:
    return TipTransferOut(
        **TransferOut.of(t).dict(),
        reports=[ReportOut.of(r) for r in t.reports.select_related("tip", "unit").all()],
        extensions=[ExtensionOut.of(e) for e in t.extensions.all()],
        chases=[ChaseOut.of(c) for c in selectors.chases_of(transfer=t)],
    )


def _transfer_list(qs: QuerySet[Transfer]) -> TransferList:
    rows = qs.prefetch_related("co_units")[:LIST_LIMIT]
    return TransferList(items=[TransferOut.of(t) for t in rows])


def _do_transfer(
    user: User,
    tips: Sequence[Tip],
    payload: TransferFieldsIn,
    versions: dict[int, int] | None,
    tips_field: str | None,
) -> Status[TransfersCreatedOut]:
    lead_unit = _unit(payload.lead_unit_id, field="lead_unit_id")
    co_units = _units(payload.co_unit_ids, field="co_unit_ids")
    with api_fields({**TRANSFER_FIELDS, "tips": tips_field}):
        transfers = services.tips_transfer(
            actor=user,
            tips=tips,
            lead_unit=lead_unit,
            co_units=co_units,
            working_days=payload.working_days,
            absolute_due_at=_absolute(payload.absolute_due_on),
            note=payload.note,
            expected_versions=versions,
        )
    letter = transfers[0].letter
    assert letter is not None
    return Status(
        201,
        TransfersCreatedOut(
            letter=LetterRef(id=letter.pk, number=letter.number),
            transfers=[TransferOut.of(t) for t in transfers],
        ),
    )


# -- screening decisions (甄别) ---------------------------------------------------------------------


@router.post(
    "/tips/{tip_id}/classify",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_classify",
    summary="甄别为有效线索",
)
@stale_is_409
def tips_classify(request: HttpRequest, tip_id: ObjectId, payload: ClassifyIn) -> TipStateOut:
    """Confirm a received tip as an elderly-fraud tip of the given form (待甄别 → 待转办)."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    services.tip_classify(
        actor=user,
        tip=tip,
        fraud_type=payload.fraud_type,
        note=payload.note,
        expected_version=payload.version,
    )
    return TipStateOut.of(tip)


@router.post(
    "/tips/{tip_id}/invalidate",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_invalidate",
    summary="标记为无效线索",
)
@stale_is_409
def tips_invalidate(request: HttpRequest, tip_id: ObjectId, payload: InvalidateIn) -> TipStateOut:
    """Not an elderly-fraud matter: the tip is closed with the reason."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    services.tip_mark_invalid(
        actor=user, tip=tip, reason=payload.reason, expected_version=payload.version
    )
    return TipStateOut.of(tip)


@router.post(
    "/tips/{tip_id}/merge",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_merge",
    summary="作为重复线索合并",
)
@stale_is_409
def tips_merge(request: HttpRequest, tip_id: ObjectId, payload: MergeIn) -> TipStateOut:
    """Merge a duplicate into the tip with the given number (within the caller's scope); both
    records and their histories stay, and the merge can be undone."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    into = (
        intake_selectors.tip_list_visible_to(user=user)
        .filter(number=payload.into_number.strip())
        .first()
    )
    if into is None:
        raise ApiFieldError("into_number", "在您的管辖范围内找不到该编号的线索")
    with api_fields({"into": "into_number"}):
        services.tip_merge(actor=user, tip=tip, into=into, expected_version=payload.version)
    return TipStateOut.of(tip)


@router.post(
    "/tips/{tip_id}/unmerge",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_unmerge",
    summary="撤销合并",
)
@stale_is_409
def tips_unmerge(request: HttpRequest, tip_id: ObjectId, payload: VersionIn) -> TipStateOut:
    """Undo a merge: the tip returns to the state it had before."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    services.tip_unmerge(actor=user, tip=tip, expected_version=payload.version)
    return TipStateOut.of(tip)


# -- transfer (转办) ---------------------------------------------------------------------------


@router.post(
    "/tips/transfer",
    response={201: TransfersCreatedOut, **ACTION_ERRORS},
    operation_id="tips_transfer_batch",
    summary="批量转办（一份转办函）",
)
@stale_is_409
def tips_transfer_batch(
    request: HttpRequest, payload: BatchTransferIn
) -> Status[TransfersCreatedOut]:
    """Transfer a selection of screened tips to one lead unit with one 转办函. Every tip must be
    visible to the caller (else 404) and screened (else 400, nothing transferred)."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    ids = list(dict.fromkeys(payload.tip_ids))
    found = {
        t.pk: t
        for t in intake_selectors.tip_list_visible_to(user=user)
        .filter(pk__in=ids)
        .select_related("region", "owner_unit")
    }
    if len(found) != len(ids):
        raise Http404
    versions: dict[int, int] | None = None
    if payload.versions is not None:
        versions = {}
        for key, version in payload.versions.items():
            if not key.isdigit():
                raise ApiFieldError("versions", "键应为线索id")
            versions[int(key)] = version
    return _do_transfer(user, [found[i] for i in ids], payload, versions, "tip_ids")


@router.post(
    "/tips/{tip_id}/transfer",
    response={201: TransfersCreatedOut, **ACTION_ERRORS},
    operation_id="tips_transfer",
    summary="转办",
)
@stale_is_409
def tips_transfer(
    request: HttpRequest, tip_id: ObjectId, payload: TransferIn
) -> Status[TransfersCreatedOut]:
    """Transfer a screened tip to a lead unit (and co-operating units) with a deadline in working
    days; a 转办函 is issued and numbered."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    versions = {tip.pk: payload.version} if payload.version is not None else None
    return _do_transfer(user, [tip], payload, versions, None)


@router.get(
    "/tips/{tip_id}/transfers",
    response={200: TipTransfersOut, **DETAIL_ERRORS},
    operation_id="tips_transfers",
    summary="线索的转办与办理情况",
)
def tips_transfers(
    request: HttpRequest, response: HttpResponse, tip_id: ObjectId
) -> TipTransfersOut:
    """The tip's transfers (with letter number, deadline, reports, extensions and chasing) and the
    answers given to the reporter."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    _no_store(response)
    return TipTransfersOut(
        tip=TipStateOut.of(tip),
        transfers=[_transfer_detail(t) for t in selectors.transfers_of_tip(tip=tip)],
        feedback=[
            FeedbackOut.of(f) for f in selectors.feedback_of(tip=tip).select_related("written_by")
        ],
    )


# -- feedback, close, reopen ---------------------------------------------------------------------


@router.post(
    "/tips/{tip_id}/feedback",
    response={201: FeedbackOut, **ACTION_ERRORS},
    operation_id="tips_feedback",
    summary="答复举报人",
)
@stale_is_409
def tips_feedback(
    request: HttpRequest, tip_id: ObjectId, payload: FeedbackIn
) -> Status[FeedbackOut]:
    """The answer to the reporter, once the report was accepted: by the verifying unit or the
    office."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    feedback = services.feedback_write(actor=user, tip=tip, text=payload.text)
    return Status(201, FeedbackOut.of(feedback))


@router.post(
    "/tips/{tip_id}/close",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_close",
    summary="办结",
)
@stale_is_409
def tips_close(request: HttpRequest, tip_id: ObjectId, payload: CloseIn) -> TipStateOut:
    """办结: only after the report was accepted and the reporter was answered."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    services.tip_close(actor=user, tip=tip, note=payload.note, expected_version=payload.version)
    return TipStateOut.of(tip)


@router.post(
    "/tips/{tip_id}/reopen",
    response={200: TipStateOut, **ACTION_ERRORS},
    operation_id="tips_reopen",
    summary="回头看：重新启动",
)
@stale_is_409
def tips_reopen(request: HttpRequest, tip_id: ObjectId, payload: ReopenIn) -> TipStateOut:
    """A closed tip is reopened with a reason: a handled tip goes back to be routed again, an
    invalid one to be screened again."""
    user = actor_of(request)
    tip = _tip(user, tip_id)
    services.tip_reopen(
        actor=user, tip=tip, reason=payload.reason, expected_version=payload.version
    )
    return TipStateOut.of(tip)


# -- transfers: work lists, the receiving unit's actions, chasing ---------------------------------


@router.get(
    "/transfers",
    response={200: TransferList, **WRITE_ERRORS},
    operation_id="transfers_list",
    summary="转办待办列表",
)
def transfers_list(
    request: HttpRequest, response: HttpResponse, filters: Query[TransferBoxIn]
) -> TransferList:
    """``to_sign``: waiting for the caller's unit to sign; ``to_verify``: signed (or report
    returned) and being verified by the caller's unit; ``overdue``: open and past the deadline,
    within the caller's scope."""
    user = actor_of(request)
    if filters.box == "overdue":
        require(user, Perm.TIP_VIEW)
        qs = selectors.overdue_transfers(user=user).order_by("due_at", "id")
    else:
        require(user, Perm.TRANSFER_HANDLE)
        box = (
            selectors.transfers_to_sign
            if filters.box == "to_sign"
            else selectors.transfers_to_verify
        )
        qs = box(user=user).order_by("due_at", "id")
    _no_store(response)
    return _transfer_list(qs)


@router.get(
    "/transfers/late",
    response={200: LateList, **DETAIL_ERRORS},
    operation_id="transfers_late",
    summary="久催不办",
)
def transfers_late(request: HttpRequest, response: HttpResponse) -> LateList:
    """Open items reminded at least twice, each with its unit and the person answerable for it
    (who signed it; an unsigned item names the unit)."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    late = deadlines.chronically_late(transfers=selectors.transfers_visible_to(user=user))
    _no_store(response)
    return LateList(items=[LateItem.of(t) for t in late.order_by("due_at", "id")[:LIST_LIMIT]])


@router.get(
    "/transfers/{transfer_id}",
    response={200: TipTransferOut, **DETAIL_ERRORS},
    operation_id="transfers_get",
    summary="转办详情",
)
def transfers_get(
    request: HttpRequest, response: HttpResponse, transfer_id: ObjectId
) -> TipTransferOut:
    """One transfer with its reports, extension requests and chasing."""
    user = actor_of(request)
    transfer = _transfer(user, transfer_id)
    _no_store(response)
    return _transfer_detail(transfer)


@router.post(
    "/transfers/{transfer_id}/sign",
    response={200: TransferOut, **ACTION_ERRORS},
    operation_id="transfers_sign",
    summary="签收",
)
@stale_is_409
def transfers_sign(request: HttpRequest, transfer_id: ObjectId, payload: SignIn) -> TransferOut:
    """签收 by the lead unit: the tip is now being verified. Signing again is a harmless retry."""
    user = actor_of(request)
    transfer = services.transfer_sign(actor=user, transfer=_transfer(user, transfer_id))
    return TransferOut.of(transfer)


@router.post(
    "/transfers/{transfer_id}/send-back",
    response={200: TransferOut, **ACTION_ERRORS},
    operation_id="transfers_send_back",
    summary="非本单位职责，退回",
)
@stale_is_409
def transfers_send_back(
    request: HttpRequest, transfer_id: ObjectId, payload: SendBackIn
) -> TransferOut:
    """Before signing, the lead unit sends the work back with a reason; the sender re-routes it."""
    user = actor_of(request)
    transfer = services.transfer_send_back(
        actor=user, transfer=_transfer(user, transfer_id), reason=payload.reason
    )
    return TransferOut.of(transfer)


@router.post(
    "/transfers/{transfer_id}/retransfer",
    response={201: TransferOut, **ACTION_ERRORS},
    operation_id="transfers_retransfer",
    summary="下转",
)
@stale_is_409
def transfers_retransfer(
    request: HttpRequest, transfer_id: ObjectId, payload: RetransferIn
) -> Status[TransferOut]:
    """The signed lead unit passes the verification down (e.g. to a police station) within its own
    deadline; a new 转办函 is issued. Returns the new transfer."""
    user = actor_of(request)
    transfer = _transfer(user, transfer_id)
    to_unit = _unit(payload.to_unit_id, field="to_unit_id")
    with api_fields({"lead_unit": "to_unit_id", "co_units": None}):
        child = services.transfer_retransfer(
            actor=user,
            transfer=transfer,
            to_unit=to_unit,
            working_days=payload.working_days,
            note=payload.note,
        )
    return Status(201, TransferOut.of(child))


@router.post(
    "/transfers/{transfer_id}/extension",
    response={201: ExtensionOut, **ACTION_ERRORS},
    operation_id="transfers_extension_request",
    summary="申请延期",
)
@stale_is_409
def transfers_extension_request(
    request: HttpRequest, transfer_id: ObjectId, payload: ExtensionIn
) -> Status[ExtensionOut]:
    """The lead unit asks the sender for more working days (one pending request at a time)."""
    user = actor_of(request)
    extension = deadlines.extension_request(
        actor=user,
        transfer=_transfer(user, transfer_id),
        extra_working_days=payload.extra_working_days,
        reason=payload.reason,
    )
    return Status(201, ExtensionOut.of(extension))


@router.post(
    "/transfers/{transfer_id}/take-over",
    response={201: TransferOut, **ACTION_ERRORS},
    operation_id="transfers_take_over",
    summary="兜底核查",
)
@stale_is_409
def transfers_take_over(
    request: HttpRequest, transfer_id: ObjectId, payload: TakeOverIn
) -> Status[TransferOut]:
    """The higher office verifies an overdue item itself; the late transfer is withdrawn. Returns
    the office's own (signed) transfer."""
    user = actor_of(request)
    takeover = deadlines.transfer_take_over(
        actor=user, transfer=_transfer(user, transfer_id), note=payload.note
    )
    return Status(201, TransferOut.of(takeover))


@router.post(
    "/transfers/{transfer_id}/reassign",
    response={201: TransferOut, **ACTION_ERRORS},
    operation_id="transfers_reassign",
    summary="改派",
)
@stale_is_409
def transfers_reassign(
    request: HttpRequest, transfer_id: ObjectId, payload: ReassignIn
) -> Status[TransferOut]:
    """The higher office gives an overdue item to another unit (a new 转办函); the late transfer is
    withdrawn. Returns the new transfer."""
    user = actor_of(request)
    transfer = _transfer(user, transfer_id)
    to_unit = _unit(payload.to_unit_id, field="to_unit_id")
    with api_fields({"to_unit": "to_unit_id", "lead_unit": "to_unit_id", "tips": None}):
        new = deadlines.transfer_reassign(
            actor=user, transfer=transfer, to_unit=to_unit, note=payload.note
        )
    return Status(201, TransferOut.of(new))


# -- verification reports (核查报告) --------------------------------------------------------------


@router.post(
    "/transfers/{transfer_id}/report",
    response={201: ReportOut, **ACTION_ERRORS},
    operation_id="transfers_report",
    summary="报送核查报告",
)
@stale_is_409
def transfers_report(
    request: HttpRequest, transfer_id: ObjectId, payload: ReportIn
) -> Status[ReportOut]:
    """The lead unit reports one conclusion, the facts and the measures taken."""
    user = actor_of(request)
    report = services.report_submit(
        actor=user,
        transfer=_transfer(user, transfer_id),
        conclusion=payload.conclusion,
        facts=payload.facts,
        measures=[m.value for m in payload.measures],
        measures_note=payload.measures_note,
    )
    return Status(201, ReportOut.of(report))


@router.get(
    "/reports",
    response={200: ReportList, **WRITE_ERRORS},
    operation_id="reports_list",
    summary="待审核的核查报告",
)
def reports_list(
    request: HttpRequest, response: HttpResponse, filters: Query[ReportBoxIn]
) -> ReportList:
    """``to_review``: submitted reports the caller may accept or return."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    rows = selectors.reports_to_review(user=user).order_by("submitted_at", "id")[:LIST_LIMIT]
    _no_store(response)
    return ReportList(items=[ReportOut.of(r) for r in rows])


@router.post(
    "/reports/{report_id}/review",
    response={200: ReportOut, **ACTION_ERRORS},
    operation_id="reports_review",
    summary="审核核查报告",
)
@stale_is_409
def reports_review(request: HttpRequest, report_id: ObjectId, payload: ReviewIn) -> ReportOut:
    """The sender accepts the report, or returns it with a reason for more verification."""
    user = actor_of(request)
    report = services.report_review(
        actor=user, report=_report(user, report_id), accept=payload.accept, note=payload.note
    )
    return ReportOut.of(report)


# -- extensions (延期) --------------------------------------------------------------------------


@router.get(
    "/extensions",
    response={200: ExtensionList, **DETAIL_ERRORS},
    operation_id="extensions_list",
    summary="待审批的延期申请",
)
def extensions_list(request: HttpRequest, response: HttpResponse) -> ExtensionList:
    """Pending extension requests the caller may decide."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    rows = selectors.extensions_to_decide(user=user).order_by("requested_at", "id")[:LIST_LIMIT]
    _no_store(response)
    return ExtensionList(items=[ExtensionOut.of(e) for e in rows])


@router.post(
    "/extensions/{extension_id}/decide",
    response={200: ExtensionOut, **ACTION_ERRORS},
    operation_id="extensions_decide",
    summary="审批延期申请",
)
@stale_is_409
def extensions_decide(
    request: HttpRequest, extension_id: ObjectId, payload: DecideIn
) -> ExtensionOut:
    """Grant (the deadline moves by the working days asked) or refuse with a reason."""
    user = actor_of(request)
    extension = deadlines.extension_decide(
        actor=user,
        request=_extension(user, extension_id),
        grant=payload.grant,
        note=payload.note,
    )
    return ExtensionOut.of(extension)


# -- transfer letters (转办函) -----------------------------------------------------------------


def _letter(user: User, letter_id: int) -> TransferLetter:
    require(user, Perm.TIP_VIEW)
    return selectors.access_letter(user=user, letter_id=letter_id)


@router.get(
    "/letters/{letter_id}",
    response={200: LetterOut, **DETAIL_ERRORS},
    operation_id="letters_get",
    summary="转办函",
)
def letters_get(request: HttpRequest, response: HttpResponse, letter_id: ObjectId) -> LetterOut:
    """An issued 转办函 as recorded: readable by whoever can see one of its transfers."""
    user = actor_of(request)
    letter = _letter(user, letter_id)
    _no_store(response)
    return LetterOut.of(letter)


@router.get(
    "/letters/{letter_id}/docx",
    response={200: None, **DETAIL_ERRORS},
    operation_id="letters_docx",
    summary="下载转办函（.docx）",
    openapi_extra={
        "responses": {
            200: {
                "description": "转办函（GB/T 9704-2012 公文格式）",
                "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def letters_docx(request: HttpRequest, letter_id: ObjectId) -> HttpResponse:
    """The letter as a .docx official document; every download is audited."""
    user = actor_of(request)
    letter = _letter(user, letter_id)
    audit_record(
        actor=user,
        action="letter.downloaded",
        obj=letter,
        region_path=letter.issuing_unit.region_path,
        summary=f"下载转办函 {letter.number}",
        data={"via": "api"},
    )
    response = docx_response(transfer_letter_docx(letter), f"转办函{letter.number}.docx")
    _no_store(response)
    return response
