from __future__ import annotations

from django import forms

from silvershield.core.permissions import PRIVILEGED_ROLES, Role
from silvershield.geo.forms import RegionCascadeField
from silvershield.orgs.models import Sector, Unit, UnitKind


class LoginForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=128)
    otp_token = forms.CharField(
        label="动态口令",
        required=False,
        max_length=8,
        help_text="管理员账号须填写身份验证器上的6位动态口令",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=UnitKind.choices)
    sector = forms.ChoiceField(label="领域", choices=Sector.choices)
    region = RegionCascadeField(label="所在地区", required=False)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)


class UnitEditForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    sector = forms.ChoiceField(label="领域", choices=Sector.choices)
    is_active = forms.BooleanField(label="启用", required=False)


def _role_choices(*, privileged: bool) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Role if (r in PRIVILEGED_ROLES) == privileged]


class UserCreateForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput(render_value=True), max_length=128
    )
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=_role_choices(privileged=False))


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    is_active = forms.BooleanField(label="启用", required=False)


class MembershipForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=_role_choices(privileged=False))

    def __init__(self, *args: object, privileged: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = _role_choices(privileged=privileged)  # type: ignore[attr-defined]


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, max_length=128)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100)
