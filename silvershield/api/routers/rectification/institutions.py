"""Institutions (机构名录) and everything that names them; confirming and unlinking tips."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.routers.rectification.shared import (
    DETAIL_LIMIT,
    MANAGE,
    VIEW,
    active_unit,
    cases_of,
    events_of,
    ledger_filters,
    ledger_page,
    no_store,
    record_sector,
    region_of,
    task_list,
)
from silvershield.api.routers.workflow import api_fields
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId, UnitRef
from silvershield.api.schemas.rectification import (
    ClusterRefOut,
    HazardOut,
    InstitutionCreateIn,
    InstitutionDetail,
    InstitutionFiltersIn,
    InstitutionOut,
    InstitutionPage,
    InstitutionUpdateIn,
    RectLetterOut,
    TipCandidateOut,
    TipLinkIn,
    TipLinkOut,
)
from silvershield.api.schemas.tips import TipListItem
from silvershield.core.access import has_perm, require
from silvershield.intake.models import Tip
from silvershield.intake.selectors import tip_list_visible_to
from silvershield.orgs.models import User
from silvershield.rectification import selectors, services
from silvershield.rectification.models import Institution

router = Router(tags=["整治"])


def _institution(user: User, institution_id: int) -> Institution:
    require(user, VIEW)
    return selectors.access_institution(user=user, pk=institution_id)


def _institution_detail(user: User, i: Institution) -> InstitutionDetail:
    manager = has_perm(user, MANAGE)
    candidates = selectors.tip_candidates(user=user, institution=i) if manager else []
    tips = selectors.linked_tips(user=user, institution=i).select_related("region", "owner_unit")
    return InstitutionDetail(
        **InstitutionOut.of(i).dict(),
        created_by_unit=UnitRef.of(i.created_by_unit) if i.created_by_unit else None,
        editable=services.institution_editable(user, i),
        tips=[TipListItem.of(t) for t in tips[:DETAIL_LIMIT]],
        candidates=[
            TipCandidateOut(tip=TipListItem.of(c.tip), reason=c.reason) for c in candidates
        ],
        clusters=[
            ClusterRefOut.of(c)
            for c in selectors.clusters_naming(user=user, institution=i)[:DETAIL_LIMIT]
        ],
        cases=cases_of(user, i),
        hazards=[
            HazardOut.of(h)
            for h in selectors.hazards_naming(user=user, institution=i)[:DETAIL_LIMIT]
        ],
        letters=[
            RectLetterOut.of(lt)
            for lt in selectors.letters_naming(user=user, institution=i).select_related(
                "institution"
            )[:DETAIL_LIMIT]
        ],
        tasks=task_list(selectors.tasks_naming(user=user, institution=i)),
        timeline=events_of(i),
    )


@router.get(
    "/rectification/institutions",
    response={200: InstitutionPage, **WRITE_ERRORS},
    operation_id="rect_institutions_list",
    summary="机构名录",
)
def rect_institutions_list(
    request: HttpRequest, response: HttpResponse, filters: Query[InstitutionFiltersIn]
) -> InstitutionPage:
    """Institutions in the caller's scope, newest first, keyset-paginated. ``licence_status``
    ``unlicensed`` lists the 黑机构."""
    user = actor_of(request)
    require(user, VIEW)
    f = ledger_filters(filters, state=filters.licence_status or "", kind=filters.kind or "")
    page = ledger_page(selectors.institutions_visible_to(user=user, filters=f), filters)
    no_store(response)
    return InstitutionPage(
        items=[InstitutionOut.of(i) for i in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/rectification/institutions",
    response={201: InstitutionOut, **WRITE_ERRORS},
    operation_id="rect_institutions_create",
    summary="登记机构",
)
def rect_institutions_create(
    request: HttpRequest, payload: InstitutionCreateIn
) -> Status[InstitutionOut]:
    """Register an institution; the credit code is checked by the service (length, characters,
    check digit, not registered twice) and may be left out only for an unlicensed one."""
    user = actor_of(request)
    require(user, MANAGE)
    sector = record_sector(payload.sector)
    region = region_of(payload.region_code, field="region_code")
    regulator = (
        active_unit(payload.regulator_id, field="regulator_id") if payload.regulator_id else None
    )
    institution = services.institution_create(
        actor=user,
        name=payload.name,
        kind=payload.kind,
        sector=sector,
        region=region,
        licence_status=payload.licence_status,
        uscc=payload.uscc,
        address=payload.address,
        regulator=regulator,
        note=payload.note,
    )
    return Status(201, InstitutionOut.of(institution))


@router.get(
    "/rectification/institutions/{institution_id}",
    response={200: InstitutionDetail, **DETAIL_ERRORS},
    operation_id="rect_institutions_get",
    summary="机构详情（涉及的线索、串并组、案件、隐患、文书、整改任务）",
)
def rect_institutions_get(
    request: HttpRequest, response: HttpResponse, institution_id: ObjectId
) -> InstitutionDetail:
    """Everything that names the institution and that the caller may see, the candidate tips to
    confirm (for those who record), and the timeline."""
    user = actor_of(request)
    institution = _institution(user, institution_id)
    no_store(response)
    return _institution_detail(user, institution)


@router.patch(
    "/rectification/institutions/{institution_id}",
    response={200: InstitutionOut, **WRITE_ERRORS},
    operation_id="rect_institutions_update",
    summary="更新机构信息",
)
def rect_institutions_update(
    request: HttpRequest, institution_id: ObjectId, payload: InstitutionUpdateIn
) -> InstitutionOut:
    """Licence status, credit code, address, regulator, note: only the fields sent change. The
    registering unit, the regulator or an office over the institution may update it."""
    user = actor_of(request)
    institution = _institution(user, institution_id)
    sent = payload.model_fields_set
    regulator = institution.regulator
    if "regulator_id" in sent:
        regulator = (
            active_unit(payload.regulator_id, field="regulator_id")
            if payload.regulator_id
            else None
        )
    with api_fields({"regulator": "regulator_id"}):
        updated = services.institution_update(
            actor=user,
            institution=institution,
            licence_status=payload.licence_status or institution.licence_status,
            uscc=payload.uscc or "",
            address=institution.address if payload.address is None else payload.address,
            regulator=regulator,
            note=institution.note if payload.note is None else payload.note,
        )
    return InstitutionOut.of(updated)


@router.post(
    "/rectification/institutions/{institution_id}/tips",
    response={201: TipLinkOut, **WRITE_ERRORS},
    operation_id="rect_institutions_link_tip",
    summary="确认线索涉及本机构",
)
def rect_institutions_link_tip(
    request: HttpRequest, institution_id: ObjectId, payload: TipLinkIn
) -> Status[TipLinkOut]:
    """Confirm a (candidate) tip as naming the institution; confirming again is harmless."""
    user = actor_of(request)
    institution = _institution(user, institution_id)
    tip = tip_list_visible_to(user=user).filter(pk=payload.tip_id).first()
    if tip is None:
        raise ApiFieldError("tip_id", "找不到该线索，或您无权查看")
    link = services.institution_link_tip(
        actor=user, institution=institution, tip=tip, matched_by=payload.matched_by
    )
    return Status(201, TipLinkOut.of(link))


@router.delete(
    "/rectification/institutions/{institution_id}/tips/{tip_id}",
    response={204: None, **DETAIL_ERRORS},
    operation_id="rect_institutions_unlink_tip",
    summary="取消线索与本机构的关联",
)
def rect_institutions_unlink_tip(
    request: HttpRequest, institution_id: ObjectId, tip_id: ObjectId
) -> Status[None]:
    """Remove a confirmed link (audited); a tip the caller cannot see is 404."""
    user = actor_of(request)
    institution = _institution(user, institution_id)
    tip: Tip | None = tip_list_visible_to(user=user).filter(pk=tip_id).first()
    if tip is None:
        raise Http404
    services.institution_unlink_tip(actor=user, institution=institution, tip=tip)
    return Status(204, None)
