"""Staff pages of the crackdown ledger: thin — parse input, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core.access import has_perm
from silvershield.core.audit import audit_record, timeline
from silvershield.core.concurrency import StaleRecordError
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm, role_has
from silvershield.core.webutil import add_service_errors, is_htmx, staff_view
from silvershield.enforcement import access, exports, money, selectors, services
from silvershield.enforcement import forms as ef
from silvershield.enforcement.models import (
    STAGE_CHAIN,
    WITHDRAWABLE,
    Case,
    CaseStage,
    Gang,
    Suspect,
    SuspectStatus,
)
from silvershield.enforcement.selectors import CaseFilters
from silvershield.geo.models import Region
from silvershield.intake.models import LinkCluster, Tip
from silvershield.intake.selectors import access_tip
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import Sector, Unit, User
from silvershield.workflow.models import VerificationReport

EXPORT_LIMIT = 50000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _home_region(user: User, perm: Perm) -> Region | None:
    regions = {
        m.unit.region
        for m in user.memberships.select_related("unit__region")
        if role_has(m.role, perm)
    }
    return regions.pop() if len(regions) == 1 else None


def _units_qs(units: list[Unit]) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(pk__in=[u.pk for u in units])
        .select_related("region")
        .order_by("region__code", "name")
    )


# -- lists and export ---------------------------------------------------------------------------------


def _filters(request: AuthedRequest) -> tuple[ef.CaseFilterForm, CaseFilters]:
    form = ef.CaseFilterForm(request.GET or None)
    form.fields["region"].root = _home_region(request.user, Perm.CASE_VIEW)  # type: ignore[attr-defined]
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, CaseFilters(
            region=d["region"],
            stage=d["stage"],
            fraud_type=d["fraud_type"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            q=d["q"].strip(),
        )
    return form, CaseFilters()


def _filters_label(form: ef.CaseFilterForm) -> str:
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value:
            f = form.fields[name]
            parts.append(f"{f.label}：{dict(getattr(f, 'choices', [])).get(value, value)}")
    return "；".join(parts)


@staff_view(Perm.CASE_VIEW)
def case_list(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.with_money(selectors.cases_visible_to(user=request.user, filters=filters))
    page = keyset_page(qs, order=("created_at", "id"), cursor=request.GET.get("cursor"), size=50)
    for case in page.items:
        case.rec = selectors.recovery_of_row(case)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": has_perm(request.user, Perm.CASE_MANAGE)
        and bool(access.police_units_for(request.user)),
    }
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "enforcement/_case_rows.html", context)
    return render(request, "enforcement/case_list.html", context)


@staff_view(Perm.CASE_VIEW)
def case_export(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.with_money(
        selectors.cases_visible_to(user=request.user, filters=filters)
    ).order_by("-created_at", "-id")
    count = qs.count()
    if count > EXPORT_LIMIT:
        messages.error(request, f"符合条件的案件有{count}件，超过单次导出上限，请缩小筛选范围。")
        return redirect(f"{reverse('enforcement:list')}?{request.GET.urlencode()}")
    label = _filters_label(form)
    content = exports.cases_xlsx(
        cases=qs.iterator(chunk_size=2000), office=request.user.unit_label(), filters_label=label
    )
    audit_record(
        actor=request.user,
        action="case.exported",
        summary=f"导出案件台账（{count}件）",
        data={"count": count, "filters": label},
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''cases-{stamp}.xlsx"
    return response


@staff_view(Perm.CASE_MANAGE)
def case_create(request: AuthedRequest) -> HttpResponse:
    police = access.police_units_for(request.user)
    if not police:
        return render(request, "enforcement/case_form.html", {"denied": True}, status=403)
    cluster_id = request.POST.get("cluster") or request.GET.get("cluster") or ""
    cluster: LinkCluster | None = None
    members: list[Tip] = []
    if cluster_id:
        if not cluster_id.isdigit():
            raise Http404
        cluster, members = selectors.cluster_tips_visible_to(
            user=request.user, cluster_id=int(cluster_id)
        )
    form = ef.CaseCreateForm(request.POST or None)
    form.fields["owner_unit"].queryset = _units_qs(police)  # type: ignore[attr-defined]
    form.fields["region"].root = _home_region(request.user, Perm.CASE_MANAGE)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_create(
                tips=members,
                cluster=cluster,
                actor=request.user,
                owner_unit=d["owner_unit"],
                number=d["number"],
                name=d["name"],
                fraud_type=d["fraud_type"],
                region=d["region"],
                filed_on=d["filed_on"],
                amount_involved=d["amount_involved"],
                victim_loss=d["victim_loss"],
                victim_count=d["victim_count"],
                elderly_victim_count=d["elderly_victim_count"],
                summary=d["summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("owner_unit", "您无权为该单位登记案件")
        else:
            messages.success(request, f"已立案：{case.number}")
            return redirect("enforcement:detail", pk=case.pk)
    return render(
        request,
        "enforcement/case_form.html",
        {"form": form, "cluster": cluster, "members": members},
    )


# -- the case page and its actions ----------------------------------------------------------------------


@dataclass
class CaseWork:
    """What one user may do on one case now."""

    user: User
    case: Case
    police_side: bool = False
    stages: list[str] = field(default_factory=list)
    any_unit: bool = False
    suspects: list[Suspect] = field(default_factory=list)
    gangs: list[Gang] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, user: User, case: Case) -> CaseWork:
        work = cls(user, case)
        units = access.case_units(user, case)
        work.any_unit = bool(units)
        work.police_side = any(u.sector in access.POLICE_SIDE for u in units)
        allowed = access.stages_for(user, case) if units else set()
        current = CaseStage(case.stage)
        possible: list[str] = []
        if current in STAGE_CHAIN and current != CaseStage.JUDGED:
            possible.append(STAGE_CHAIN[STAGE_CHAIN.index(current) + 1])
        if current in WITHDRAWABLE:
            possible.append(CaseStage.WITHDRAWN)
        work.stages = [s for s in possible if s in allowed]
        work.suspects = list(selectors.suspects_of(case=case))
        work.gangs = list(selectors.gangs_of(case=case))
        work.actions = work._actions()
        return work

    def _actions(self) -> list[str]:
        actions: list[str] = []
        if self.stages:
            actions.append("stage")
        if self.any_unit:
            actions.append("recovery")
        if self.police_side:
            actions += ["edit", "suspect"]
            if any(s.status == SuspectStatus.AT_LARGE for s in self.suspects):
                actions.append("catch")
            actions += ["tip", "gang_new"]
            if self._linkable_gangs():
                actions.append("gang_link")
            if any(g.broken_on is None for g in self.gangs):
                actions.append("gang_broken")
            if selectors.reviews_of(case=self.case).filter(reviewed_on__isnull=True).exists():
                actions.append("cold_review")
            else:
                actions.append("cold_flag")
        return actions

    def _linkable_gangs(self) -> list[Gang]:
        linked = {g.pk for g in self.gangs}
        return [
            g
            for g in selectors.gangs_visible_to(user=self.user).order_by("-id")[:200]
            if g.pk not in linked
        ]

    def open_review(self) -> Any:
        review = selectors.reviews_of(case=self.case).filter(reviewed_on__isnull=True).first()
        if review is None:
            raise ValidationError({"__all__": "该案件没有进行中的回头看"})
        return review

    def suspect_choices(self) -> list[tuple[str, str]]:
        return [(str(s.pk), f"{s.name}（{s.get_status_display()}）") for s in self.suspects]

    def members(self, ids: list[str]) -> list[Suspect]:
        chosen = {int(i) for i in ids}
        return [s for s in self.suspects if s.pk in chosen]

    def gang(self, gang_id: str, *, linked: bool) -> Gang:
        pool = self.gangs if linked else self._linkable_gangs()
        for g in pool:
            if str(g.pk) == gang_id:
                return g
        raise ValidationError({"gang": "请选择团伙"})


Runner = Callable[[CaseWork, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    label: str
    form: type[forms.Form]
    run: Runner
    button: str = "提交"


def _to_unit(work: CaseWork, data: dict[str, Any]) -> Unit | None:
    unit: Unit | None = data.get("to_unit")
    return unit


def _release_exact(work: CaseWork, data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Releasing from a chosen record draws the whole return from it (the service checks it)."""
    chosen = data.get("release_from") or ""
    if not chosen:
        return []
    for record, _ in selectors.secured_with_outstanding(case=work.case):
        if str(record.pk) == chosen:
            return [(record, data["amount"])]
    raise ValidationError({"release_from": "所选的冻结/扣押记录已无剩余金额"})


ACTIONS: dict[str, Action] = {
    "stage": Action(
        "登记诉讼阶段",
        ef.StageForm,
        lambda w, d: services.case_advance(
            actor=w.user,
            case=w.case,
            stage=d["stage"],
            on=d["on"],
            outcome=d["outcome"],
            to_unit=_to_unit(w, d),
            expected_version=d["version"],
        ),
    ),
    "recovery": Action(
        "登记追赃挽损",
        ef.RecoveryForm,
        lambda w, d: services.recovery_record(
            actor=w.user,
            case=w.case,
            kind=d["kind"],
            amount=d["amount"],
            on=d["on"],
            note=d["note"],
            releases=_release_exact(w, d),
            over_loss_reason=d["over_loss_reason"],
        ),
    ),
    "edit": Action(
        "修改案件信息",
        ef.CaseEditForm,
        lambda w, d: services.case_update(
            actor=w.user,
            case=w.case,
            expected_version=d["version"],
            name=d["name"],
            fraud_type=d["fraud_type"],
            summary=d["summary"],
            amount_involved=d["amount_involved"],
            victim_loss=d["victim_loss"],
            victim_count=d["victim_count"],
            elderly_victim_count=d["elderly_victim_count"],
            over_recovery_reason=d["over_recovery_reason"],
        ),
    ),
    "suspect": Action(
        "登记犯罪嫌疑人",
        ef.SuspectForm,
        lambda w, d: services.suspect_add(
            actor=w.user,
            case=w.case,
            name=d["name"],
            status=d["status"],
            caught_on=d["caught_on"],
            note=d["note"],
        ),
    ),
    "catch": Action(
        "在逃人员到案",
        ef.CatchForm,
        lambda w, d: services.suspect_catch(
            actor=w.user,
            suspect=selectors.access_suspect(case=w.case, suspect_id=d["suspect"]),
            on=d["on"],
        ),
    ),
    "tip": Action(
        "关联线索",
        ef.TipLinkForm,
        lambda w, d: services.case_link_tip(actor=w.user, case=w.case, tip=_find_tip(w, d["tip"])),
    ),
    "gang_new": Action(
        "认定犯罪团伙",
        ef.GangForm,
        lambda w, d: services.gang_create(
            actor=w.user, case=w.case, name=d["name"], members=w.members(d["members"])
        ),
    ),
    "gang_link": Action(
        "关联已认定的团伙",
        ef.GangLinkForm,
        lambda w, d: services.gang_link_case(
            actor=w.user,
            gang=w.gang(d["gang"], linked=False),
            case=w.case,
            members=w.members(d["members"]),
        ),
    ),
    "gang_broken": Action(
        "团伙打掉",
        ef.BrokenForm,
        lambda w, d: services.gang_mark_broken(
            actor=w.user, gang=w.gang(d["gang"], linked=True), on=d["on"]
        ),
    ),
    "cold_flag": Action(
        "列为陈案积案（回头看）",
        ef.ColdFlagForm,
        lambda w, d: services.cold_case_flag(
            actor=w.user, case=w.case, reason=d["reason"], due_on=d["due_on"]
        ),
    ),
    "cold_review": Action(
        "完成回头看",
        ef.ColdReviewForm,
        lambda w, d: services.cold_case_review(
            actor=w.user, review=w.open_review(), outcome=d["outcome"], reviewed_on=d["reviewed_on"]
        ),
    ),
}


def _find_tip(work: CaseWork, number: str) -> Tip:
    from silvershield.intake.selectors import tip_list_visible_to

    tip = tip_list_visible_to(user=work.user).filter(number=number.strip()).first()
    if tip is None:
        raise ValidationError({"tip": "在您的管辖范围内找不到该编号的线索"})
    return tip


def _stage_targets(work: CaseWork) -> QuerySet[Unit]:
    sectors = []
    if CaseStage.REFERRED in work.stages:
        sectors.append(Sector.PROCURATORATE)
    if CaseStage.PROSECUTED in work.stages:
        sectors.append(Sector.COURT)
    qs = Unit.objects.filter(sector__in=sectors, is_active=True).select_related("region")
    region = work.case.owner_unit.region
    if region is not None and region.parent is not None:
        # The case's own level and the level above (an intermediate court, a city procuratorate).
        qs = qs.filter(region__path__startswith=region.parent.path)
    return qs.order_by("region__code", "name")


def _form(name: str, work: CaseWork, data: Any = None) -> forms.Form:
    case = work.case
    today = timezone.localdate()
    initial: dict[str, Any] = {"version": case.version, "on": today}
    if name == "edit":
        initial.update({f: getattr(case, f) for f in services.CASE_FACT_FIELDS})
    if name == "cold_review":
        initial["reviewed_on"] = today
    form = ACTIONS[name].form(data, initial=initial)
    if name == "stage":
        form.fields["stage"].choices = [(s, CaseStage(s).label) for s in work.stages]  # type: ignore[attr-defined]
        form.fields["to_unit"].queryset = _stage_targets(work)  # type: ignore[attr-defined]
    elif name == "recovery":
        form.fields["release_from"].choices = [  # type: ignore[attr-defined]
            ("", "不释放（直接退赔）"),
            *[
                (
                    str(r.pk),
                    f"{r.get_kind_display()} {r.on:%Y-%m-%d} 尚余{money.yuan(left)}",
                )
                for r, left in selectors.secured_with_outstanding(case=case)
            ],
        ]
    elif name == "catch":
        form.fields["suspect"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), s.name) for s in work.suspects if s.status == SuspectStatus.AT_LARGE
        ]
    elif name in ("gang_new", "gang_link"):
        form.fields["members"].choices = work.suspect_choices()  # type: ignore[attr-defined]
        if name == "gang_link":
            form.fields["gang"].choices = [  # type: ignore[attr-defined]
                (str(g.pk), f"{g.name}（{g.owner_unit.name}）") for g in work._linkable_gangs()
            ]
    elif name == "gang_broken":
        form.fields["gang"].choices = [  # type: ignore[attr-defined]
            (str(g.pk), g.name) for g in work.gangs if g.broken_on is None
        ]
    return form


def _context(work: CaseWork, failed: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    case = work.case
    blocks = [
        {
            "name": name,
            "spec": ACTIONS[name],
            "form": failed[1] if failed and failed[0] == name else _form(name, work),
            "open": bool(failed and failed[0] == name),
        }
        for name in work.actions
    ]
    suspects = work.suspects
    return {
        "case": case,
        "work": work,
        "blocks": blocks,
        "recovery": selectors.case_recovery(case=case),
        "recoveries": list(selectors.recoveries_of(case=case)),
        "suspects": suspects,
        "suspect_counts": {
            "total": len(suspects),
            "caught": sum(1 for s in suspects if s.status != SuspectStatus.AT_LARGE),
            "fugitives_caught": sum(
                1 for s in suspects if s.status == SuspectStatus.FUGITIVE_CAUGHT
            ),
            "at_large": sum(1 for s in suspects if s.status == SuspectStatus.AT_LARGE),
        },
        "gangs": work.gangs,
        "tips": selectors.tips_of(case=case, user=work.user),
        "reviews": list(selectors.reviews_of(case=case)),
        "events": timeline(obj=case),
        "today": timezone.localdate(),
    }


@staff_view(Perm.CASE_VIEW)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=pk)
    return render(
        request, "enforcement/case_detail.html", _context(CaseWork.of(request.user, case))
    )


@require_POST
@staff_view(Perm.CASE_MANAGE)
def case_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    case = selectors.access_case(user=request.user, case_id=pk, for_write=True)
    work = CaseWork.of(request.user, case)
    if action not in work.actions:
        raise PermissionDenied
    form = _form(action, work, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(work, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleRecordError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error(None, "您无权执行该操作")
        else:
            messages.success(request, f"已完成：{ACTIONS[action].label}")
            url = reverse("enforcement:detail", args=[case.pk])
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    case.refresh_from_db()
    context = _context(CaseWork.of(request.user, case), failed=(action, form))
    if is_htmx(request):
        return render(request, "enforcement/_actions.html", context)
    return render(request, "enforcement/case_detail.html", context)


# -- gangs and cold cases -----------------------------------------------------------------------------


@staff_view(Perm.CASE_VIEW)
def gang_list(request: AuthedRequest) -> HttpResponse:
    gangs = selectors.gangs_visible_to(user=request.user).prefetch_related("cases", "members")
    page = keyset_page(gangs, order=("created_at", "id"), cursor=request.GET.get("cursor"))
    return render(request, "enforcement/gang_list.html", {"page": page})


@staff_view(Perm.CASE_VIEW)
def gang_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    gang = selectors.access_gang(user=request.user, gang_id=pk)
    visible_cases = selectors.cases_visible_to(user=request.user)
    cases = list(gang.cases.filter(pk__in=visible_cases.values("pk")).select_related("region"))
    hidden = gang.cases.count() - len(cases)
    members = list(gang.members.filter(case__in=visible_cases.values("pk")).select_related("case"))
    return render(
        request,
        "enforcement/gang_detail.html",
        {
            "gang": gang,
            "cases": cases,
            "hidden_cases": hidden,
            "members": members,
            "member_count": gang.members.count(),
            "events": timeline(obj=gang),
        },
    )


@staff_view(Perm.CASE_VIEW)
def cold_list(request: AuthedRequest) -> HttpResponse:
    reviews = list(selectors.open_reviews(user=request.user)[:500])
    return render(
        request,
        "enforcement/cold_list.html",
        {"reviews": reviews, "today": timezone.localdate()},
    )


# -- the tip page: cases of the tip and 由核查报告立案 -------------------------------------------------


def _offer(user: User, tip: Tip) -> VerificationReport | None:
    """The report a case may be filed from, when the tip has none yet and the user may file."""
    if tip.case_links.exists() or not has_perm(user, Perm.CASE_MANAGE):
        return None
    for report in VerificationReport.objects.filter(tip=tip).order_by("-submitted_at", "-id"):
        if services.report_offers_case(report):
            return report if access.police_units_for(user) else None
    return None


def _from_report_form(
    user: User, report: VerificationReport, data: Any = None
) -> ef.FromReportForm:
    police = access.police_units_for(user)
    initial: dict[str, Any] = {
        "filed_on": timezone.localtime(report.submitted_at).date(),
        "name": report.tip.display_title,
    }
    if any(u.pk == report.unit_id for u in police):
        initial["owner_unit"] = report.unit_id
    elif len(police) == 1:
        initial["owner_unit"] = police[0].pk
    form = ef.FromReportForm(data, initial=initial)
    form.fields["owner_unit"].queryset = _units_qs(police)  # type: ignore[attr-defined]
    return form


def _panel(request: HttpRequest, tip: Tip, form: ef.FromReportForm | None = None) -> str:
    user = request.user
    assert isinstance(user, User)
    report = _offer(user, tip)
    if report is not None and form is None:
        form = _from_report_form(user, report)
    return render_to_string(
        "enforcement/_tip_panel.html",
        {
            "tip": tip,
            "cases": list(selectors.cases_of_tip(user=user, tip=tip)),
            "report": report,
            "form": form,
        },
        request=request,
    )


def tip_panel(request: HttpRequest, tip: Any) -> str:
    """The cases section of the tip page (registered with intake.panels)."""
    user = request.user
    if not isinstance(user, User) or not has_perm(user, Perm.CASE_VIEW):
        return ""
    return _panel(request, tip)


@require_POST
@staff_view(Perm.CASE_MANAGE)
def case_from_report(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = VerificationReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    tip = access_tip(user=request.user, tip_id=report.tip_id)
    form = _from_report_form(request.user, report, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_create_from_report(
                actor=request.user,
                report=report,
                owner_unit=d["owner_unit"],
                number=d["number"],
                filed_on=d["filed_on"],
                name=d["name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("owner_unit", "您无权为该单位登记案件")
        else:
            messages.success(request, f"已由核查报告立案：{case.number}")
            url = reverse("enforcement:detail", args=[case.pk])
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    html = _panel(request, tip, form)
    if is_htmx(request):
        return HttpResponse(html)
    return render(request, "enforcement/from_report.html", {"panel": html, "tip": tip})
