"""Reads of the rectification ledger, always through core.access scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from silvershield.core.access import access_object, has_perm, visible
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.intake.models import ClusterMember, LinkCluster, MemberState, Tip
from silvershield.intake.selectors import tip_list_visible_to
from silvershield.orgs.models import User
from silvershield.rectification.models import (
    OPEN_HAZARD_STATES,
    Chase,
    Evidence,
    Hazard,
    HazardState,
    Institution,
    InstitutionTipLink,
    Letter,
    LetterState,
    LicenceStatus,
    Rule,
    Task,
    TaskState,
)
from silvershield.screening import normalize, normalize_name

VIEW = Perm.RECTIFICATION_VIEW


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    state: str = ""
    sector: str = ""
    kind: str = ""
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False


def _common(
    qs: QuerySet[Any], f: Filters, *, date_field: str, text: tuple[str, ...]
) -> QuerySet[Any]:
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.date_from:
        qs = qs.filter(**{f"{date_field}__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{date_field}__lte": f.date_to})
    if f.q:
        cond = Q()
        for name in text:
            cond |= Q(**{f"{name}__icontains": f.q})
        qs = qs.filter(cond)
    return qs


# -- institutions --------------------------------------------------------------------------------


def institutions_visible_to(*, user: User, filters: Filters | None = None) -> QuerySet[Institution]:
    f = filters or Filters()
    qs = visible(Institution.objects.all(), user=user, perm=VIEW)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.state:
        qs = qs.filter(licence_status=f.state)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(uscc__icontains=f.q) | Q(address__icontains=f.q))
    return qs.select_related("region", "regulator")


def access_institution(*, user: User, pk: Any) -> Institution:
    return access_object(
        Institution.objects.select_related("region", "regulator", "created_by_unit"),
        user=user,
        pk=pk,
        perm=VIEW,
    )


def linked_tips(*, user: User, institution: Institution) -> QuerySet[Tip]:
    """Confirmed tips naming the institution that the user may see."""
    ids = InstitutionTipLink.objects.filter(institution=institution).values("tip_id")
    return tip_list_visible_to(user=user).filter(pk__in=ids).order_by("-received_at")


@dataclass(frozen=True)
class Candidate:
    tip: Tip
    reason: str


CANDIDATE_LIMIT = 30


def tip_candidates(*, user: User, institution: Institution) -> list[Candidate]:
    """Tips the user may see that seem to name the institution and are not linked yet: same
    credit code, the same core name (screening's normalisation) in the tip's 涉及机构, or the core
    name in the tip's text. Staff confirm each; nothing is linked automatically."""
    core = normalize_name(institution.name)
    needles = {institution.name}
    if core:
        needles.add(core)
    if institution.uscc:
        needles.add(institution.uscc)
    cond = Q()
    for needle in needles:
        cond |= Q(involved_institution__icontains=needle) | Q(content__icontains=needle)
    linked = InstitutionTipLink.objects.filter(institution=institution).values("tip_id")
    qs = (
        tip_list_visible_to(user=user)
        .filter(cond)
        .exclude(pk__in=linked)
        .order_by("-received_at")[: CANDIDATE_LIMIT * 3]
    )
    found: list[Candidate] = []
    for tip in qs:
        reason = _match_reason(institution, core, tip)
        if reason:
            found.append(Candidate(tip, reason))
        if len(found) >= CANDIDATE_LIMIT:
            break
    return found


def _match_reason(institution: Institution, core: str, tip: Tip) -> str:
    if institution.uscc and institution.uscc in normalize(tip.content).upper():
        return "统一社会信用代码相同"
    if tip.involved_institution:
        if tip.involved_institution.strip() == institution.name:
            return "涉及机构名称相同"
        if core and normalize_name(tip.involved_institution) == core:
            return f"涉及机构名称核心词相同（{core}）"
    text = normalize(tip.content)
    if institution.name in text:
        return "线索内容提及机构全称"
    if core and core in text:
        return f"线索内容提及机构名称核心词（{core}）"
    return ""


def cases_naming(*, user: User, institution: Institution) -> QuerySet[Any] | None:
    """Cases of the enforcement ledger that name the institution, if that ledger exists: cases
    born from the tips staff confirmed as naming it, cases whose 三书一函 concern it (by the
    letter's case number), and cases with a direct link to institutions should the ledger grow
    one; None when there is no such ledger (the section is then left out). The rectification
    ledger does not import the enforcement app (they are siblings): the model is looked up."""
    try:
        case_model = apps.get_model("enforcement", "Case")
    except LookupError:
        return None
    fields = [f for f in case_model._meta.get_fields() if f.is_relation]
    named = Q(pk__in=[])
    direct = next(
        (f.name for f in fields if f.related_model is Institution and not f.auto_created), None
    )
    if direct is not None:
        named |= Q(**{direct: institution})
    via_tips = next((f.name for f in fields if f.related_model is Tip and f.many_to_many), None)
    if via_tips is not None:
        tips = InstitutionTipLink.objects.filter(institution=institution).values("tip_id")
        named |= Q(**{f"{via_tips}__in": tips})
    if "number" in {f.name for f in case_model._meta.get_fields()}:
        numbers = (
            Letter.objects.filter(institution=institution)
            .exclude(case_number="")
            .values("case_number")
        )
        named |= Q(number__in=numbers)
    qs: QuerySet[Any] = case_model._default_manager.filter(
        pk__in=case_model._default_manager.filter(named).values("pk")
    )
    if getattr(case_model, "scope", None) is None:
        return qs if has_perm(user, Perm.CASE_VIEW) else qs.none()
    return visible(qs, user=user, perm=Perm.CASE_VIEW)


def case_by_number(*, user: User, number: str) -> models.Model | None:
    """The visible enforcement case with this number, when that ledger exists."""
    if not number:
        return None
    try:
        case_model = apps.get_model("enforcement", "Case")
    except LookupError:
        return None
    names = {f.name for f in case_model._meta.get_fields()}
    if "number" not in names or getattr(case_model, "scope", None) is None:
        return None
    qs = visible(case_model._default_manager.filter(number=number), user=user, perm=Perm.CASE_VIEW)
    found: models.Model | None = qs.first()
    return found


# -- hazards ---------------------------------------------------------------------------------------


def hazards_visible_to(*, user: User, filters: Filters | None = None) -> QuerySet[Hazard]:
    f = filters or Filters()
    qs = visible(Hazard.objects.all(), user=user, perm=VIEW)
    qs = _common(qs, f, date_field="found_on", text=("number", "problem", "institution__name"))
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.overdue:
        qs = qs.filter(state__in=OPEN_HAZARD_STATES, due_on__lt=timezone.localdate())
    return qs.select_related("region", "institution", "unit", "found_by_unit")


def access_hazard(*, user: User, pk: Any) -> Hazard:
    return access_object(
        Hazard.objects.select_related("region", "institution", "unit__region", "found_by_unit"),
        user=user,
        pk=pk,
        perm=VIEW,
    )


# -- letters ---------------------------------------------------------------------------------------


def letters_visible_to(*, user: User, filters: Filters | None = None) -> QuerySet[Letter]:
    f = filters or Filters()
    qs = visible(Letter.objects.all(), user=user, perm=VIEW)
    qs = _common(qs, f, date_field="issued_on", text=("number", "problem", "case_number"))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.sector:
        qs = qs.filter(recipient__sector=f.sector)
    if f.overdue:
        qs = qs.filter(state=LetterState.ISSUED, due_at__lte=timezone.now())
    return qs.select_related("region", "issuer", "recipient")


def access_letter(*, user: User, pk: Any) -> Letter:
    return access_object(
        Letter.objects.select_related("region", "issuer", "recipient__region"),
        user=user,
        pk=pk,
        perm=VIEW,
    )


# -- tasks -----------------------------------------------------------------------------------------


def tasks_visible_to(*, user: User, filters: Filters | None = None) -> QuerySet[Task]:
    f = filters or Filters()
    qs = visible(Task.objects.all(), user=user, perm=VIEW)
    qs = _common(qs, f, date_field="due_on", text=("number", "title", "measures", "source_note"))
    if f.kind:
        qs = qs.filter(source=f.kind)
    if f.sector:
        qs = qs.filter(lead_unit__sector=f.sector)
    if f.overdue:
        qs = qs.filter(state=TaskState.OPEN, due_at__lte=timezone.now())
    return qs.select_related("region", "lead_unit", "hazard", "letter")


def access_task(*, user: User, pk: Any) -> Task:
    return access_object(
        Task.objects.select_related(
            "region", "lead_unit__region", "created_by_unit", "hazard", "letter", "checked_by"
        ),
        user=user,
        pk=pk,
        perm=VIEW,
    )


# -- what names an institution (its page) ----------------------------------------------------------


def hazards_naming(*, user: User, institution: Institution) -> QuerySet[Hazard]:
    """Visible hazards recorded against the institution."""
    return hazards_visible_to(user=user).filter(institution=institution)


def letters_naming(*, user: User, institution: Institution) -> QuerySet[Letter]:
    """Visible letters naming the institution, or behind tasks on its hazards."""
    behind = Task.objects.filter(hazard__institution=institution).values("letter_id")
    return letters_visible_to(user=user).filter(Q(institution=institution) | Q(pk__in=behind))


def tasks_naming(*, user: User, institution: Institution) -> QuerySet[Task]:
    """Visible tasks on the institution's hazards."""
    return tasks_visible_to(user=user).filter(hazard__institution=institution)


def clusters_naming(*, user: User, institution: Institution) -> QuerySet[LinkCluster]:
    """串并 clusters (two tips or more) holding a confirmed tip of the institution that the user
    may see."""
    tips = linked_tips(user=user, institution=institution).values("pk")
    ids = ClusterMember.objects.filter(tip_id__in=tips, state=MemberState.MEMBER).values(
        "cluster_id"
    )
    return (
        LinkCluster.objects.filter(pk__in=ids, size__gte=2)
        .select_related("region")
        .order_by("-updated_at", "-id")
    )


# -- rules -----------------------------------------------------------------------------------------


def rules_visible_to(*, user: User, filters: Filters | None = None) -> QuerySet[Rule]:
    f = filters or Filters()
    qs = visible(Rule.objects.all(), user=user, perm=VIEW)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.sector:
        qs = qs.filter(unit__sector=f.sector)
    if f.date_from:
        qs = qs.filter(issued_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(issued_on__lte=f.date_to)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(doc_number__icontains=f.q))
    return qs.select_related("region", "unit", "letter", "task")


def access_rule(*, user: User, pk: Any) -> Rule:
    return access_object(
        Rule.objects.select_related("region", "unit", "letter", "task"), user=user, pk=pk, perm=VIEW
    )


# -- evidence --------------------------------------------------------------------------------------


def access_evidence(*, user: User, pk: Any) -> Evidence:
    """A file, only if the user may see the task or rule it belongs to (else 404)."""
    from django.http import Http404

    evidence = Evidence.objects.select_related("progress").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    if evidence.progress is not None:
        access_task(user=user, pk=evidence.progress.task_id)
    elif evidence.rule_id is not None:
        access_rule(user=user, pk=evidence.rule_id)
    else:
        raise Http404
    return evidence


def chases_of(item: Letter | Task) -> QuerySet[Chase]:
    return item.chases.select_related("by_unit", "to_unit").order_by("created_at", "id")


# -- what waits (workbench) ---------------------------------------------------------------------------


def hazards_to_check(*, user: User) -> QuerySet[Hazard]:
    return visible(Hazard.objects.all(), user=user, perm=Perm.RECTIFICATION_CHECK).filter(
        state=HazardState.RECTIFIED
    )


def tasks_to_check(*, user: User) -> QuerySet[Task]:
    return visible(Task.objects.all(), user=user, perm=Perm.RECTIFICATION_CHECK).filter(
        state=TaskState.SUBMITTED
    )


def letters_to_reply(*, user: User) -> QuerySet[Letter]:
    from silvershield.workflow.access import units_with

    units = [u.pk for u in units_with(user, Perm.RECTIFICATION_MANAGE)]
    return Letter.objects.filter(recipient_id__in=units, state=LetterState.ISSUED)


def tasks_to_do(*, user: User) -> QuerySet[Task]:
    from silvershield.workflow.access import units_with

    units = [u.pk for u in units_with(user, Perm.RECTIFICATION_MANAGE)]
    return Task.objects.filter(lead_unit_id__in=units, state=TaskState.OPEN)


def unlicensed(qs: QuerySet[Institution]) -> QuerySet[Institution]:
    return qs.filter(licence_status=LicenceStatus.UNLICENSED)
