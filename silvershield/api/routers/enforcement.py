"""The crackdown ledger through the API: cases (from tips, a cluster or a verification report), their
stages, facts, suspects, gangs, asset recovery and cold-case reviews.

Each operation does what the matching action on the case page does (``enforcement.views.ACTIONS``):
the case is fetched through the scoped selectors first (404 when the user cannot see it, 403 when
they see it but may not manage it), then the enforcement service is called, which checks who acts
(403, or 400 for a stage recorded by the wrong sector) and the input (400 with Chinese field
messages, nothing written). A stale case ``version`` is 409.

No ``from __future__ import annotations`` here: ninja resolves string annotations in the globals
of the function it is given, which for the operations wrapped by ``stale_is_409`` are those of
``routers.workflow``; real annotations need no resolving.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.routers.workflow import ACTION_ERRORS, LIST_LIMIT, api_fields, stale_is_409
from silvershield.api.schemas.common import DETAIL_ERRORS, WRITE_ERRORS, ObjectId, UnitRef
from silvershield.api.schemas.enforcement import (
    MAX_TIPS,
    BrokenIn,
    CaseCreateIn,
    CaseDetail,
    CaseFiltersIn,
    CaseFromReportIn,
    CaseGangOut,
    CaseList,
    CaseListItem,
    CaseMoneyOut,
    CasePage,
    CaseRef,
    CaseTipOut,
    CaseUpdateIn,
    CatchIn,
    ClusterRef,
    ColdFlagIn,
    ColdReviewIn,
    ColdReviewList,
    ColdReviewOut,
    GangCreateIn,
    GangDetail,
    GangFiltersIn,
    GangLinkIn,
    GangOut,
    GangPage,
    JudgeIn,
    ProsecuteIn,
    RecoveryIn,
    RecoveryList,
    RecoveryOut,
    RecoveryRecordedOut,
    ReferIn,
    SolveIn,
    SuspectCounts,
    SuspectIn,
    SuspectOut,
    SuspectUpdateIn,
    TipLinkIn,
    WithdrawIn,
)
from silvershield.api.schemas.tips import TimelineEvent
from silvershield.core.access import require
from silvershield.core.audit import timeline
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm
from silvershield.enforcement import selectors, services
from silvershield.enforcement.models import (
    Case,
    CaseStage,
    Gang,
    RecoveryRecord,
    Suspect,
    SuspectStatus,
)
from silvershield.enforcement.selectors import CaseFilters
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_get
from silvershield.intake import selectors as intake_selectors
from silvershield.intake.models import LinkCluster, Tip
from silvershield.orgs.models import Unit, User
from silvershield.workflow.models import VerificationReport

router = Router(tags=["案件"])

CASE_FIELDS: dict[str, str | None] = {"owner_unit": "owner_unit_id", "tips": "tip_ids"}
STAGE_FIELDS: dict[str, str | None] = {"stage": None, "to_unit": "to_unit_id"}
GANG_FIELDS: dict[str, str | None] = {"members": "member_ids"}


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _region(code: str, *, field: str) -> Region:
    try:
        return region_get(code=code)
    except Region.DoesNotExist:
        raise ApiFieldError(field, "所选地区不存在") from None


def _unit(unit_id: int, *, field: str) -> Unit:
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None:
        raise ApiFieldError(field, "所选单位不存在")
    return unit


def _case(user: User, case_id: int, *, for_write: bool = False) -> Case:
    require(user, Perm.CASE_MANAGE if for_write else Perm.CASE_VIEW)
    return selectors.access_case(user=user, case_id=case_id, for_write=for_write)


def _visible_tips(user: User, ids: Iterable[int]) -> list[Tip]:
    wanted = list(dict.fromkeys(ids))
    found = {t.pk: t for t in intake_selectors.tip_list_visible_to(user=user).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ApiFieldError("tip_ids", "找不到所关联的线索")
    return [found[i] for i in wanted]


def _visible_suspects(user: User, ids: Iterable[int]) -> list[Suspect]:
    """Suspects of cases the user sees; the service decides whether they may join the gang."""
    wanted = list(dict.fromkeys(ids))
    cases = selectors.cases_visible_to(user=user).values("pk")
    found = {s.pk: s for s in Suspect.objects.filter(pk__in=wanted, case_id__in=cases)}
    if len(found) != len(wanted):
        raise ApiFieldError("member_ids", "找不到所选的嫌疑人")
    return [found[i] for i in wanted]


def _counts(suspects: list[Suspect]) -> SuspectCounts:
    at_large = sum(1 for s in suspects if s.status == SuspectStatus.AT_LARGE)
    return SuspectCounts(total=len(suspects), caught=len(suspects) - at_large, at_large=at_large)


def _row(case: Case) -> CaseListItem:
    """A list row from a case annotated by ``selectors.with_money`` (no per-row queries)."""
    counts = SuspectCounts(
        total=case.n_suspects,  # type: ignore[attr-defined]
        caught=case.n_caught,  # type: ignore[attr-defined]
        at_large=case.n_at_large,  # type: ignore[attr-defined]
    )
    return CaseListItem.of(case, selectors.recovery_of_row(case), counts)


def _outstanding(case: Case) -> dict[int, Decimal]:
    """What each of the case's freezes and seizures still holds (absent: nothing)."""
    return {r.pk: left for r, left in selectors.secured_with_outstanding(case=case)}


def _recoveries(case: Case) -> list[RecoveryOut]:
    outstanding = _outstanding(case)
    return [RecoveryOut.of(r, outstanding) for r in selectors.recoveries_of(case=case)]


def _detail(user: User, case: Case) -> CaseDetail:
    case = selectors.access_case(user=user, case_id=case.pk)  # fresh, with its relations
    suspects = list(selectors.suspects_of(case=case))
    item = CaseListItem.of(case, selectors.case_recovery(case=case), _counts(suspects))
    cluster: LinkCluster | None = case.cluster
    return CaseDetail(
        **item.dict(),
        created_by_unit=UnitRef.of(case.created_by_unit),
        summary=case.summary,
        victim_loss=case.victim_loss,
        over_recovery_reason=case.over_recovery_reason,
        solved_on=case.solved_on,
        referred_on=case.referred_on,
        referred_to=UnitRef.of(case.referred_to) if case.referred_to else None,
        prosecuted_on=case.prosecuted_on,
        prosecuted_to=UnitRef.of(case.prosecuted_to) if case.prosecuted_to else None,
        prosecution_outcome=case.prosecution_outcome,
        judged_on=case.judged_on,
        judgment_outcome=case.judgment_outcome,
        withdrawn_on=case.withdrawn_on,
        withdrawn_reason=case.withdrawn_reason,
        source_report_id=case.source_report_id,
        cluster=ClusterRef.of(cluster) if cluster is not None else None,
        version=case.version,
        created_at=case.created_at,
        tips=[CaseTipOut.of(t, ok) for t, ok in selectors.tips_of(case=case, user=user)],
        suspect_list=[SuspectOut.of(s) for s in suspects],
        gangs=[
            CaseGangOut(
                **GangOut.of(g).dict(),
                member_ids=[m.pk for m in g.members.all() if m.case_id == case.pk],
            )
            for g in selectors.gangs_of(case=case).select_related("region", "owner_unit")
        ],
        recoveries=_recoveries(case),
        reviews=[
            ColdReviewOut.of(r)
            for r in selectors.reviews_of(case=case).select_related(
                "case", "flagged_by_unit", "reviewed_by_unit"
            )
        ],
        timeline=[TimelineEvent.of(e) for e in timeline(obj=case)],
    )


# -- cases ------------------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: CasePage, **WRITE_ERRORS},
    operation_id="cases_list",
    summary="案件台账",
)
def cases_list(
    request: HttpRequest, response: HttpResponse, filters: Query[CaseFiltersIn]
) -> CasePage:
    """The cases in the user's scope, newest first, keyset-paginated (pass ``next_cursor`` back as
    ``cursor``); each with its money and suspect counts. The same filters as the ledger page."""
    user = actor_of(request)
    require(user, Perm.CASE_VIEW)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ApiFieldError("date_to", "结束日期不能早于开始日期")
    case_filters = CaseFilters(
        region=_region(filters.region, field="region") if filters.region else None,
        stage=filters.stage or "",
        fraud_type=filters.fraud_type or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q.strip(),
    )
    qs = selectors.with_money(selectors.cases_visible_to(user=user, filters=case_filters))
    page = keyset_page(qs, order=("created_at", "id"), cursor=filters.cursor, size=filters.limit)
    _no_store(response)
    return CasePage(items=[_row(c) for c in page.items], next_cursor=page.next_cursor)


@router.post(
    "/cases",
    response={201: CaseDetail, **WRITE_ERRORS},
    operation_id="cases_create",
    summary="立案登记",
)
def cases_create(request: HttpRequest, payload: CaseCreateIn) -> Status[CaseDetail]:
    """Register a case for a police unit (the caller's own, or one under the caller's office),
    optionally from tips (``tip_ids``) and/or a cluster of linked tips (``cluster_id``: the case
    records the cluster and links every member tip the caller may see)."""
    user = actor_of(request)
    require(user, Perm.CASE_MANAGE)
    owner_unit = _unit(payload.owner_unit_id, field="owner_unit_id")
    region = _region(payload.region_code, field="region_code")
    tips = _visible_tips(user, payload.tip_ids)
    cluster = None
    if payload.cluster_id is not None:
        try:
            cluster, members = selectors.cluster_tips_visible_to(
                user=user, cluster_id=payload.cluster_id
            )
        except Http404:
            raise ApiFieldError("cluster_id", "在您的查看范围内找不到该串并组") from None
        chosen = {t.pk for t in tips}
        tips += [t for t in members if t.pk not in chosen]
        if len(tips) > MAX_TIPS:
            raise ApiFieldError("cluster_id", "该串并组的线索过多，请选择线索后立案")
    with api_fields(CASE_FIELDS):
        case = services.case_create(
            actor=user,
            owner_unit=owner_unit,
            number=payload.number,
            name=payload.name,
            fraud_type=payload.fraud_type,
            region=region,
            filed_on=payload.filed_on,
            amount_involved=payload.amount_involved,
            victim_loss=payload.victim_loss,
            victim_count=payload.victim_count,
            elderly_victim_count=payload.elderly_victim_count,
            summary=payload.summary,
            tips=tips,
            cluster=cluster,
        )
    return Status(201, _detail(user, case))


@router.post(
    "/reports/{report_id}/case",
    response={201: CaseDetail, **WRITE_ERRORS},
    operation_id="cases_create_from_report",
    summary="由核查报告立案",
)
def cases_create_from_report(
    request: HttpRequest, report_id: ObjectId, payload: CaseFromReportIn
) -> Status[CaseDetail]:
    """A verification report whose measures include 立案 (submitted or accepted) becomes a case
    pre-filled from its tip (region, fraud type, amount as involved amount and losses, victims, the
    report's facts), linked to the tip, the report and the tip's cluster. The report is reachable
    by whoever can see its tip."""
    user = actor_of(request)
    require(user, Perm.CASE_MANAGE)
    report = VerificationReport.objects.filter(pk=report_id).select_related("tip").first()
    if report is None:
        raise Http404
    intake_selectors.access_tip(user=user, tip_id=report.tip_id)
    owner_unit = _unit(payload.owner_unit_id, field="owner_unit_id")
    with api_fields(CASE_FIELDS):
        case = services.case_create_from_report(
            actor=user,
            report=report,
            owner_unit=owner_unit,
            number=payload.number,
            filed_on=payload.filed_on,
            name=payload.name,
        )
    return Status(201, _detail(user, case))


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetail, **DETAIL_ERRORS},
    operation_id="cases_get",
    summary="案件详情",
)
def cases_get(request: HttpRequest, response: HttpResponse, case_id: ObjectId) -> CaseDetail:
    """A case with its stages, money, tips, cluster, suspects, gangs, recoveries, cold-case reviews
    and timeline (its audit events)."""
    user = actor_of(request)
    case = _case(user, case_id)
    _no_store(response)
    return _detail(user, case)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_update",
    summary="修改案件信息",
)
@stale_is_409
def cases_update(request: HttpRequest, case_id: ObjectId, payload: CaseUpdateIn) -> CaseDetail:
    """Correct the facts (name, type, summary, amounts, victims); fields left out or null stay as
    they are. Lowering the losses below the recovered amount needs ``over_recovery_reason``."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    version = sent.pop("version", None)
    values = {f: sent.get(f, getattr(case, f)) for f in services.CASE_FACT_FIELDS}
    services.case_update(actor=user, case=case, expected_version=version, **values)
    return _detail(user, case)


def _advance(
    request: HttpRequest,
    case_id: int,
    stage: CaseStage,
    payload: SolveIn | ReferIn | ProsecuteIn | JudgeIn | WithdrawIn,
    *,
    outcome: str = "",
    to_unit_id: int | None = None,
    names: dict[str, str | None] | None = None,
) -> CaseDetail:
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    to_unit = _unit(to_unit_id, field="to_unit_id") if to_unit_id is not None else None
    with api_fields({**STAGE_FIELDS, **(names or {})}):
        services.case_advance(
            actor=user,
            case=case,
            stage=stage,
            on=payload.on,
            outcome=outcome,
            to_unit=to_unit,
            expected_version=payload.version,
        )
    return _detail(user, case)


@router.post(
    "/cases/{case_id}/solve",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_solve",
    summary="登记破案",
)
@stale_is_409
def cases_solve(request: HttpRequest, case_id: ObjectId, payload: SolveIn) -> CaseDetail:
    """立案 → 破案, by the police (or an office for them)."""
    return _advance(request, case_id, CaseStage.SOLVED, payload)


@router.post(
    "/cases/{case_id}/refer",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_refer",
    summary="登记移送起诉",
)
@stale_is_409
def cases_refer(request: HttpRequest, case_id: ObjectId, payload: ReferIn) -> CaseDetail:
    """破案 → 移送起诉, by the police, naming the procuratorate (which then sees the case)."""
    return _advance(request, case_id, CaseStage.REFERRED, payload, to_unit_id=payload.to_unit_id)


@router.post(
    "/cases/{case_id}/prosecute",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_prosecute",
    summary="登记起诉",
)
@stale_is_409
def cases_prosecute(request: HttpRequest, case_id: ObjectId, payload: ProsecuteIn) -> CaseDetail:
    """移送起诉 → 起诉, by the procuratorate, naming the court (which then sees the case)."""
    return _advance(
        request,
        case_id,
        CaseStage.PROSECUTED,
        payload,
        outcome=payload.outcome,
        to_unit_id=payload.to_unit_id,
    )


@router.post(
    "/cases/{case_id}/judge",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_judge",
    summary="登记判决",
)
@stale_is_409
def cases_judge(request: HttpRequest, case_id: ObjectId, payload: JudgeIn) -> CaseDetail:
    """起诉 → 判决, by the court, with the judgment."""
    return _advance(request, case_id, CaseStage.JUDGED, payload, outcome=payload.outcome)


@router.post(
    "/cases/{case_id}/withdraw",
    response={200: CaseDetail, **ACTION_ERRORS},
    operation_id="cases_withdraw",
    summary="登记撤案",
)
@stale_is_409
def cases_withdraw(request: HttpRequest, case_id: ObjectId, payload: WithdrawIn) -> CaseDetail:
    """撤案 with a reason, by the police, only before 移送起诉."""
    return _advance(
        request,
        case_id,
        CaseStage.WITHDRAWN,
        payload,
        outcome=payload.reason,
        names={"outcome": "reason"},
    )


@router.post(
    "/cases/{case_id}/tips",
    response={200: CaseDetail, **WRITE_ERRORS},
    operation_id="cases_tip_link",
    summary="关联线索",
)
def cases_tip_link(request: HttpRequest, case_id: ObjectId, payload: TipLinkIn) -> CaseDetail:
    """Link a further tip (within the caller's scope) to the case; linking it again changes
    nothing."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    tip = intake_selectors.tip_list_visible_to(user=user).filter(pk=payload.tip_id).first()
    if tip is None:
        raise ApiFieldError("tip_id", "在您的管辖范围内找不到该线索")
    with api_fields({"tip": "tip_id"}):
        services.case_link_tip(actor=user, case=case, tip=tip)
    return _detail(user, case)


@router.get(
    "/tips/{tip_id}/cases",
    response={200: CaseList, **DETAIL_ERRORS},
    operation_id="tips_cases",
    summary="线索的关联案件",
)
def tips_cases(request: HttpRequest, response: HttpResponse, tip_id: ObjectId) -> CaseList:
    """The cases (within the caller's scope) born from or linked to a tip the caller can see."""
    user = actor_of(request)
    require(user, Perm.CASE_VIEW)
    tip = intake_selectors.access_tip(user=user, tip_id=tip_id)
    rows = selectors.with_money(selectors.cases_of_tip(user=user, tip=tip))
    _no_store(response)
    return CaseList(items=[_row(c) for c in rows[:LIST_LIMIT]])


# -- suspects ---------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/suspects",
    response={201: SuspectOut, **WRITE_ERRORS},
    operation_id="suspects_add",
    summary="登记犯罪嫌疑人",
)
def suspects_add(request: HttpRequest, case_id: ObjectId, payload: SuspectIn) -> Status[SuspectOut]:
    """A suspect at large, arrested (with the date) or caught after being at large."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    suspect = services.suspect_add(
        actor=user,
        case=case,
        name=payload.name,
        status=payload.status,
        caught_on=payload.caught_on,
        note=payload.note,
    )
    return Status(201, SuspectOut.of(suspect))


@router.patch(
    "/cases/{case_id}/suspects/{suspect_id}",
    response={200: SuspectOut, **WRITE_ERRORS},
    operation_id="suspects_update",
    summary="修改犯罪嫌疑人状态",
)
def suspects_update(
    request: HttpRequest, case_id: ObjectId, suspect_id: ObjectId, payload: SuspectUpdateIn
) -> SuspectOut:
    """Change or correct the status (and date): the same rules as when adding; 追逃到案 only for
    someone at large (or use ``catch``)."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    suspect = selectors.access_suspect(case=case, suspect_id=suspect_id)
    suspect = services.suspect_update(
        actor=user,
        suspect=suspect,
        status=payload.status,
        caught_on=payload.caught_on,
        note=payload.note,
    )
    return SuspectOut.of(suspect)


@router.post(
    "/cases/{case_id}/suspects/{suspect_id}/catch",
    response={200: SuspectOut, **WRITE_ERRORS},
    operation_id="suspects_catch",
    summary="在逃人员到案",
)
def suspects_catch(
    request: HttpRequest, case_id: ObjectId, suspect_id: ObjectId, payload: CatchIn
) -> SuspectOut:
    """A suspect at large is caught (追逃到案) on the given day."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    suspect = selectors.access_suspect(case=case, suspect_id=suspect_id)
    with api_fields({"suspect": None}):
        suspect = services.suspect_catch(actor=user, suspect=suspect, on=payload.on)
    return SuspectOut.of(suspect)


# -- gangs ------------------------------------------------------------------------------------------


def _gang_detail(user: User, gang: Gang) -> GangDetail:
    gang = (
        selectors.gangs_visible_to(user=user).prefetch_related("cases", "members").get(pk=gang.pk)
    )
    visible_cases = selectors.cases_visible_to(user=user).values("pk")
    cases = list(gang.cases.filter(pk__in=visible_cases).order_by("filed_on", "id"))
    members = gang.members.filter(case_id__in=visible_cases).order_by("id")
    return GangDetail(
        **GangOut.of(gang).dict(),
        cases=[CaseRef.of(c) for c in cases],
        hidden_case_count=len(gang.cases.all()) - len(cases),
        members=[SuspectOut.of(s) for s in members],
        timeline=[TimelineEvent.of(e) for e in timeline(obj=gang)],
    )


def _gang(user: User, gang_id: int, *, for_write: bool = False) -> Gang:
    require(user, Perm.CASE_MANAGE if for_write else Perm.CASE_VIEW)
    return selectors.access_gang(user=user, gang_id=gang_id, for_write=for_write)


@router.get(
    "/gangs",
    response={200: GangPage, **WRITE_ERRORS},
    operation_id="gangs_list",
    summary="犯罪团伙",
)
def gangs_list(
    request: HttpRequest, response: HttpResponse, filters: Query[GangFiltersIn]
) -> GangPage:
    """The gangs in the caller's scope, newest first, keyset-paginated."""
    user = actor_of(request)
    require(user, Perm.CASE_VIEW)
    gangs = selectors.gangs_visible_to(user=user).prefetch_related("cases", "members")
    page = keyset_page(gangs, order=("created_at", "id"), cursor=filters.cursor, size=filters.limit)
    _no_store(response)
    return GangPage(items=[GangOut.of(g) for g in page.items], next_cursor=page.next_cursor)


@router.post(
    "/cases/{case_id}/gangs",
    response={201: GangDetail, **WRITE_ERRORS},
    operation_id="gangs_create",
    summary="认定犯罪团伙",
)
def gangs_create(
    request: HttpRequest, case_id: ObjectId, payload: GangCreateIn
) -> Status[GangDetail]:
    """A gang found in this case (its region and owning unit are the case's), with members among
    the case's suspects."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    members = _visible_suspects(user, payload.member_ids)
    with api_fields(GANG_FIELDS):
        gang = services.gang_create(actor=user, case=case, name=payload.name, members=members)
    return Status(201, _gang_detail(user, gang))


@router.get(
    "/gangs/{gang_id}",
    response={200: GangDetail, **DETAIL_ERRORS},
    operation_id="gangs_get",
    summary="犯罪团伙详情",
)
def gangs_get(request: HttpRequest, response: HttpResponse, gang_id: ObjectId) -> GangDetail:
    """A gang with the cases and members the caller may see (and how many cases they may not)."""
    user = actor_of(request)
    gang = _gang(user, gang_id)
    _no_store(response)
    return _gang_detail(user, gang)


@router.post(
    "/gangs/{gang_id}/cases",
    response={200: GangDetail, **WRITE_ERRORS},
    operation_id="gangs_case_link",
    summary="关联案件与成员（串案）",
)
def gangs_case_link(request: HttpRequest, gang_id: ObjectId, payload: GangLinkIn) -> GangDetail:
    """Link a further case to the gang and add members among that case's suspects; for a case
    already linked, only the members are added."""
    user = actor_of(request)
    gang = _gang(user, gang_id, for_write=True)
    if not selectors.cases_visible_to(user=user).filter(pk=payload.case_id).exists():
        raise ApiFieldError("case_id", "在您的查看范围内找不到该案件")
    case = _case(user, payload.case_id, for_write=True)
    members = _visible_suspects(user, payload.member_ids)
    with api_fields(GANG_FIELDS):
        services.gang_link_case(actor=user, gang=gang, case=case, members=members)
    return _gang_detail(user, gang)


@router.post(
    "/gangs/{gang_id}/broken",
    response={200: GangDetail, **WRITE_ERRORS},
    operation_id="gangs_mark_broken",
    summary="团伙打掉",
)
def gangs_mark_broken(request: HttpRequest, gang_id: ObjectId, payload: BrokenIn) -> GangDetail:
    """The gang is broken up (打掉) on the given day; recorded once."""
    user = actor_of(request)
    gang = _gang(user, gang_id, for_write=True)
    services.gang_mark_broken(actor=user, gang=gang, on=payload.on)
    return _gang_detail(user, gang)


# -- asset recovery (追赃挽损) ---------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/recoveries",
    response={200: RecoveryList, **DETAIL_ERRORS},
    operation_id="recoveries_list",
    summary="追赃挽损记录",
)
def recoveries_list(
    request: HttpRequest, response: HttpResponse, case_id: ObjectId
) -> RecoveryList:
    """The case's freezes, seizures and returns by date, each secured record with what it still
    holds, each return with what it released; and the case's money."""
    user = actor_of(request)
    case = _case(user, case_id)
    _no_store(response)
    return RecoveryList(
        money=CaseMoneyOut.of(selectors.case_recovery(case=case)), items=_recoveries(case)
    )


@router.post(
    "/cases/{case_id}/recoveries",
    response={201: RecoveryRecordedOut, **ACTION_ERRORS},
    operation_id="recoveries_record",
    summary="登记追赃挽损",
)
@stale_is_409
def recoveries_record(
    request: HttpRequest, case_id: ObjectId, payload: RecoveryIn
) -> Status[RecoveryRecordedOut]:
    """Record a freeze, a seizure or a return. A return may release money from earlier freezes or
    seizures of the case (``releases``), so that each yuan counts once."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    ids = [r.secured_record_id for r in payload.releases]
    if len(set(ids)) != len(ids):
        raise ApiFieldError("releases", "同一冻结/扣押记录只能列一次")
    found = {r.pk: r for r in RecoveryRecord.objects.filter(case=case, pk__in=ids)}
    if len(found) != len(ids):
        raise ApiFieldError("releases", "只能释放本案的止付冻结或查封扣押记录")
    record = services.recovery_record(
        actor=user,
        case=case,
        kind=payload.kind,
        amount=payload.amount,
        on=payload.on,
        note=payload.note,
        releases=[(found[r.secured_record_id], r.amount) for r in payload.releases],
        over_loss_reason=payload.over_loss_reason,
    )
    record = selectors.recoveries_of(case=case).get(pk=record.pk)
    return Status(
        201,
        RecoveryRecordedOut(
            record=RecoveryOut.of(record, _outstanding(case)),
            money=CaseMoneyOut.of(selectors.case_recovery(case=case)),
        ),
    )


# -- cold and backlog cases (陈案积案回头看) -------------------------------------------------------


@router.get(
    "/cold-reviews",
    response={200: ColdReviewList, **DETAIL_ERRORS},
    operation_id="cold_reviews_list",
    summary="陈案积案待回头看",
)
def cold_reviews_list(request: HttpRequest, response: HttpResponse) -> ColdReviewList:
    """Open reviews of the cases the caller manages, soonest due first (``is_overdue`` marked)."""
    user = actor_of(request)
    require(user, Perm.CASE_VIEW)
    rows = selectors.open_reviews(user=user).select_related("flagged_by_unit")[:LIST_LIMIT]
    _no_store(response)
    return ColdReviewList(items=[ColdReviewOut.of(r) for r in rows])


@router.post(
    "/cases/{case_id}/cold-reviews",
    response={201: ColdReviewOut, **WRITE_ERRORS},
    operation_id="cold_reviews_flag",
    summary="列为陈案积案（回头看）",
)
def cold_reviews_flag(
    request: HttpRequest, case_id: ObjectId, payload: ColdFlagIn
) -> Status[ColdReviewOut]:
    """Flag the case for review with a reason and a due date (one open review per case)."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    review = services.cold_case_flag(
        actor=user, case=case, reason=payload.reason, due_on=payload.due_on
    )
    return Status(201, ColdReviewOut.of(review))


@router.post(
    "/cases/{case_id}/cold-reviews/{review_id}/complete",
    response={200: ColdReviewOut, **WRITE_ERRORS},
    operation_id="cold_reviews_complete",
    summary="完成回头看",
)
def cold_reviews_complete(
    request: HttpRequest, case_id: ObjectId, review_id: ObjectId, payload: ColdReviewIn
) -> ColdReviewOut:
    """Record the review's outcome (and the day, default today); late completion is noted."""
    user = actor_of(request)
    case = _case(user, case_id, for_write=True)
    review = selectors.reviews_of(case=case).filter(pk=review_id).first()
    if review is None:
        raise Http404
    review = services.cold_case_review(
        actor=user,
        review=review,
        outcome=payload.outcome,
        reviewed_on=payload.reviewed_on,
    )
    return ColdReviewOut.of(review)
