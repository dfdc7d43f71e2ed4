from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from silvershield.geo.forms import RegionCascadeField
from silvershield.orgs.models import Sector, Unit
from silvershield.rectification.files import ALLOWED_LABEL, MAX_BYTES, MAX_FILES
from silvershield.rectification.models import (
    HazardState,
    InstitutionKind,
    LetterKind,
    LetterState,
    LicenceStatus,
    RuleKind,
    TaskSource,
    TaskState,
)

SECTORS = [c for c in Sector.choices if c[0] != Sector.OFFICE]
UNIT_MISSING = "所选单位不存在或已停用，请从单位名录中选择"


class DateInput(forms.DateInput):
    input_type = "date"


def _text(
    label: str, rows: int = 3, max_length: int = 4000, required: bool = True
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _unit(label: str, required: bool = True) -> forms.ModelChoiceField[Unit]:
    return forms.ModelChoiceField(
        label=label,
        queryset=Unit.objects.filter(is_active=True).select_related("region"),
        required=required,
        error_messages={"invalid_choice": UNIT_MISSING, "required": f"请选择{label}"},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; their content is checked by the service layer (files.py)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"{ALLOWED_LABEL}，每个不超过{MAX_BYTES // (1024 * 1024)}MB，最多{MAX_FILES}个（按文件内容识别）",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            if self.required:
                raise ValidationError("请上传佐证材料")
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(item, initial) for item in items]


# -- filters ----------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    region = RegionCascadeField(label="地区", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态")])
    sector = forms.ChoiceField(label="领域", required=False, choices=[("", "全部领域"), *SECTORS])
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别")])
    date_from = forms.DateField(label="日期自", required=False, widget=DateInput)
    date_to = forms.DateField(label="至", required=False, widget=DateInput)
    overdue = forms.BooleanField(label="仅看超期", required=False)
    q = forms.CharField(label="关键词", required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        states: list[tuple[str, str]] | None = None,
        kinds: list[tuple[str, str]] | None = None,
        kind_label: str = "类别",
        with_overdue: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if states is None:
            del self.fields["state"]
        else:
            self.fields["state"].choices = [("", "全部状态"), *states]  # type: ignore[attr-defined]
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].label = kind_label
            self.fields["kind"].choices = [("", "全部"), *kinds]  # type: ignore[attr-defined]
        if not with_overdue:
            del self.fields["overdue"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data


FILTER_OPTIONS: dict[str, dict[str, Any]] = {
    "institutions": {
        "states": LicenceStatus.choices,
        "kinds": InstitutionKind.choices,
        "with_overdue": False,
    },
    "hazards": {"states": HazardState.choices, "kinds": None},
    "letters": {
        "states": LetterState.choices,
        "kinds": LetterKind.choices,
        "kind_label": "文书种类",
    },
    "tasks": {"states": TaskState.choices, "kinds": TaskSource.choices, "kind_label": "来源"},
    "rules": {"states": None, "kinds": RuleKind.choices, "with_overdue": False},
}


# -- create forms ----------------------------------------------------------------------------------


class InstitutionForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=InstitutionKind.choices)
    licence_status = forms.ChoiceField(label="证照状态", choices=LicenceStatus.choices)
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        required=False,
        help_text="18位；无证无照（黑机构）可不填",
    )
    sector = forms.ChoiceField(label="监管领域", choices=SECTORS)
    region = RegionCascadeField(label="所在地区")
    address = forms.CharField(label="地址", max_length=200, required=False)
    regulator = _unit("监管单位", required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


class InstitutionEditForm(forms.Form):
    licence_status = forms.ChoiceField(label="证照状态", choices=LicenceStatus.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    regulator = _unit("监管单位", required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


class HazardForm(forms.Form):
    institution = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sector = forms.ChoiceField(label="领域", choices=SECTORS)
    region = RegionCascadeField(label="所在地区")
    problem = _text("问题隐患")
    unit = _unit("整治责任单位")
    found_on = forms.DateField(label="发现日期", widget=DateInput, initial=dt.date.today)
    found_by_name = forms.CharField(label="发现人", max_length=100, required=False)
    due_on = forms.DateField(label="整治期限", widget=DateInput)
    measures = _text("整治措施（可后填）", required=False)


class LetterForm(forms.Form):
    institution = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label="文书种类", choices=LetterKind.choices)
    number = forms.CharField(label="文号", max_length=60, help_text="如：湖吴检建〔2026〕3号")
    recipient = _unit("主送单位（行业主管部门）")
    case_number = forms.CharField(label="来源案件编号", max_length=60, required=False)
    problem = _text("发现的管理漏洞（一案一剖析）")
    suggestions = _text("建议内容", required=False)
    issued_on = forms.DateField(label="制发日期", widget=DateInput)
    reply_due_on = forms.DateField(label="回复期限", widget=DateInput)


class TaskForm(forms.Form):
    title = forms.CharField(label="整改事项", max_length=200)
    source = forms.ChoiceField(label="来源", choices=TaskSource.choices)
    source_note = forms.CharField(label="督导问题/来源说明", max_length=500, required=False)
    hazard = forms.CharField(label="来源隐患编号", max_length=32, required=False)
    letter = forms.CharField(label="来源文书文号", max_length=60, required=False)
    lead_unit = _unit("牵头单位")
    co_units = forms.ModelMultipleChoiceField(
        label="配合单位（可多选）",
        queryset=Unit.objects.filter(is_active=True).select_related("region"),
        required=False,
        error_messages={"invalid_choice": UNIT_MISSING},
    )
    measures = _text("整改措施")
    responsible_name = forms.CharField(label="责任人", max_length=100)
    due_on = forms.DateField(label="整改期限", widget=DateInput)
    milestones = _text(
        "整改节点（每行一个：日期 内容，如 2026-12-01 完成全面排查）", rows=3, required=False
    )

    def clean_milestones(self) -> list[tuple[str, dt.date]]:
        return parse_dated_lines(self.cleaned_data.get("milestones") or "")


def parse_dated_lines(text: str) -> list[tuple[str, dt.date]]:
    items: list[tuple[str, dt.date]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _, title = line.partition(" ")
        try:
            day = dt.date.fromisoformat(day_text.strip())
        except ValueError:
            raise ValidationError(
                f"第{number}行的日期无法识别，请写成 2026-12-01 这样的格式"
            ) from None
        if not title.strip():
            raise ValidationError(f"第{number}行缺少内容")
        items.append((title.strip(), day))
    return items


class RuleForm(forms.Form):
    title = forms.CharField(label="制度名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=RuleKind.choices)
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    issued_on = forms.DateField(label="印发日期", widget=DateInput)
    summary = _text("主要内容", required=False)
    attachments = FilesField(label="制度文件")


# -- action forms ----------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeasuresForm(VersionedForm):
    measures = _text("整治措施")


class NoteForm(VersionedForm):
    note = _text("整治完成情况")


class CheckForm(VersionedForm):
    accept = forms.TypedChoiceField(
        label="结论",
        choices=[("1", "通过"), ("0", "不通过，退回")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="意见", max_length=500, required=False)


class ReplyForm(forms.Form):
    reply = _text("回复内容")


class RectificationForm(forms.Form):
    rectification = _text("整改情况")


class ProgressForm(forms.Form):
    text = _text("进展情况")
    attachments = FilesField(label="佐证材料")


class SubmitForm(forms.Form):
    summary = _text("完成情况")


class CloseForm(forms.Form):
    note = forms.CharField(label="销号说明（可不填）", max_length=500, required=False)


class StageGoalsForm(forms.Form):
    reason = _text("不能按期完成的原因", rows=2)
    goals = _text("阶段目标（每行一个：日期 目标，如 2027-03-31 完成一期整改）", rows=3)

    def clean_goals(self) -> list[tuple[str, dt.date]]:
        return parse_dated_lines(self.cleaned_data.get("goals") or "")


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="完成情况", max_length=500, required=False)


class LinkTipForm(forms.Form):
    tip = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
