"""Hazards (问题隐患): record, start, report rectified, the office's check, batch check."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.routers.rectification.shared import (
    HAZARD_FIELDS,
    MANAGE,
    VIEW,
    active_unit,
    events_of,
    ledger_filters,
    ledger_page,
    no_store,
    record_sector,
    region_of,
    stale_is_409,
    task_list,
    visible_institution,
)
from silvershield.api.routers.workflow import ACTION_ERRORS, api_fields
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId
from silvershield.api.schemas.rectification import (
    HazardBatchCheckIn,
    HazardCheckIn,
    HazardCreateIn,
    HazardDetail,
    HazardFiltersIn,
    HazardList,
    HazardOut,
    HazardPage,
    HazardRectifiedIn,
    HazardStartIn,
)
from silvershield.core.access import require
from silvershield.orgs.models import User
from silvershield.rectification import selectors, services
from silvershield.rectification.models import Hazard

router = Router(tags=["整治"])


def _hazard(user: User, hazard_id: int) -> Hazard:
    require(user, VIEW)
    return selectors.access_hazard(user=user, pk=hazard_id)


@router.get(
    "/rectification/hazards",
    response={200: HazardPage, **WRITE_ERRORS},
    operation_id="rect_hazards_list",
    summary="问题隐患列表",
)
def rect_hazards_list(
    request: HttpRequest, response: HttpResponse, filters: Query[HazardFiltersIn]
) -> HazardPage:
    """Hazards in the caller's scope, newest first; dates filter the day found."""
    user = actor_of(request)
    require(user, VIEW)
    f = ledger_filters(filters, state=filters.state or "")
    page = ledger_page(selectors.hazards_visible_to(user=user, filters=f), filters)
    no_store(response)
    return HazardPage(items=[HazardOut.of(h) for h in page.items], next_cursor=page.next_cursor)


@router.post(
    "/rectification/hazards",
    response={201: HazardOut, **WRITE_ERRORS},
    operation_id="rect_hazards_create",
    summary="登记问题隐患",
)
def rect_hazards_create(request: HttpRequest, payload: HazardCreateIn) -> Status[HazardOut]:
    """Record a hazard found in the caller's jurisdiction, with the responsible unit and the
    deadline (not before the day found)."""
    user = actor_of(request)
    require(user, MANAGE)
    institution = visible_institution(user, payload.institution_id)
    region = region_of(payload.region_code, field="region_code")
    unit = active_unit(payload.unit_id, field="unit_id")
    with api_fields(HAZARD_FIELDS):
        hazard = services.hazard_create(
            actor=user,
            institution=institution,
            sector=record_sector(payload.sector),
            region=region,
            problem=payload.problem,
            unit=unit,
            found_on=payload.found_on or timezone.localdate(),
            found_by_name=payload.found_by_name,
            due_on=payload.due_on,
            measures=payload.measures,
        )
    return Status(201, HazardOut.of(hazard))


@router.post(
    "/rectification/hazards/batch-check",
    response={200: HazardList, **ACTION_ERRORS},
    operation_id="rect_hazards_batch_check",
    summary="批量复核通过",
)
@stale_is_409
def rect_hazards_batch_check(request: HttpRequest, payload: HazardBatchCheckIn) -> HazardList:
    """The office passes several 已整治 hazards at once: all or nothing. A hazard the caller
    cannot see is 404; one not awaiting the check, or outside the caller's checking office, refuses
    the whole batch (400/403)."""
    user = actor_of(request)
    require(user, VIEW)
    ids = list(dict.fromkeys(payload.hazard_ids))
    found = {h.pk: h for h in selectors.hazards_visible_to(user=user).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    versions: dict[int, int] = {}
    for key, version in (payload.versions or {}).items():
        if not key.isdigit():
            raise ApiFieldError("versions", "键应为隐患id")
        versions[int(key)] = version
    with transaction.atomic():
        checked = [
            services.hazard_check(
                actor=user,
                hazard=found[i],
                accept=True,
                note=payload.note,
                expected_version=versions.get(i),
            )
            for i in ids
        ]
    return HazardList(items=[HazardOut.of(h) for h in checked])


@router.get(
    "/rectification/hazards/{hazard_id}",
    response={200: HazardDetail, **DETAIL_ERRORS},
    operation_id="rect_hazards_get",
    summary="问题隐患详情（含时间线）",
)
def rect_hazards_get(
    request: HttpRequest, response: HttpResponse, hazard_id: ObjectId
) -> HazardDetail:
    """The hazard, the rectification tasks made from it and its timeline."""
    user = actor_of(request)
    hazard = _hazard(user, hazard_id)
    no_store(response)
    return HazardDetail(
        **HazardOut.of(hazard).dict(),
        tasks=task_list(selectors.tasks_visible_to(user=user).filter(hazard=hazard)),
        timeline=events_of(hazard),
    )


@router.post(
    "/rectification/hazards/{hazard_id}/start",
    response={200: HazardOut, **ACTION_ERRORS},
    operation_id="rect_hazards_start",
    summary="开始整治",
)
@stale_is_409
def rect_hazards_start(
    request: HttpRequest, hazard_id: ObjectId, payload: HazardStartIn
) -> HazardOut:
    """发现 → 整治中 with the measures, by the responsible unit or an office over it."""
    user = actor_of(request)
    hazard = services.hazard_start(
        actor=user,
        hazard=_hazard(user, hazard_id),
        measures=payload.measures,
        expected_version=payload.version,
    )
    return HazardOut.of(_hazard(user, hazard.pk))


@router.post(
    "/rectification/hazards/{hazard_id}/rectified",
    response={200: HazardOut, **ACTION_ERRORS},
    operation_id="rect_hazards_rectified",
    summary="报整治完成",
)
@stale_is_409
def rect_hazards_rectified(
    request: HttpRequest, hazard_id: ObjectId, payload: HazardRectifiedIn
) -> HazardOut:
    """整治中 → 已整治; the office then checks it."""
    user = actor_of(request)
    hazard = services.hazard_mark_rectified(
        actor=user,
        hazard=_hazard(user, hazard_id),
        note=payload.note,
        expected_version=payload.version,
    )
    return HazardOut.of(_hazard(user, hazard.pk))


@router.post(
    "/rectification/hazards/{hazard_id}/check",
    response={200: HazardOut, **ACTION_ERRORS},
    operation_id="rect_hazards_check",
    summary="复核",
)
@stale_is_409
def rect_hazards_check(
    request: HttpRequest, hazard_id: ObjectId, payload: HazardCheckIn
) -> HazardOut:
    """已整治 → 复核通过, or back to 整治中 with the reason; only an office with the check
    permission over the responsible unit."""
    user = actor_of(request)
    hazard = services.hazard_check(
        actor=user,
        hazard=_hazard(user, hazard_id),
        accept=payload.accept,
        note=payload.note,
        expected_version=payload.version,
    )
    return HazardOut.of(_hazard(user, hazard.pk))
