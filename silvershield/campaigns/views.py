from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from silvershield.campaigns import services
from silvershield.campaigns.forms import CampaignPolicyForm
from silvershield.campaigns.models import Campaign
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, staff_view
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import Sector


class RoutingRuleForm(forms.Form):
    fraud_type = forms.ChoiceField(
        label="诈骗类型", choices=[c for c in FraudType.choices if c[0] != FraudType.NONE]
    )
    sector = forms.ChoiceField(
        label="牵头领域", choices=[c for c in Sector.choices if c[0] != Sector.OFFICE]
    )


@staff_view(Perm.CAMPAIGN_MANAGE)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "campaigns/campaign_list.html", {"campaigns": Campaign.objects.all()})


@staff_view(Perm.CAMPAIGN_MANAGE)
def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignPolicyForm(request.POST if "save" in request.POST else None, instance=campaign)
    rule_form = RoutingRuleForm(request.POST if "rule" in request.POST else None)
    if request.method == "POST":
        if "save" in request.POST and form.is_valid():
            try:
                services.campaign_update(
                    actor=request.user,
                    campaign=Campaign.objects.get(pk=campaign.pk),
                    **{f: form.cleaned_data[f] for f in services.POLICY_FIELDS},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("campaigns:edit", pk=campaign.pk)
        if "rule" in request.POST and rule_form.is_valid():
            try:
                services.routing_rule_set(
                    actor=request.user, campaign=campaign, **rule_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(rule_form, exc)
            else:
                messages.success(request, "已保存分流规则。")
                return redirect("campaigns:edit", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_edit.html",
        {
            "campaign": campaign,
            "form": form,
            "rule_form": rule_form,
            "rules": campaign.routing_rules.all(),
        },
    )
