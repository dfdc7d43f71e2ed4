"""Public forms: plain words, every field limited, every message in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from silvershield.core import identity
from silvershield.core.choices import FraudType
from silvershield.geo.forms import RegionCascadeField
from silvershield.portal import files

OTHER = "other"
# The campaign's fraud forms, said the way people say them.
WHAT_HAPPENED: list[tuple[str, str]] = [
    (
        FraudType.ELDER_SERVICE.value,
        "说是提供养老服务（养老院床位、上门照护、旅居养老），先收钱后不兑现",
    ),
    (FraudType.ELDER_PROJECT.value, "拉老人投钱到养老项目、养老公寓、康养基地，许诺高回报"),
    (FraudType.ELDER_PRODUCT.value, "推销保健品、理疗仪器等“养老产品”，夸大功效、高价卖给老人"),
    (FraudType.HOUSE_PENSION.value, "用“以房养老”的说法，让老人抵押或过户房子"),
    (FraudType.PENSION_INSURANCE.value, "说能代办养老保险、补缴社保、提高退休金，收取费用"),
    (FraudType.ELDER_AID.value, "假借养老帮扶、慈善救助、发补贴的名义要钱"),
    (FraudType.OTHER_ELDER.value, "其他专门针对老年人的骗局"),
    (OTHER, "说不清，或者是别的情况"),
]
WHAT_LABELS = dict(WHAT_HAPPENED)


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files; each is checked by content (portal.files) when the form is cleaned."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[files.CheckedFile]:
        uploads: list[UploadedFile] = [
            d for d in (data if isinstance(data, list | tuple) else [data]) if d
        ]
        if len(uploads) > files.MAX_FILES:
            raise ValidationError(f"一次最多上传{files.MAX_FILES}个文件")
        checked, reasons = [], []
        for upload in uploads:
            try:
                checked.append(files.check_upload(upload))
            except ValidationError as exc:
                reasons.extend(exc.messages)
        if reasons:
            raise ValidationError([*reasons, "其他内容已保留，请重新选择文件。"])
        return checked


def _text(label: str, limit: int, *, help_text: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=False,
        help_text=help_text,
        error_messages={"max_length": f"不超过{limit}个字（现在有%(show_value)d个字）"},
        **kwargs,
    )


class ReportForm(forms.Form):
    what = forms.ChoiceField(
        label="发生了什么事？",
        choices=WHAT_HAPPENED,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "请从列出的情况中选一项"},
    )
    region = RegionCascadeField(label="在哪里？（选到哪一级都可以）", required=False)
    occurred_on = forms.DateField(
        label="大概哪一天？",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "日期格式不对，请按 2026-03-01 这样填写"},
    )
    money_amount = forms.DecimalField(
        label="损失了多少钱？（元）",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "请只填数字，比如 20000",
            "min_value": "金额不能是负数",
            "max_digits": "金额太大了，请核对",
            "max_decimal_places": "金额最多到分（小数点后两位）",
            "max_whole_digits": "金额太大了，请核对",
        },
    )
    involved_institution = _text("涉及的公司、机构或店名", 200)
    involved_person = _text("涉及的人（姓名、称呼或长相）", 100)
    involved_phone = _text("对方的电话", 40)
    involved_site = _text("对方的网站、App 或微信群", 200)
    content = forms.CharField(
        label="请说说经过（必填）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="写清楚谁、什么时候、在哪里、说了什么、收了多少钱。说不全也没关系。",
        error_messages={
            "required": "请写一写发生了什么事",
            "max_length": "不超过5000个字（现在有%(show_value)d个字）",
        },
    )
    attachments = AttachmentsField(
        label="照片或文件（可不传）",
        required=False,
        help_text="传单、合同、收据的照片或 PDF 文件，最多5个，每个不超过10MB。",
    )
    anonymous = forms.BooleanField(label="我要匿名举报（不留姓名和电话）", required=False)
    reporter_name = _text("您的姓名", 50)
    reporter_phone = _text(
        "您的电话", 40, help_text="有答复时，我们只发短信提醒您查看，不会在短信里写内容。"
    )
    reporter_address = _text("您的地址", 200)
    passphrase = forms.CharField(
        label="自己设一个查询密码（可不设）",
        required=False,
        min_length=4,
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="设了以后，查看进度时要同时填回执码和这个密码。",
        error_messages={
            "min_length": "查询密码至少4个字",
            "max_length": "查询密码不超过64个字",
        },
    )

    def clean_reporter_phone(self) -> str:
        value = str(self.cleaned_data.get("reporter_phone") or "").strip()
        if value and identity.normalize_phone(value) is None:
            raise ValidationError("电话号码不正确，请填写手机号或带区号的固定电话")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_contact = any(
            str(data.get(f) or "").strip()
            for f in ("reporter_name", "reporter_phone", "reporter_address")
        )
        if data.get("anonymous") and has_contact:
            self.add_error("anonymous", "您选了匿名举报，请清空姓名、电话和地址，或者不选匿名")
        return data


class LookupForm(forms.Form):
    code = forms.CharField(
        label="回执码",
        max_length=40,
        help_text="举报成功后拿到的16位回执码，可以不写中间的短横线。",
        error_messages={"required": "请填写回执码", "max_length": "回执码不超过40个字符"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    passphrase = forms.CharField(
        label="查询密码（没有设就不填）",
        required=False,
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"max_length": "查询密码不超过64个字"},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label="补充情况或留言",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "留言不超过1000个字（现在有%(show_value)d个字）"},
    )
    attachments = AttachmentsField(
        label="补充照片或文件（可不传）",
        required=False,
        help_text="照片或 PDF 文件，最多5个，每个不超过10MB。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not self.errors
            and not str(data.get("text") or "").strip()
            and not data.get("attachments")
        ):
            self.add_error("text", "请写下要补充的内容，或选择要上传的文件")
        return data


class GridTipForm(forms.Form):
    region = RegionCascadeField(label="地点")
    content = forms.CharField(
        label="看到的情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请写下看到的情况", "max_length": "不超过5000个字"},
    )
    involved_institution = _text("涉及的公司、机构或店名", 200)
    involved_phone = _text("涉及的电话", 40)
    money_amount = forms.DecimalField(
        label="涉及金额（元，可不填）",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "请只填数字", "min_value": "金额不能是负数"},
    )
    attachments = AttachmentsField(label="照片（可不传）", required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="回复举报人",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="举报人凭回执码在网上查看；如留有电话，会收到一条不含内容的短信提醒。",
    )


class OriginalForm(forms.Form):
    reason = forms.CharField(label="打开原件的事由（将记入审计日志）", min_length=4, max_length=200)
