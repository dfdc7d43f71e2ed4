from __future__ import annotations

from decimal import Decimal

from django import forms

from silvershield.core.choices import FraudType
from silvershield.geo.forms import RegionCascadeField
from silvershield.intake.models import Channel, TipState

STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c not in {Channel.PORTAL, Channel.GRID}]


class DateInput(forms.DateInput):
    """A native date picker; values must be ISO (the zh-Hans locale would write 2026/11/25, which
    browsers' date inputs reject)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TipFilterForm(forms.Form):
    region = RegionCascadeField(label="地区", required=False)
    channel = forms.ChoiceField(
        label="渠道", choices=[("", "全部渠道"), *Channel.choices], required=False
    )
    fraud_type = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *FraudType.choices], required=False
    )
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *TipState.choices], required=False
    )
    date_from = forms.DateField(label="受理日期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)
    q = forms.CharField(label="关键词", required=False, max_length=100)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data


class TipCreateForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=STAFF_CHANNELS, initial=Channel.PHONE)
    region = RegionCascadeField(label="事发地区（可选到乡镇街道）")
    title = forms.CharField(label="标题（可不填）", max_length=100, required=False)
    content = forms.CharField(
        label="线索内容", max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    involved_institution = forms.CharField(label="涉及机构/公司", max_length=200, required=False)
    involved_person = forms.CharField(label="涉及人员", max_length=100, required=False)
    involved_phone = forms.CharField(label="涉及电话", max_length=40, required=False)
    money_amount = forms.DecimalField(
        label="涉及金额（元）",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    victim_count = forms.IntegerField(
        label="受害人数", required=False, min_value=0, max_value=1000000
    )
    occurred_on = forms.DateField(label="发生日期", required=False, widget=DateInput)
    anonymous = forms.BooleanField(label="匿名举报（不登记举报人身份）", required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_phone = forms.CharField(label="举报人电话", max_length=40, required=False)
    reporter_id_number = forms.CharField(label="举报人身份证号", max_length=18, required=False)
    reporter_address = forms.CharField(label="举报人地址", max_length=200, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        has_identity = any(
            str(data.get(f) or "").strip()
            for f in ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")
        )
        if data.get("anonymous") and has_identity:
            self.add_error("anonymous", "已选择匿名举报，请清空举报人信息，或取消匿名")
        if not data.get("anonymous") and not has_identity:
            self.add_error("anonymous", "请填写举报人信息，或选择匿名举报")
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看事由", min_length=4, max_length=200)


class ReporterSearchForm(forms.Form):
    phone = forms.CharField(label="举报人电话", max_length=40, required=False)
    id_number = forms.CharField(label="举报人身份证号", max_length=18, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not (str(data.get("phone") or "").strip() or str(data.get("id_number") or "").strip()):
            raise forms.ValidationError("请填写电话或身份证号")
        return data
