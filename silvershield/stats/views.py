from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.core.audit import audit_record
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, staff_view
from silvershield.orgs.http import AuthedRequest
from silvershield.stats import figures, ledgers, listings, selectors, services
from silvershield.stats.dashboard import dashboard_build
from silvershield.stats.figures import Slice
from silvershield.stats.forms import DashboardForm, RankingForm, StatsFilterForm, WeightsForm
from silvershield.stats.models import IndicatorWeight, RankingKind
from silvershield.stats.rankings import active_campaign, change_text, ranking_for
from silvershield.stats.registry import UnknownIndicator, indicator, rankable, record_set
from silvershield.stats.sections import sections_build
from silvershield.stats.selectors import StatsInputError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 50000


def _slice(request: AuthedRequest, form: StatsFilterForm) -> Slice:
    """The region and period asked for, checked (StatsInputError carries the Chinese message)."""
    if form.is_bound and not form.is_valid():
        raise StatsInputError("；".join(str(e) for errs in form.errors.values() for e in errs))
    data = form.cleaned_data if form.is_bound else {}
    region = selectors.region_for(
        user=request.user, code=data.get("region") or request.GET.get("region")
    )
    period = selectors.period_for(start=data.get("date_from"), end=data.get("date_to"))
    return Slice(user=request.user, region=region, period=period)


def _home(request: AuthedRequest) -> Any:
    try:
        return selectors.home_region(user=request.user)
    except StatsInputError:
        return None


@staff_view(Perm.STATS_VIEW)
def dashboard(request: AuthedRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None, home=_home(request))
    context: dict[str, Any] = {"form": form}
    try:
        sl = _slice(request, form)
        tile_code = request.GET.get("indicator") or "close_rate"
        indicator(tile_code)
        context["board"] = dashboard_build(
            user=request.user, region=sl.region, period=sl.period, tile_code=tile_code
        )
        context["sections"] = sections_build(sl)
    except (StatsInputError, UnknownIndicator) as exc:
        context["error"] = str(exc.args[0]) if exc.args else str(exc)
        return render(request, "stats/dashboard.html", context, status=400)
    return render(request, "stats/dashboard.html", context)


def _records_slice(request: AuthedRequest) -> tuple[Any, Slice]:
    form = StatsFilterForm(request.GET or None, home=_home(request))
    sl = _slice(request, form)
    unit = selectors.unit_for(user=request.user, unit_id=request.GET.get("unit"))
    channel = request.GET.get("channel", "")[:16]
    fraud_type = request.GET.get("fraud_type", "")[:24]
    return form, sl.narrowed(unit=unit, channel=channel, fraud_type=fraud_type)


@staff_view(Perm.STATS_VIEW)
def records(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        rs = record_set(code)
        _, sl = _records_slice(request)
    except (StatsInputError, UnknownIndicator) as exc:
        return render(request, "stats/records.html", {"error": str(exc.args[0])}, status=400)
    qs = figures.records(rs, sl)
    total = qs.count()
    cursor = request.GET.get("cursor")
    listing = None
    if rs.list_columns == "tips":
        qs = qs.select_related("region", "owner_unit")
        page = keyset_page(qs, order=("received_at", "id"), cursor=cursor)
    elif rs.list_columns == "transfers":
        qs = qs.select_related("tip", "tip__region", "lead_unit", "from_unit", "signed_by")
        page = keyset_page(qs, order=("due_at", "id"), cursor=cursor)
    else:
        listing = listings.listing(rs.list_columns)
        page = keyset_page(listing.rows(qs), order=("created_at", "id"), cursor=cursor)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "record_set": rs,
        "slice": sl,
        "total": total,
        "page": page,
        "query": query.urlencode(),
        "now": timezone.now(),
        "rows": page.items,
        "headers": listing.headers if listing else (),
        "cells": [(listing.url(r), listing.cells(r)) for r in page.items] if listing else [],
    }
    return render(request, "stats/records.html", context)


@staff_view(Perm.STATS_VIEW)
def records_export(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        rs = record_set(code)
        _, sl = _records_slice(request)
    except (StatsInputError, UnknownIndicator) as exc:
        return render(request, "stats/records.html", {"error": str(exc.args[0])}, status=400)
    qs = figures.records(rs, sl)
    count = qs.count()
    if count > EXPORT_LIMIT:
        messages.error(request, f"共{count}条，超过单次导出上限{EXPORT_LIMIT}条，请缩小范围。")
        return redirect(f"{reverse('stats:records', args=[code])}?{request.GET.urlencode()}")
    where = sl.region.full_name if sl.region else "全国"
    context = f"{where}；统计期：{sl.period.label()}" + (
        f"；单位：{sl.unit.name}" if sl.unit else ""
    )
    title = f"{rs.label}台账"
    office = request.user.unit_label()
    if rs.list_columns in ("tips", "transfers"):
        if rs.list_columns == "tips":
            qs = qs.select_related("region", "owner_unit").order_by("-received_at", "-id")
        else:
            qs = qs.select_related(
                "tip", "tip__region", "lead_unit", "from_unit", "signed_by"
            ).order_by("due_at", "id")
        content = ledgers.ledger_xlsx(
            kind=rs.list_columns,
            title=title,
            office=office,
            context=context,
            rows=qs.iterator(chunk_size=2000),
        )
    else:
        listing = listings.listing(rs.list_columns)
        rows = listing.rows(qs).order_by("-created_at", "-id").iterator(chunk_size=2000)
        content = listing.xlsx(rows=rows, title=title, office=office, context=context)
    audit_record(
        actor=request.user,
        action="stats.ledger_exported",
        summary=f"导出{rs.label}台账（{count}条）",
        data={"set": rs.code, "count": count, "context": context},
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(rs.label)}-{stamp}.xlsx"
    return response


@staff_view(Perm.STATS_VIEW)
def rankings(request: AuthedRequest) -> HttpResponse:
    form = RankingForm(request.GET or None, home=_home(request))
    context: dict[str, Any] = {"form": form}
    try:
        sl = _slice(request, form)
        kind = (form.cleaned_data.get("kind") if form.is_bound else "") or RankingKind.REGION
        campaign = (
            form.cleaned_data.get("campaign") if form.is_bound else None
        ) or active_campaign()
        data = ranking_for(
            user=request.user, region=sl.region, kind=kind, period=sl.period, campaign=campaign
        )
    except StatsInputError as exc:
        context["error"] = str(exc)
        return render(request, "stats/rankings.html", context, status=400)
    inds = [indicator(c) for c in data["indicators"]]
    rows = []
    for r in data["rows"]:
        cells = []
        for ind in inds:
            fig = r["figures"][ind.code]
            cells.append({**fig, "text": ind.format(fig["value"])})
        rows.append({**r, "cells": cells, "change_text": change_text(r.get("change"))})
    context.update(
        {
            "slice": sl,
            "kind": kind,
            "campaign": campaign,
            "indicators": inds,
            "rows": rows,
            "weights": [{**w, "name": indicator(w["indicator"]).name} for w in data["weights"]],
            "snapshot_id": data.get("snapshot_id"),
        }
    )
    return render(request, "stats/rankings.html", context)


@staff_view(Perm.CAMPAIGN_MANAGE)
def weights(request: AuthedRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.all())
    chosen = request.GET.get("campaign") or request.POST.get("campaign")
    campaign = next((c for c in campaigns if str(c.pk) == chosen), None) or (
        active_campaign() or (campaigns[0] if campaigns else None)
    )
    if campaign is None:
        return render(request, "stats/weights.html", {"error": "尚未建立专项行动，无法设置权重"})
    current = {
        w.indicator: (w.weight, w.normalisation)
        for w in IndicatorWeight.objects.filter(campaign=campaign)
    }
    form = WeightsForm(request.POST or None, initial_weights=current)
    if request.method == "POST" and form.is_valid():
        rows = form.rows()
        if form.is_valid():
            try:
                services.weights_save(actor=request.user, campaign=campaign, weights=rows)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "考核权重已保存")
                return redirect(f"{reverse('stats:weights')}?campaign={campaign.pk}")
    return render(
        request,
        "stats/weights.html",
        {"form": form, "campaign": campaign, "campaigns": campaigns, "indicators": rankable()},
    )


@staff_view(Perm.STATS_VIEW)
def indicators_page(request: AuthedRequest) -> HttpResponse:
    from silvershield.stats.registry import indicators

    return render(request, "stats/indicators.html", {"indicators": indicators()})
