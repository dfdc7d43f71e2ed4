"""The rectification ledger (整治) through the API: institutions and the tips that name them,
hazards, 三书一函 letters, rectification tasks with evidence, and rules made (建章立制).

Each operation does what the matching step on the rectification pages does
(``rectification.views``): records are fetched through the scoped selectors first (404 when the
user cannot see them), then the rectification service is called, which checks the actor (403) and
the rule (400 with a Chinese message per field, nothing written). A stale hazard ``version`` is
409. Evidence files are checked by content exactly as on the pages (``rectification.files``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.routers import workflow
from silvershield.api.routers.workflow import ACTION_ERRORS, api_fields
from silvershield.api.schemas.common import (
    DETAIL_ERRORS,
    WRITE_ERRORS,
    ObjectId,
    UnitRef,
    ValidationErrorOut,
)
from silvershield.api.schemas.rectification import (
    CaseRefOut,
    ClusterRefOut,
    DatedFiltersIn,
    EvidenceOut,
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
    InstitutionCreateIn,
    InstitutionDetail,
    InstitutionFiltersIn,
    InstitutionOut,
    InstitutionPage,
    InstitutionUpdateIn,
    MilestoneDoneIn,
    MilestoneOut,
    ProgressOut,
    RectChaseOut,
    RectLetterDetail,
    RectLetterFiltersIn,
    RectLetterIssueIn,
    RectLetterOut,
    RectLetterPage,
    RectLetterRectificationIn,
    RectLetterReplyIn,
    RectRuleCreateIn,
    RectRuleDetail,
    RectRuleFiltersIn,
    RectRuleOut,
    RectRulePage,
    StageGoalsIn,
    TaskCheckIn,
    TaskCloseIn,
    TaskCreateIn,
    TaskDetail,
    TaskFiltersIn,
    TaskOut,
    TaskPage,
    TaskProgressIn,
    TaskSubmitIn,
    TipCandidateOut,
    TipLinkIn,
    TipLinkOut,
)
from silvershield.api.schemas.tips import TimelineEvent, TipListItem
from silvershield.core.access import has_perm, require
from silvershield.core.audit import timeline
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_get
from silvershield.intake.models import Tip
from silvershield.intake.selectors import tip_list_visible_to
from silvershield.orgs.models import Sector, Unit, User
from silvershield.rectification import deadlines, files, selectors, services
from silvershield.rectification.forms import UNIT_MISSING
from silvershield.rectification.models import (
    Hazard,
    Institution,
    Letter,
    Milestone,
    Rule,
    Task,
)
from silvershield.rectification.selectors import Filters

router = Router(tags=["整治"])

P = ParamSpec("P")
R = TypeVar("R")

VIEW, MANAGE = Perm.RECTIFICATION_VIEW, Perm.RECTIFICATION_MANAGE
DETAIL_LIMIT = 200
HAZARD_FIELDS: dict[str, str | None] = {"unit": "unit_id"}
LETTER_FIELDS: dict[str, str | None] = {"recipient": "recipient_id"}
TASK_FIELDS: dict[str, str | None] = {
    "lead_unit": "lead_unit_id",
    "co_units": "co_unit_ids",
    "hazard": "hazard_id",
    "letter": "letter_id",
}
RULE_FIELDS: dict[str, str | None] = {"letter": "letter_id", "unit": None}
UPLOAD_FIELD = "attachments"


# -- helpers ---------------------------------------------------------------------------------------


def stale_is_409(view: Callable[P, R]) -> Callable[P, R | Status[ValidationErrorOut]]:
    """The workflow's 409 answer to a stale version. Wrapped again here because ninja resolves a
    view's (postponed) annotations in the globals of the outermost function: this module's."""
    answered = workflow.stale_is_409(view)

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Status[ValidationErrorOut]:
        return answered(*args, **kwargs)

    return wrapper


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _region(code: str, *, field: str) -> Region:
    try:
        return region_get(code=code)
    except Region.DoesNotExist:
        raise ApiFieldError(field, "所选地区不存在") from None


def _active_unit(unit_id: int, *, field: str) -> Unit:
    """An active unit, like the pages' unit choosers (else a 400 on the field)."""
    unit = Unit.objects.select_related("region").filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ApiFieldError(field, UNIT_MISSING)
    return unit


def _filters(
    f: DatedFiltersIn | InstitutionFiltersIn, *, state: str = "", kind: str = ""
) -> Filters:
    date_from = getattr(f, "date_from", None)
    date_to = getattr(f, "date_to", None)
    if date_from and date_to and date_from > date_to:
        raise ApiFieldError("date_to", "结束日期不能早于开始日期")
    return Filters(
        region=_region(f.region, field="region") if f.region else None,
        state=state,
        sector=f.sector or "",
        kind=kind,
        q=f.q.strip(),
        date_from=date_from,
        date_to=date_to,
        overdue=bool(getattr(f, "overdue", False)),
    )


def _page(qs: Any, f: DatedFiltersIn | InstitutionFiltersIn) -> Any:
    return keyset_page(qs, order=("created_at", "id"), cursor=f.cursor, size=f.limit)


def _events(obj: Any) -> list[TimelineEvent]:
    return [TimelineEvent.of(e) for e in timeline(obj=obj)]


def _visible_institution(user: User, institution_id: int | None) -> Institution | None:
    if institution_id is None:
        return None
    found = selectors.institutions_visible_to(user=user).filter(pk=institution_id).first()
    if found is None:
        raise ApiFieldError("institution_id", "在您的范围内找不到该机构")
    return found


def _visible_hazard(user: User, hazard_id: int | None) -> Hazard | None:
    if hazard_id is None:
        return None
    found = selectors.hazards_visible_to(user=user).filter(pk=hazard_id).first()
    if found is None:
        raise ApiFieldError("hazard_id", "在您的范围内找不到该隐患")
    return found


def _visible_letter(user: User, letter_id: int | None) -> Letter | None:
    if letter_id is None:
        return None
    found = selectors.letters_visible_to(user=user).filter(pk=letter_id).first()
    if found is None:
        raise ApiFieldError("letter_id", "在您的范围内找不到该文书")
    return found


def _uploads(attachments: list[UploadedFile] | None) -> list[files.CheckedFile]:
    """The same content check as the pages' upload path (PDF/JPEG/PNG by their bytes, size)."""
    return files.check_uploads(list(attachments or []), field=UPLOAD_FIELD)


def _cases(user: User, institution: Institution) -> list[CaseRefOut] | None:
    qs = selectors.cases_naming(user=user, institution=institution)
    if qs is None:
        return None
    return [CaseRefOut(id=c.pk, label=str(c)) for c in qs[:DETAIL_LIMIT]]


def _tasks(qs: Any) -> list[TaskOut]:
    rows = qs.prefetch_related("co_units").select_related("checked_by")[:DETAIL_LIMIT]
    return [TaskOut.of(t) for t in rows]


def _sector(value: str) -> str:
    """A sector a record may lie in (the pages offer every sector but the offices')."""
    if value == Sector.OFFICE:
        raise ApiFieldError("sector", "请选择监管领域（不能是专项办）")
    return value


# -- institutions (机构名录) -------------------------------------------------------------------------


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
        cases=_cases(user, i),
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
        tasks=_tasks(selectors.tasks_naming(user=user, institution=i)),
        timeline=_events(i),
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
    f = _filters(filters, state=filters.licence_status or "", kind=filters.kind or "")
    page = _page(selectors.institutions_visible_to(user=user, filters=f), filters)
    _no_store(response)
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
    sector = _sector(payload.sector)
    region = _region(payload.region_code, field="region_code")
    regulator = (
        _active_unit(payload.regulator_id, field="regulator_id") if payload.regulator_id else None
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
    _no_store(response)
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
            _active_unit(payload.regulator_id, field="regulator_id")
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


# -- hazards (问题隐患) ------------------------------------------------------------------------------


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
    f = _filters(filters, state=filters.state or "")
    page = _page(selectors.hazards_visible_to(user=user, filters=f), filters)
    _no_store(response)
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
    institution = _visible_institution(user, payload.institution_id)
    region = _region(payload.region_code, field="region_code")
    unit = _active_unit(payload.unit_id, field="unit_id")
    with api_fields(HAZARD_FIELDS):
        hazard = services.hazard_create(
            actor=user,
            institution=institution,
            sector=_sector(payload.sector),
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
    _no_store(response)
    return HazardDetail(
        **HazardOut.of(hazard).dict(),
        tasks=_tasks(selectors.tasks_visible_to(user=user).filter(hazard=hazard)),
        timeline=_events(hazard),
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


# -- 三书一函 ---------------------------------------------------------------------------------------


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
    f = _filters(filters, state=filters.state or "", kind=filters.kind or "")
    qs = selectors.letters_visible_to(user=user, filters=f).select_related("institution")
    page = _page(qs, filters)
    _no_store(response)
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
    institution = _visible_institution(user, payload.institution_id)
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
    _no_store(response)
    return RectLetterDetail(
        **RectLetterOut.of(letter).dict(),
        overdue_working_days=(
            deadlines.overdue_working_days(letter, timezone.now()) if letter.is_open else 0
        ),
        chases=[RectChaseOut.of(c) for c in selectors.chases_of(letter)],
        tasks=_tasks(selectors.tasks_visible_to(user=user).filter(letter=letter)),
        rules=[
            RectRuleOut.of(r) for r in selectors.rules_visible_to(user=user).filter(letter=letter)
        ],
        case=CaseRefOut(id=case.pk, label=str(case)) if case is not None else None,
        may_add_rule=services.acts_for(user, letter.recipient),
        timeline=_events(letter),
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


# -- rectification tasks (整改台账) ------------------------------------------------------------------


def _task(user: User, task_id: int) -> Task:
    require(user, VIEW)
    return selectors.access_task(user=user, pk=task_id)


def _task_out(user: User, task_id: int) -> TaskOut:
    task = _task(user, task_id)
    return TaskOut.of(task)


def _may_work(user: User, task: Task) -> bool:
    """The caller may report progress (as the task page decides its progress form)."""
    try:
        services._task_worker(user, task)
    except PermissionDenied:
        return False
    return True


@router.get(
    "/rectification/tasks",
    response={200: TaskPage, **WRITE_ERRORS},
    operation_id="rect_tasks_list",
    summary="整改台账",
)
def rect_tasks_list(
    request: HttpRequest, response: HttpResponse, filters: Query[TaskFiltersIn]
) -> TaskPage:
    """Tasks the caller leads, co-operates on, created or oversees; dates filter the deadline;
    ``sector`` the lead unit's sector."""
    user = actor_of(request)
    require(user, VIEW)
    f = _filters(filters, state=filters.state or "", kind=filters.source or "")
    qs = selectors.tasks_visible_to(user=user, filters=f).prefetch_related("co_units")
    page = _page(qs.select_related("checked_by"), filters)
    _no_store(response)
    return TaskPage(items=[TaskOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.post(
    "/rectification/tasks",
    response={201: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_create",
    summary="建立整改任务",
)
def rect_tasks_create(request: HttpRequest, payload: TaskCreateIn) -> Status[TaskOut]:
    """A task from a supervision finding, a hazard or a letter, with the lead unit, co-operating
    units, measures, the person responsible, the deadline and milestones."""
    user = actor_of(request)
    require(user, MANAGE)
    hazard = _visible_hazard(user, payload.hazard_id)
    letter = _visible_letter(user, payload.letter_id)
    lead_unit = _active_unit(payload.lead_unit_id, field="lead_unit_id")
    co_units = [_active_unit(i, field="co_unit_ids") for i in dict.fromkeys(payload.co_unit_ids)]
    with api_fields(TASK_FIELDS):
        task = services.task_create(
            actor=user,
            title=payload.title,
            source=payload.source,
            source_note=payload.source_note,
            hazard=hazard,
            letter=letter,
            lead_unit=lead_unit,
            co_units=co_units,
            measures=payload.measures,
            responsible_name=payload.responsible_name,
            due_on=payload.due_on,
            milestones=[(m.title, m.due_on) for m in payload.milestones],
        )
    return Status(201, _task_out(user, task.pk))


@router.get(
    "/rectification/tasks/{task_id}",
    response={200: TaskDetail, **DETAIL_ERRORS},
    operation_id="rect_tasks_get",
    summary="整改任务详情（进展、佐证材料、节点、催办、时间线）",
)
def rect_tasks_get(request: HttpRequest, response: HttpResponse, task_id: ObjectId) -> TaskDetail:
    user = actor_of(request)
    task = _task(user, task_id)
    progress = task.progress.select_related("unit", "written_by").prefetch_related("evidence")
    _no_store(response)
    return TaskDetail(
        **TaskOut.of(task).dict(),
        overdue_working_days=(
            deadlines.overdue_working_days(task, timezone.now()) if task.is_open else 0
        ),
        milestones=[MilestoneOut.of(m) for m in task.milestones.all()],
        progress=[ProgressOut.of(p) for p in progress],
        evidence_count=services.evidence_count(task),
        chases=[RectChaseOut.of(c) for c in selectors.chases_of(task)],
        may_work=_may_work(user, task),
        timeline=_events(task),
    )


@router.post(
    "/rectification/tasks/{task_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    operation_id="rect_tasks_progress",
    summary="报送进展（可附佐证材料）",
)
def rect_tasks_progress(
    request: HttpRequest,
    task_id: ObjectId,
    payload: Form[TaskProgressIn],
    attachments: File[list[UploadedFile] | None] = None,
) -> Status[ProgressOut]:
    """multipart/form-data: ``text`` and files ``attachments`` (PDF, JPEG or PNG recognised by
    their content, at most 10 MB each and 10 per update). By the lead unit, a co-operating unit
    or an office over the lead unit."""
    user = actor_of(request)
    task = _task(user, task_id)
    checked = _uploads(attachments)
    progress = services.task_progress_add(actor=user, task=task, text=payload.text, files=checked)
    return Status(201, ProgressOut.of(progress))


@router.post(
    "/rectification/tasks/{task_id}/milestones/{milestone_id}/done",
    response={200: MilestoneOut, **WRITE_ERRORS},
    operation_id="rect_tasks_milestone_done",
    summary="完成整改节点或阶段目标",
)
def rect_tasks_milestone_done(
    request: HttpRequest, task_id: ObjectId, milestone_id: ObjectId, payload: MilestoneDoneIn
) -> MilestoneOut:
    """Mark a milestone done; for a staged goal the clock moves on to the next one."""
    user = actor_of(request)
    task = _task(user, task_id)
    milestone: Milestone | None = task.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    done = services.milestone_done(actor=user, milestone=milestone, note=payload.note)
    return MilestoneOut.of(done)


@router.post(
    "/rectification/tasks/{task_id}/stage-goals",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_stage_goals",
    summary="不能按期完成：设定阶段目标",
)
def rect_tasks_stage_goals(
    request: HttpRequest, task_id: ObjectId, payload: StageGoalsIn
) -> TaskOut:
    """Staged goals with a reason (lead unit or an office over it); the last goal becomes the
    deadline and the clock runs on the earliest unfinished one."""
    user = actor_of(request)
    task = services.task_set_stage_goals(
        actor=user,
        task=_task(user, task_id),
        goals=[(g.title, g.due_on) for g in payload.goals],
        reason=payload.reason,
    )
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/submit",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_submit",
    summary="报请核验",
)
def rect_tasks_submit(request: HttpRequest, task_id: ObjectId, payload: TaskSubmitIn) -> TaskOut:
    """整改中 → 待核验 by the lead unit; refused while no evidence file is on record."""
    user = actor_of(request)
    task = services.task_submit(actor=user, task=_task(user, task_id), summary=payload.summary)
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/check",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_check",
    summary="专项办核验",
)
def rect_tasks_check(request: HttpRequest, task_id: ObjectId, payload: TaskCheckIn) -> TaskOut:
    """待核验 → 核验通过, or back to 整改中 with the reason; only an office with the check
    permission over the lead unit."""
    user = actor_of(request)
    task = services.task_check(
        actor=user, task=_task(user, task_id), accept=payload.accept, note=payload.note
    )
    return _task_out(user, task.pk)


@router.post(
    "/rectification/tasks/{task_id}/close",
    response={200: TaskOut, **WRITE_ERRORS},
    operation_id="rect_tasks_close",
    summary="销号",
)
def rect_tasks_close(request: HttpRequest, task_id: ObjectId, payload: TaskCloseIn) -> TaskOut:
    """销号 by the lead unit: refused without evidence on file or before the office's check (no
    纸面整改)."""
    user = actor_of(request)
    task = services.task_close(actor=user, task=_task(user, task_id), note=payload.note)
    return _task_out(user, task.pk)


@router.get(
    "/rectification/evidence/{evidence_id}",
    response={200: None, **DETAIL_ERRORS},
    operation_id="rect_evidence_get",
    summary="下载佐证材料或制度文件",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件（PDF、JPEG 或 PNG）",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def rect_evidence_get(request: HttpRequest, evidence_id: ObjectId) -> HttpResponse:
    """A file of a task's progress or of a rule, only to those who may see that task or rule."""
    user = actor_of(request)
    require(user, VIEW)
    evidence = selectors.access_evidence(user=user, pk=evidence_id)
    try:
        with evidence.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=evidence.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    _no_store(response)
    return response


# -- 建章立制 ---------------------------------------------------------------------------------------


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
    f = _filters(filters, kind=filters.kind or "")
    page = _page(selectors.rules_visible_to(user=user, filters=f), filters)
    _no_store(response)
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
    letter = _visible_letter(user, payload.letter_id)
    checked = _uploads(attachments)
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
    user = actor_of(request)
    rule = _rule(user, rule_id)
    _no_store(response)
    return RectRuleDetail(
        **RectRuleOut.of(rule).dict(),
        documents=[EvidenceOut.of(e) for e in rule.documents.all()],
        timeline=_events(rule),
    )
