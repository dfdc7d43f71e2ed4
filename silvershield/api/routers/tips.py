"""Tips: list, create, detail (a recorded view), identity reveal (audited), reporter search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId, UnitRef
from silvershield.api.schemas.tips import (
    EmptyIn,
    ReporterIdentityOut,
    ReporterSearchIn,
    ReporterSearchOut,
    RevealDecideIn,
    RevealIn,
    RevealRequestOut,
    TimelineEvent,
    TipCreatedOut,
    TipCreateIn,
    TipDetail,
    TipFiltersIn,
    TipListItem,
    TipPage,
)
from silvershield.core.access import in_scope, require
from silvershield.core.audit import audit_record, timeline
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_get
from silvershield.intake import reveal, selectors, services
from silvershield.intake.models import TipState
from silvershield.intake.selectors import TipFilters

router = Router(tags=["线索"])

REPORTER_SEARCH_LIMIT = 200


def _region(code: str, *, field: str) -> Region:
    try:
        return region_get(code=code)
    except Region.DoesNotExist:
        raise ApiFieldError(field, "所选地区不存在") from None


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


@router.get(
    "/tips", response={200: TipPage, **WRITE_ERRORS}, operation_id="tips_list", summary="线索列表"
)
def tips_list(
    request: HttpRequest, response: HttpResponse, filters: Query[TipFiltersIn]
) -> TipPage:
    """The tips in the user's scope, newest first, keyset-paginated (pass ``next_cursor`` back as
    ``cursor``). The same filters as the list page."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ApiFieldError("date_to", "结束日期不能早于开始日期")
    tip_filters = TipFilters(
        region=_region(filters.region, field="region") if filters.region else None,
        channel=filters.channel or "",
        fraud_type=filters.fraud_type or "",
        state=filters.state or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q.strip(),
    )
    qs = selectors.tip_list_visible_to(user=user, filters=tip_filters)
    page = keyset_page(qs, order=("received_at", "id"), cursor=filters.cursor, size=filters.limit)
    _no_store(response)
    return TipPage(items=[TipListItem.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.post(
    "/tips",
    response={201: TipCreatedOut, **WRITE_ERRORS},
    operation_id="tips_create",
    summary="登记线索",
)
def tips_create(request: HttpRequest, payload: TipCreateIn) -> Status[TipCreatedOut]:
    """File a tip. ``reporter: null`` (or all reporter fields empty) files it as anonymous."""
    user = actor_of(request)
    require(user, Perm.TIP_CREATE)
    reporter = None
    if payload.reporter is not None:
        reporter = services.ReporterInput(**payload.reporter.dict())
    tip = services.tip_create(
        actor=user,
        channel=payload.channel,
        region=_region(payload.region_code, field="region_code"),
        content=payload.content,
        received_at=payload.received_at,
        title=payload.title,
        involved_institution=payload.involved_institution,
        involved_person=payload.involved_person,
        involved_phone=payload.involved_phone,
        money_amount=payload.money_amount,
        victim_count=payload.victim_count,
        occurred_on=payload.occurred_on,
        reporter=reporter,
    )
    return Status(
        201,
        TipCreatedOut(
            id=tip.pk, number=tip.number, state=TipState(tip.state), is_anonymous=tip.is_anonymous
        ),
    )


@router.get(
    "/tips/{tip_id}",
    response={200: TipDetail, **DETAIL_ERRORS},
    operation_id="tips_get",
    summary="线索详情",
)
def tips_get(request: HttpRequest, response: HttpResponse, tip_id: ObjectId) -> TipDetail:
    """A tip with its timeline. Each call is recorded as a view of the tip's content."""
    user = actor_of(request)
    require(user, Perm.TIP_VIEW)
    tip = selectors.access_tip(user=user, tip_id=tip_id)
    services.tip_record_view(actor=user, tip=tip)
    events = timeline(obj=tip)
    item = TipListItem.of(tip)
    _no_store(response)
    return TipDetail(
        **item.dict(),
        content=tip.content,
        involved_institution=tip.involved_institution,
        involved_person=tip.involved_person,
        involved_phone=tip.involved_phone,
        occurred_on=tip.occurred_on,
        created_by_unit=UnitRef.of(tip.created_by_unit) if tip.created_by_unit else None,
        version=tip.version,
        created_at=tip.created_at,
        can_reveal_identity=in_scope(tip, user=user, perm=Perm.TIP_REVEAL_IDENTITY),
        view_count=events.filter(action="tip.viewed").count(),
        timeline=[TimelineEvent.of(e) for e in events.exclude(action="tip.viewed")],
    )


@router.post(
    "/tips/{tip_id}/reveal-requests",
    response={201: RevealRequestOut, **WRITE_ERRORS},
    operation_id="tips_reveal_request",
    summary="申请查看举报人身份（须另一人批准）",
)
def tips_reveal_request(
    request: HttpRequest, tip_id: ObjectId, payload: RevealIn
) -> Status[RevealRequestOut]:
    """Two-person rule, step 1: a handler files a request with a reason (audited)."""
    user = actor_of(request)
    tip = selectors.access_tip(user=user, tip_id=tip_id)
    return Status(
        201, RevealRequestOut.of(reveal.reveal_request(actor=user, tip=tip, reason=payload.reason))
    )


@router.post(
    "/tips/{tip_id}/reveal-requests/{request_id}/decide",
    response={200: RevealRequestOut, **WRITE_ERRORS},
    operation_id="tips_reveal_decide",
    summary="审批查看举报人身份的申请（身份信息保管人）",
)
def tips_reveal_decide(
    request: HttpRequest, tip_id: ObjectId, request_id: ObjectId, payload: RevealDecideIn
) -> RevealRequestOut:
    """Step 2: a second person holding the custodian role approves or refuses (never their own)."""
    user = actor_of(request)
    tip = selectors.access_tip(user=user, tip_id=tip_id)
    req = reveal.access_reveal_request(user=user, tip=tip, request_id=request_id)
    return RevealRequestOut.of(
        reveal.reveal_decide(actor=user, request=req, approve=payload.approve, note=payload.note)
    )


@router.post(
    "/tips/{tip_id}/reveal-requests/{request_id}/open",
    response={200: ReporterIdentityOut, **WRITE_ERRORS},
    operation_id="tips_reveal_open",
    summary="查看已批准的举报人身份（限申请人，限时）",
)
def tips_reveal_open(
    request: HttpRequest,
    response: HttpResponse,
    tip_id: ObjectId,
    request_id: ObjectId,
    payload: EmptyIn,
) -> ReporterIdentityOut:
    """Step 3: the requester opens the identity while the approval lasts; audited."""
    user = actor_of(request)
    tip = selectors.access_tip(user=user, tip_id=tip_id)
    req = reveal.access_reveal_request(user=user, tip=tip, request_id=request_id)
    identity = reveal.reveal_open(actor=user, request=req)
    _no_store(response)
    return ReporterIdentityOut.of(identity)


@router.get(
    "/reporters/tips",
    response={200: ReporterSearchOut, **WRITE_ERRORS},
    operation_id="reporters_tips",
    summary="按举报人查询线索",
)
def reporters_tips(
    request: HttpRequest, response: HttpResponse, filters: Query[ReporterSearchIn]
) -> ReporterSearchOut:
    """Earlier tips of the same reporter, found through the blind index of the phone number or ID
    number (nothing is decrypted). The search is audited."""
    user = actor_of(request)
    require(user, Perm.REPORTER_SEARCH)
    phone, id_number = filters.phone.strip(), filters.id_number.strip()
    if not (phone or id_number):
        raise ApiFieldError("phone", "请填写电话或身份证号")
    tips = list(
        selectors.tips_by_reporter(user=user, phone=phone, id_number=id_number).order_by(
            "-received_at", "-id"
        )[:REPORTER_SEARCH_LIMIT]
    )
    audit_record(
        actor=user,
        action="reporter.searched",
        summary=f"按举报人查询线索（{len(tips)}条）",
        data={"by_phone": bool(phone), "by_id": bool(id_number), "via": "api"},
    )
    _no_store(response)
    return ReporterSearchOut(items=[TipListItem.of(t) for t in tips])
