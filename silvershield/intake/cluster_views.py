"""Pages for automatic screening (a panel on the tip page, corrections) and 串并 clusters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from silvershield.core.access import has_perm, in_scope, visible
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Perm
from silvershield.core.webutil import staff_view
from silvershield.intake import autoscreen, clusters
from silvershield.intake.models import (
    ClusterMember,
    LinkCluster,
    MemberState,
    Tip,
    TipLinkKey,
    TipScreening,
)
from silvershield.intake.selectors import access_tip
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import User


class CorrectionForm(forms.Form):
    is_relevant = forms.TypedChoiceField(
        label="是否属于养老诈骗",
        choices=[("1", "属于"), ("0", "不属于")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    fraud_type = forms.ChoiceField(label="诈骗类型", choices=FraudType.choices)
    note = forms.CharField(label="说明（可不填）", max_length=200, required=False)


class SplitForm(forms.Form):
    tip = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="拆分理由", max_length=200)


def screening_panel(request: HttpRequest, tip: Any) -> str:
    """The automatic screening on the tip page (registered with intake.panels)."""
    user = request.user
    if not isinstance(user, User):
        return ""
    screening = TipScreening.objects.filter(tip=tip).first()
    membership = ClusterMember.objects.filter(tip=tip).select_related("cluster").first()
    context = {
        "tip": tip,
        "screening": screening,
        "membership": membership,
        "can_correct": screening is not None and in_scope(tip, user=user, perm=Perm.TIP_SCREEN),
        "form": CorrectionForm(
            initial={
                "is_relevant": "1" if screening and screening.is_relevant else "0",
                "fraud_type": screening.fraud_type if screening else "",
            }
        ),
    }
    return render_to_string("intake/_screening_panel.html", context, request=request)


@require_POST
@staff_view(Perm.TIP_SCREEN)
def screening_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = access_tip(user=request.user, tip_id=pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            autoscreen.screening_correct(actor=request.user, tip=tip, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied:
            messages.error(request, "您无权更正该线索的甄别结果")
        else:
            messages.success(request, "已更正自动甄别结果（作为标注数据保存）")
    else:
        messages.error(request, "请选择是否属于养老诈骗及其类型")
    return redirect("intake:detail", pk=tip.pk)


def clusters_visible_to(*, user: User) -> QuerySet[LinkCluster]:
    """Clusters with at least one tip the user may see."""
    tips = visible(Tip.objects.all(), user=user, perm=Perm.TIP_VIEW).values("pk")
    ids = ClusterMember.objects.filter(tip_id__in=tips).values("cluster_id")
    return LinkCluster.objects.filter(pk__in=ids).select_related("region")


@staff_view(Perm.TIP_VIEW)
def cluster_list(request: AuthedRequest) -> HttpResponse:
    qs = clusters_visible_to(user=request.user).filter(size__gte=2)
    if request.GET.get("spans") == "1":
        qs = qs.filter(spans_regions=True)
    if request.GET.get("open") == "1":
        qs = qs.filter(confirmed_at__isnull=True)
    return render(request, "intake/cluster_list.html", {"clusters": list(qs[:300])})


@staff_view(Perm.TIP_VIEW)
def cluster_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = clusters_visible_to(user=request.user).filter(pk=pk).first()
    if cluster is None:
        raise Http404
    members = list(
        ClusterMember.objects.filter(cluster=cluster).select_related(
            "tip", "tip__region", "tip__owner_unit"
        )
    )
    visible_ids = set(
        visible(
            Tip.objects.filter(pk__in=[m.tip_id for m in members]),
            user=request.user,
            perm=Perm.TIP_VIEW,
        ).values_list("pk", flat=True)
    )
    shown = [m for m in members if m.tip_id in visible_ids]
    active = [m for m in shown if m.state == MemberState.MEMBER]
    keys: dict[str, list[int]] = {}
    rows = TipLinkKey.objects.filter(tip_id__in=[m.tip_id for m in active]).exclude(
        key__startswith="band:"
    )
    for key, tip_id in rows.values_list("key", "tip_id"):
        keys.setdefault(key, []).append(tip_id)
    shared = {k: v for k, v in keys.items() if len(v) > 1}
    graph = {
        "nodes": [
            {"id": f"t{m.tip_id}", "name": m.tip.number, "category": 0, "url": f"/tips/{m.tip_id}/"}
            for m in active
        ]
        + [{"id": k, "name": clusters.key_label(k), "category": 1} for k in shared],
        "links": [{"source": f"t{t}", "target": k} for k, ids in shared.items() for t in ids],
    }
    total = sum((m.tip.money_amount or Decimal(0) for m in active), Decimal(0))
    context = {
        "cluster": cluster,
        "members": shown,
        "hidden": len(members) - len(shown),
        "regions": sorted({m.tip.region.full_name for m in active}),
        "units": sorted({m.tip.owner_unit.name for m in active}),
        "total": total,
        "shared": [
            (clusters.key_label(k), len(v))
            for k, v in sorted(shared.items(), key=lambda kv: -len(kv[1]))
        ],
        "graph": graph,
        "split_form": SplitForm(),
        "can_act": any(in_scope(m.tip, user=request.user, perm=Perm.TIP_SCREEN) for m in shown),
        # Police (and offices) may file one case from the whole cluster (enforcement app).
        "can_file_case": has_perm(request.user, Perm.CASE_MANAGE),
    }
    return render(request, "intake/cluster_detail.html", context)


@require_POST
@staff_view(Perm.TIP_SCREEN)
def cluster_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    cluster = clusters_visible_to(user=request.user).filter(pk=pk).first()
    if cluster is None:
        raise Http404
    try:
        if action == "confirm":
            clusters.cluster_confirm(actor=request.user, cluster=cluster)
            messages.success(request, "已确认串并")
        elif action in ("split", "unsplit"):
            tip = access_tip(user=request.user, tip_id=request.POST.get("tip", ""))
            if action == "split":
                reason = request.POST.get("reason", "")
                clusters.cluster_split(actor=request.user, cluster=cluster, tip=tip, reason=reason)
                messages.success(request, f"已将 {tip.number} 拆出")
            else:
                clusters.cluster_unsplit(actor=request.user, cluster=cluster, tip=tip)
                messages.success(request, f"已撤销拆分，{tip.number} 重新加入")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied:
        messages.error(request, "您无权处理该串并组")
    return redirect("intake:cluster_detail", pk=cluster.pk)
