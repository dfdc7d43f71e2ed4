from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.core.webutil import add_service_errors, staff_view
from silvershield.orgs import selectors, services
from silvershield.orgs.forms import (
    ApiTokenForm,
    LoginForm,
    MembershipForm,
    PasswordResetForm,
    UnitEditForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
)
from silvershield.orgs.http import AuthedRequest
from silvershield.orgs.models import User


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    return render(
        request,
        "orgs/login.html",
        {
            "form": LoginForm(),
            "lockout": "登录失败次数过多，账号已被临时锁定。请稍后再试，或联系安全管理员解除锁定。",
        },
        status=429,
    )


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            form.add_error(None, "登录名或密码错误")
        elif not isinstance(user, User) or not user.is_active:
            form.add_error(None, "账号已停用")
        elif user.needs_second_factor():
            device = match_token(user, form.cleaned_data["otp_token"].strip())
            if device is None:
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request
                )
                audit_record(
                    actor=None,
                    action="login.denied",
                    obj=user,
                    outcome="denied",
                    summary="缺少或错误的动态口令",
                )
                form.add_error("otp_token", "管理员账号须填写正确的动态口令")
            else:
                login(request, user)
                otp_login(request, device)
                return _after_login(request, user)
        else:
            login(request, user)
            return _after_login(request, user)
    return render(request, "orgs/login.html", {"form": form})


def _after_login(request: HttpRequest, user: User) -> HttpResponse:
    audit_record(actor=user, action="login.succeeded", obj=user, summary="登录")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "core:workbench")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="logout", obj=request.user, summary="退出登录")
    logout(request)
    messages.info(request, "您已退出登录。")
    return redirect("orgs:login")


# -- units ---------------------------------------------------------------------------------


@staff_view(Perm.ORG_MANAGE)
def unit_list(request: AuthedRequest) -> HttpResponse:
    units = selectors.unit_list_visible_to(user=request.user)
    return render(request, "orgs/unit_list.html", {"units": units})


@staff_view(Perm.ORG_MANAGE)
def unit_create(request: AuthedRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    form.fields["parent"].queryset = selectors.unit_list_visible_to(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建单位：{unit.name}")
            return redirect("orgs:unit_list")
    return render(request, "orgs/unit_form.html", {"form": form, "title": "新建单位"})


@staff_view(Perm.ORG_MANAGE)
def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = selectors.access_unit(user=request.user, unit_id=pk)
    initial = {"name": unit.name, "sector": unit.sector, "is_active": unit.is_active}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:unit_list")
    return render(request, "orgs/unit_form.html", {"form": form, "title": f"修改单位：{unit.name}"})


# -- users -----------------------------------------------------------------------------------


@staff_view(Perm.ORG_MANAGE)
def user_list(request: AuthedRequest) -> HttpResponse:
    users = selectors.user_list_visible_to(user=request.user)
    return render(
        request, "orgs/user_list.html", {"users": users, "locked": selectors.locked_usernames()}
    )


@staff_view(Perm.ORG_MANAGE)
def user_create(request: AuthedRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    form.fields["unit"].queryset = selectors.unit_list_visible_to(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建账号：{user.username}")
            return redirect("orgs:user_edit", pk=user.pk)
    return render(request, "orgs/user_form.html", {"form": form, "title": "新建账号"})


@staff_view(Perm.ORG_MANAGE)
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.access_user(user=request.user, user_id=pk)
    form = UserEditForm(
        request.POST if "save_user" in request.POST else None,
        initial={"full_name": target.full_name, "is_active": target.is_active},
    )
    membership_form = MembershipForm(request.POST if "add_membership" in request.POST else None)
    units = selectors.unit_list_visible_to(user=request.user)
    membership_form.fields["unit"].queryset = units  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            if "save_user" in request.POST and form.is_valid():
                services.user_update(actor=request.user, user=target, **form.cleaned_data)
                messages.success(request, "已保存。")
                return redirect("orgs:user_edit", pk=target.pk)
            if "add_membership" in request.POST and membership_form.is_valid():
                services.membership_add(
                    actor=request.user, user=target, **membership_form.cleaned_data
                )
                messages.success(request, "已授予角色。")
                return redirect("orgs:user_edit", pk=target.pk)
        except ValidationError as exc:
            add_service_errors(membership_form if "add_membership" in request.POST else form, exc)
    return render(
        request,
        "orgs/user_edit.html",
        {
            "target": target,
            "form": form,
            "membership_form": membership_form,
            "memberships": target.memberships.select_related("unit"),
        },
    )


@require_POST
@staff_view(Perm.ORG_MANAGE)
def membership_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = selectors.access_membership(
        user=request.user, membership_id=pk, perm=Perm.ORG_MANAGE
    )
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤销角色。")
    return redirect("orgs:user_edit", pk=membership.user_id)


# -- security administration -------------------------------------------------------------------


@staff_view(Perm.SECURITY_MANAGE)
def security(request: AuthedRequest) -> HttpResponse:
    users = selectors.user_list_visible_to(user=request.user, perm=Perm.SECURITY_MANAGE)
    return render(
        request, "orgs/security.html", {"users": users, "locked": selectors.locked_usernames()}
    )


@staff_view(Perm.SECURITY_MANAGE)
def security_user(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.access_user(user=request.user, user_id=pk, perm=Perm.SECURITY_MANAGE)
    membership_form = MembershipForm(
        request.POST if "grant" in request.POST else None, privileged=True
    )
    membership_form.fields["unit"].queryset = selectors.unit_list_visible_to(  # type: ignore[attr-defined]
        user=request.user, perm=Perm.SECURITY_MANAGE
    )
    password_form = PasswordResetForm(request.POST if "reset_password" in request.POST else None)
    context: dict[str, Any] = {
        "target": target,
        "membership_form": membership_form,
        "password_form": password_form,
    }
    if request.method == "POST":
        try:
            if "grant" in request.POST and membership_form.is_valid():
                services.membership_add(
                    actor=request.user, user=target, **membership_form.cleaned_data
                )
                messages.success(request, "已授予角色。")
                return redirect("orgs:security_user", pk=target.pk)
            if "revoke" in request.POST:
                membership = selectors.access_membership(
                    user=request.user,
                    membership_id=request.POST.get("revoke", ""),
                    perm=Perm.SECURITY_MANAGE,
                )
                services.membership_remove(actor=request.user, membership=membership)
                messages.success(request, "已撤销角色。")
                return redirect("orgs:security_user", pk=target.pk)
            if "unlock" in request.POST:
                services.user_unlock(actor=request.user, user=target)
                messages.success(request, "已解除锁定。")
                return redirect("orgs:security_user", pk=target.pk)
            if "reset_password" in request.POST and password_form.is_valid():
                services.user_set_password(
                    actor=request.user, user=target, **password_form.cleaned_data
                )
                messages.success(request, "已重置密码。")
                return redirect("orgs:security_user", pk=target.pk)
            if "issue_totp" in request.POST:
                device = services.totp_device_create(actor=request.user, user=target)
                context["totp_secret"] = device.bin_key.hex()
                context["totp_qr"] = segno.make(device.config_url).svg_data_uri(scale=4)
        except ValidationError as exc:
            add_service_errors(membership_form if "grant" in request.POST else password_form, exc)
    context["memberships"] = target.memberships.select_related("unit")
    context["locked"] = target.username in selectors.locked_usernames()
    return render(request, "orgs/security_user.html", context)


# -- own API tokens ----------------------------------------------------------------------------


@staff_view(Perm.WORKBENCH)
def api_tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if "create" in request.POST else None)
    raw = None
    if request.method == "POST":
        if "create" in request.POST and form.is_valid():
            try:
                _, raw = services.api_token_create(
                    actor=request.user, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
        elif "revoke" in request.POST:
            token = (
                selectors.api_tokens_of(user=request.user)
                .filter(pk=request.POST.get("revoke", "0"))
                .first()
            )
            if token is not None:
                services.api_token_revoke(actor=request.user, token=token)
                messages.success(request, "已吊销。")
            return redirect("orgs:api_tokens")
    tokens = selectors.api_tokens_of(user=request.user)
    return render(request, "orgs/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw})
