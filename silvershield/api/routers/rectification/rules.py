"""Rules made (建章立制), with their documents."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from silvershield.api.auth import actor_of
from silvershield.api.routers.rectification.shared import (
    MANAGE,
    RULE_FIELDS,
    VIEW,
    checked_uploads,
    events_of,
    ledger_filters,
    ledger_page,
    no_store,
    visible_letter,
)
from silvershield.api.routers.workflow import api_fields
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId
from silvershield.api.schemas.rectification import (
    EvidenceOut,
    RectRuleCreateIn,
    RectRuleDetail,
    RectRuleFiltersIn,
    RectRuleOut,
    RectRulePage,
)
from silvershield.core.access import require
from silvershield.orgs.models import User
from silvershield.rectification import selectors, services
from silvershield.rectification.models import Rule

router = Router(tags=["整治"])


def _rule(user: User, rule_id: int) -> Rule:
    require(user, VIEW)
    return selectors.access_rule(user=user, pk=rule_id)


@router.get(
    "/rectification/rules",
    response={200: RectRulePage, **WRITE_ERRORS},
    operation_id="rect_rules_list",
    summary="建章立制列表",
)
def rect_rules_list(
    request: HttpRequest, response: HttpResponse, filters: Query[RectRuleFiltersIn]
) -> RectRulePage:
    """Rules made in the caller's scope; dates filter the issue date."""
    user = actor_of(request)
    require(user, VIEW)
    f = ledger_filters(filters, kind=filters.kind or "")
    page = ledger_page(selectors.rules_visible_to(user=user, filters=f), filters)
    no_store(response)
    return RectRulePage(items=[RectRuleOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.post(
    "/rectification/rules",
    response={201: RectRuleOut, **WRITE_ERRORS},
    operation_id="rect_rules_create",
    summary="登记建章立制（可附制度文件）",
)
def rect_rules_create(
    request: HttpRequest,
    payload: Form[RectRuleCreateIn],
    attachments: File[list[UploadedFile] | None] = None,
) -> Status[RectRuleOut]:
    """multipart/form-data: the fields and files ``attachments`` (checked by content like
    evidence). With ``letter_id`` the rule is recorded for the letter's recipient (据此建章立制)."""
    user = actor_of(request)
    require(user, MANAGE)
    letter = visible_letter(user, payload.letter_id)
    checked = checked_uploads(attachments)
    with api_fields(RULE_FIELDS):
        rule = services.rule_create(
            actor=user,
            title=payload.title,
            kind=payload.kind,
            doc_number=payload.doc_number,
            issued_on=payload.issued_on,
            summary=payload.summary,
            letter=letter,
            unit=letter.recipient if letter is not None else None,
            files=checked,
        )
    return Status(201, RectRuleOut.of(_rule(user, rule.pk)))


@router.get(
    "/rectification/rules/{rule_id}",
    response={200: RectRuleDetail, **DETAIL_ERRORS},
    operation_id="rect_rules_get",
    summary="建章立制详情",
)
def rect_rules_get(
    request: HttpRequest, response: HttpResponse, rule_id: ObjectId
) -> RectRuleDetail:
    """The rule with its documents and timeline."""
    user = actor_of(request)
    rule = _rule(user, rule_id)
    no_store(response)
    return RectRuleDetail(
        **RectRuleOut.of(rule).dict(),
        documents=[EvidenceOut.of(e) for e in rule.documents.all()],
        timeline=events_of(rule),
    )
