from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from silvershield.campaigns.models import Campaign
from silvershield.geo.models import Region
from silvershield.stats.models import Normalisation, RankingKind
from silvershield.stats.registry import indicators, rankable


class DateInput(forms.DateInput):
    input_type = "date"


def region_choices(home: Region | None) -> list[tuple[str, str]]:
    """The user's own region and up to two levels below it."""
    if home is None:
        return [("", "全国")] + [
            (r.code, r.name) for r in Region.objects.filter(parent__isnull=True).order_by("code")
        ]
    below = Region.objects.filter(path__startswith=home.path, level__lte=home.level + 2).exclude(
        pk=home.pk
    )
    return [(home.code, home.full_name)] + [
        (r.code, "　" * (r.level - home.level) + r.name) for r in below.order_by("path")
    ]


class StatsFilterForm(forms.Form):
    # A plain field with a select: the region is checked against the user's scope by the
    # selectors (with their own messages), and a drill-down may name any visible region.
    region = forms.CharField(label="地区", required=False, max_length=12, widget=forms.Select)
    date_from = forms.DateField(label="统计期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)

    def __init__(self, *args: Any, home: Region | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = region_choices(home)


class DashboardForm(StatsFilterForm):
    indicator = forms.CharField(
        label="地区色块按", required=False, max_length=40, widget=forms.Select
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].widget.choices = [(i.code, i.name) for i in indicators()]


class RankingForm(StatsFilterForm):
    kind = forms.ChoiceField(label="排名对象", choices=RankingKind.choices, required=False)
    campaign = forms.ModelChoiceField(
        label="专项行动（权重）",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="当前专项行动",
    )


class WeightsForm(forms.Form):
    """One row per rankable indicator: used or not, weight, normalisation."""

    def __init__(
        self, *args: Any, initial_weights: dict[str, tuple[Decimal, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for ind in rankable():
            current = initial_weights.get(ind.code)
            self.fields[f"use_{ind.code}"] = forms.BooleanField(
                label=f"{ind.name}（{ind.unit}，{'越高越好' if ind.direction == 'higher' else '越低越好'}）",
                required=False,
                initial=current is not None,
                help_text=ind.description,
            )
            self.fields[f"weight_{ind.code}"] = forms.DecimalField(
                label=f"{ind.name}权重",
                required=False,
                min_value=Decimal("0.01"),
                max_value=Decimal(100),
                decimal_places=2,
                initial=current[0] if current else None,
            )
            self.fields[f"norm_{ind.code}"] = forms.ChoiceField(
                label=f"{ind.name}计分方法",
                choices=Normalisation.choices,
                required=False,
                initial=current[1] if current else Normalisation.MIN_MAX,
            )

    def rows(self) -> list[tuple[str, Decimal, str]]:
        out = []
        for ind in rankable():
            if self.cleaned_data.get(f"use_{ind.code}"):
                weight = self.cleaned_data.get(f"weight_{ind.code}")
                if weight is None:
                    self.add_error(f"weight_{ind.code}", "选用的指标请填写权重")
                    continue
                how = self.cleaned_data.get(f"norm_{ind.code}") or Normalisation.MIN_MAX
                out.append((ind.code, weight, how))
        return out

    def grouped(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"use_{i.code}"], self[f"weight_{i.code}"], self[f"norm_{i.code}"])
            for i in rankable()
        ]


class WeeklyForm(forms.Form):
    office = forms.ChoiceField(label="发文单位")
    week = forms.DateField(label="统计周（该周任一天）", widget=DateInput)
    narrative = forms.CharField(
        label="工作分析（文字，不含数字）",
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="各项数字由系统计算列在前文；此处只写分析、措施和下步打算，不要自填数字。",
    )


class BulletinForm(forms.Form):
    office = forms.ChoiceField(label="发文单位")
    date_from = forms.DateField(label="排名期自", widget=DateInput)
    date_to = forms.DateField(label="至", widget=DateInput)
    campaign = forms.ModelChoiceField(
        label="专项行动（权重）",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="当前专项行动",
    )
