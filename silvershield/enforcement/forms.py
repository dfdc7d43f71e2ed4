"""Forms of the crackdown ledger: shapes of input only; the services decide and explain refusals."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from silvershield.core.choices import FraudType
from silvershield.enforcement.models import CaseStage, RecoveryKind, SuspectStatus
from silvershield.geo.forms import RegionCascadeField
from silvershield.orgs.models import Unit

FRAUD_TYPES = [(v, label) for v, label in FraudType.choices if v != FraudType.NONE]


class DateInput(forms.DateInput):
    """An HTML date input; its value is always ISO (the browser shows it in the user's locale)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def money_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        error_messages={
            "invalid": "请输入正确的金额（元）",
            "min_value": "金额不能为负数",
            "max_decimal_places": "金额最多保留两位小数（精确到分）",
            "max_digits": "金额过大，请核对",
            "max_whole_digits": "金额过大，请核对",
        },
    )


class CaseFilterForm(forms.Form):
    region = RegionCascadeField(label="地区", required=False)
    stage = forms.ChoiceField(
        label="阶段", choices=[("", "全部阶段"), *CaseStage.choices], required=False
    )
    fraud_type = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *FRAUD_TYPES], required=False
    )
    date_from = forms.DateField(label="立案日期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)
    q = forms.CharField(label="关键词（编号/名称）", required=False, max_length=100)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data


class CaseCreateForm(forms.Form):
    owner_unit = forms.ModelChoiceField(
        label="办案单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    number = forms.CharField(label="案件编号", max_length=40)
    name = forms.CharField(label="案件名称", max_length=200)
    fraud_type = forms.ChoiceField(label="诈骗类型", choices=FRAUD_TYPES)
    region = RegionCascadeField(label="案发地区")
    filed_on = forms.DateField(label="立案日期", widget=DateInput)
    amount_involved = money_field("涉案金额（元）")
    victim_loss = money_field("受害人损失（元）")
    victim_count = forms.IntegerField(label="受害人数", min_value=0, max_value=10_000_000)
    elderly_victim_count = forms.IntegerField(label="其中老年人", min_value=0, max_value=10_000_000)
    summary = forms.CharField(
        label="简要案情", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FromReportForm(forms.Form):
    owner_unit = forms.ModelChoiceField(
        label="办案单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    number = forms.CharField(label="案件编号", max_length=40)
    name = forms.CharField(label="案件名称", max_length=200, required=False)
    filed_on = forms.DateField(label="立案日期", widget=DateInput)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CaseEditForm(VersionedForm):
    name = forms.CharField(label="案件名称", max_length=200)
    fraud_type = forms.ChoiceField(label="诈骗类型", choices=FRAUD_TYPES)
    amount_involved = money_field("涉案金额（元）")
    victim_loss = money_field("受害人损失（元）")
    victim_count = forms.IntegerField(label="受害人数", min_value=0, max_value=10_000_000)
    elderly_victim_count = forms.IntegerField(label="其中老年人", min_value=0, max_value=10_000_000)
    over_recovery_reason = forms.CharField(
        label="挽损超过损失的说明（仅在超过时填写）", required=False, max_length=500
    )
    summary = forms.CharField(
        label="简要案情", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class StageForm(VersionedForm):
    stage = forms.ChoiceField(label="登记阶段", choices=())
    on = forms.DateField(label="日期", widget=DateInput)
    to_unit = forms.ModelChoiceField(
        label="移送/起诉至（移送起诉选检察院，起诉选法院）",
        queryset=Unit.objects.none(),
        required=False,
    )
    outcome = forms.CharField(
        label="结果或理由（起诉情况、判决结果、撤案理由）", required=False, max_length=500
    )


class SuspectForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    status = forms.ChoiceField(label="状态", choices=SuspectStatus.choices[:2])
    caught_on = forms.DateField(label="抓获日期（已抓获时填写）", required=False, widget=DateInput)
    note = forms.CharField(label="备注", required=False, max_length=200)


class CatchForm(forms.Form):
    suspect = forms.ChoiceField(label="在逃嫌疑人", choices=())
    on = forms.DateField(label="到案日期", widget=DateInput)


class RecoveryForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=RecoveryKind.choices)
    amount = money_field("金额（元）")
    on = forms.DateField(label="日期", widget=DateInput)
    release_from = forms.ChoiceField(
        label="返还时释放的冻结/扣押记录（可不选：直接退赔）", required=False, choices=()
    )
    note = forms.CharField(label="说明", required=False, max_length=300)
    over_loss_reason = forms.CharField(
        label="挽损超过损失的说明（仅在超过时填写）", required=False, max_length=500
    )


class TipLinkForm(forms.Form):
    tip = forms.CharField(label="线索编号", max_length=32)


class GangForm(forms.Form):
    name = forms.CharField(label="团伙名称", max_length=100)
    members = forms.MultipleChoiceField(
        label="成员（本案嫌疑人）", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )


class GangLinkForm(forms.Form):
    gang = forms.ChoiceField(label="已认定的团伙", choices=())
    members = forms.MultipleChoiceField(
        label="本案嫌疑人中的团伙成员",
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )


class BrokenForm(forms.Form):
    gang = forms.ChoiceField(label="团伙", choices=())
    on = forms.DateField(label="打掉日期", widget=DateInput)


class ColdFlagForm(forms.Form):
    reason = forms.CharField(label="列为陈案积案的原因", max_length=500)
    due_on = forms.DateField(label="回头看期限", widget=DateInput)


class ColdReviewForm(forms.Form):
    outcome = forms.CharField(
        label="回头看结果", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reviewed_on = forms.DateField(label="完成日期", widget=DateInput)
