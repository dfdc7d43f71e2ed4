"""三书一函: issue, reply, record the rectification."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.routers.rectification.shared import (
    LETTER_FIELDS,
    MANAGE,
    VIEW,
    events_of,
    ledger_filters,
    ledger_page,
    no_store,
    task_list,
    visible_institution,
)
from silvershield.api.routers.workflow import api_fields
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId
from silvershield.api.schemas.rectification import (
    CaseRefOut,
    RectChaseOut,
    RectLetterDetail,
    RectLetterFiltersIn,
    RectLetterIssueIn,
    RectLetterOut,
    RectLetterPage,
    RectLetterRectificationIn,
    RectLetterReplyIn,
    RectRuleOut,
)
from silvershield.core.access import require
from silvershield.orgs.models import Unit, User
from silvershield.rectification import deadlines, selectors, services
from silvershield.rectification.models import Letter

router = Router(tags=["整治"])


def _letter(user: User, letter_id: int) -> Letter:
    require(user, VIEW)
    return selectors.access_letter(user=user, pk=letter_id)


def _letter_out(user: User, letter_id: int) -> RectLetterOut:
    return RectLetterOut.of(_letter(user, letter_id))


@router.get(
    "/rectification/letters",
    response={200: RectLetterPage, **WRITE_ERRORS},
    operation_id="rect_letters_list",
    summary="三书一函列表",
)
def rect_letters_list(
    request: HttpRequest, response: HttpResponse, filters: Query[RectLetterFiltersIn]
) -> RectLetterPage:
    """Letters the caller issued, received or oversees; dates filter the issue date; ``sector``
    the recipient's sector."""
    user = actor_of(request)
    require(user, VIEW)
    f = ledger_filters(filters, state=filters.state or "", kind=filters.kind or "")
    qs = selectors.letters_visible_to(user=user, filters=f).select_related("institution")
    page = ledger_page(qs, filters)
    no_store(response)
    return RectLetterPage(
        items=[RectLetterOut.of(lt) for lt in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/rectification/letters",
    response={201: RectLetterOut, **WRITE_ERRORS},
    operation_id="rect_letters_issue",
    summary="登记制发的三书一函",
)
def rect_letters_issue(request: HttpRequest, payload: RectLetterIssueIn) -> Status[RectLetterOut]:
    """Record an issued letter: the recipient must be an existing, active unit, the reply
    deadline after the issue date, the number new for the issuing unit."""
    user = actor_of(request)
    require(user, MANAGE)
    institution = visible_institution(user, payload.institution_id)
    # The service itself refuses a recipient that does not exist (None) or is inactive.
    recipient = Unit.objects.select_related("region").filter(pk=payload.recipient_id).first()
    with api_fields(LETTER_FIELDS):
        letter = services.letter_issue(
            actor=user,
            kind=payload.kind,
            number=payload.number,
            recipient=recipient,
            problem=payload.problem,
            suggestions=payload.suggestions,
            case_number=payload.case_number,
            issued_on=payload.issued_on,
            reply_due_on=payload.reply_due_on,
            institution=institution,
        )
    return Status(201, _letter_out(user, letter.pk))


@router.get(
    "/rectification/letters/{letter_id}",
    response={200: RectLetterDetail, **DETAIL_ERRORS},
    operation_id="rect_letters_get",
    summary="三书一函详情（含催办与时间线）",
)
def rect_letters_get(
    request: HttpRequest, response: HttpResponse, letter_id: ObjectId
) -> RectLetterDetail:
    """The letter with its chasing, the tasks and rules made from it, its case and timeline."""
    user = actor_of(request)
    letter = _letter(user, letter_id)
    case = selectors.case_by_number(user=user, number=letter.case_number)
    no_store(response)
    return RectLetterDetail(
        **RectLetterOut.of(letter).dict(),
        overdue_working_days=(
            deadlines.overdue_working_days(letter, timezone.now()) if letter.is_open else 0
        ),
        chases=[RectChaseOut.of(c) for c in selectors.chases_of(letter)],
        tasks=task_list(selectors.tasks_visible_to(user=user).filter(letter=letter)),
        rules=[
            RectRuleOut.of(r) for r in selectors.rules_visible_to(user=user).filter(letter=letter)
        ],
        case=CaseRefOut(id=case.pk, label=str(case)) if case is not None else None,
        may_add_rule=services.acts_for(user, letter.recipient),
        timeline=events_of(letter),
    )


@router.post(
    "/rectification/letters/{letter_id}/reply",
    response={200: RectLetterOut, **WRITE_ERRORS},
    operation_id="rect_letters_reply",
    summary="登记回复",
)
def rect_letters_reply(
    request: HttpRequest, letter_id: ObjectId, payload: RectLetterReplyIn
) -> RectLetterOut:
    """The recipient records its reply (待回复 → 已回复); a late reply is noted."""
    user = actor_of(request)
    letter = services.letter_reply(actor=user, letter=_letter(user, letter_id), reply=payload.reply)
    return _letter_out(user, letter.pk)


@router.post(
    "/rectification/letters/{letter_id}/rectification",
    response={200: RectLetterOut, **WRITE_ERRORS},
    operation_id="rect_letters_rectification",
    summary="登记整改情况",
)
def rect_letters_rectification(
    request: HttpRequest, letter_id: ObjectId, payload: RectLetterRectificationIn
) -> RectLetterOut:
    """The recipient records what it rectified (已回复 → 已整改). Rules made on the letter:
    ``POST /rectification/rules`` with ``letter_id``."""
    user = actor_of(request)
    letter = services.letter_record_rectification(
        actor=user, letter=_letter(user, letter_id), rectification=payload.rectification
    )
    return _letter_out(user, letter.pk)
