from __future__ import annotations

from django import forms

from silvershield.core.choices import FraudType
from silvershield.orgs.models import Unit
from silvershield.workflow.models import Conclusion, Measure

FRAUD_CHOICES = [c for c in FraudType.choices if c[0] != FraudType.NONE]


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClassifyForm(VersionedForm):
    fraud_type = forms.ChoiceField(label="诈骗类型", choices=FRAUD_CHOICES)
    note = forms.CharField(label="甄别意见（可不填）", max_length=200, required=False)


class InvalidForm(VersionedForm):
    reason = forms.CharField(label="无效理由", max_length=300)


class MergeForm(VersionedForm):
    into = forms.CharField(label="合并到线索编号", max_length=32)


class TransferForm(VersionedForm):
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label="配合单位（可多选）",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_days = forms.IntegerField(
        label="办理时限（工作日）", min_value=1, max_value=90, required=False
    )
    absolute_due_on = forms.DateField(
        label="上级规定的办理时限（可不填）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label="转办意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class RetransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label="下转单位", queryset=Unit.objects.none())
    working_days = forms.IntegerField(
        label="办理时限（工作日，不超过本单位期限）", min_value=1, max_value=90, required=False
    )
    note = forms.CharField(label="下转意见", max_length=500, required=False)


class ExtensionForm(forms.Form):
    extra_working_days = forms.IntegerField(label="申请延期（工作日）", min_value=1, max_value=60)
    reason = forms.CharField(label="延期理由", max_length=500)


class DecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label="审批",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="意见", max_length=500, required=False)


class ReportForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="核查结论", choices=Conclusion.choices, widget=forms.RadioSelect
    )
    facts = forms.CharField(
        label="核查情况", max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    measures = forms.MultipleChoiceField(
        label="处理措施",
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures_note = forms.CharField(label="措施说明", max_length=1000, required=False)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审核",
        choices=[("1", "通过"), ("0", "退回补充核查")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审核意见", max_length=1000, required=False)


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="给举报人的答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(VersionedForm):
    note = forms.CharField(label="办结说明（可不填）", max_length=500, required=False)


class ReopenForm(VersionedForm):
    reason = forms.CharField(label="回头看理由", max_length=500)


class TakeoverForm(forms.Form):
    note = forms.CharField(label="兜底核查理由", max_length=500)


class ReassignForm(forms.Form):
    to_unit = forms.ModelChoiceField(label="改派至", queryset=Unit.objects.none())
    note = forms.CharField(label="改派理由", max_length=500)
