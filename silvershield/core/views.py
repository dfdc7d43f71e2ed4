from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from silvershield.core import audit, todo
from silvershield.core.access import has_perm, visible
from silvershield.core.models import AuditEvent, Feedback
from silvershield.core.permissions import Perm
from silvershield.core.webutil import staff_view


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_perm(user, Perm.WORKBENCH):
        # Administrators land on their own pages (separation of duties: no tip content).
        for perm, target in (
            (Perm.ORG_MANAGE, "orgs:unit_list"),
            (Perm.SECURITY_MANAGE, "orgs:security"),
            (Perm.AUDIT_READ, "core:audit_list"),
            (Perm.TIP_CREATE, "portal:grid"),  # grid workers: the simple patrol page
        ):
            if has_perm(user, perm):
                return redirect(target)
        raise PermissionDenied
    return render(request, "core/workbench.html", {"items": todo.todo_items(user)})


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="事件", required=False, max_length=64)
    actor = forms.CharField(label="用户", required=False, max_length=150)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)


@staff_view(Perm.AUDIT_READ)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    qs = visible(AuditEvent.objects.all(), user=request.user, perm=Perm.AUDIT_READ).order_by("-id")
    if form.is_valid():
        if form.cleaned_data["action"]:
            qs = qs.filter(action__startswith=form.cleaned_data["action"])
        if form.cleaned_data["actor"]:
            qs = qs.filter(actor_name=form.cleaned_data["actor"])
        if form.cleaned_data["object_id"]:
            qs = qs.filter(object_id=form.cleaned_data["object_id"])
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    events = list(qs[:100])
    next_before = events[-1].pk if len(events) == 100 else None
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "events": events, "next_before": next_before},
    )


@staff_view(Perm.AUDIT_READ)
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    report = audit.audit_verify()
    audit.audit_record(
        actor=request.user,
        action="audit.verified",
        summary="校验审计链：" + ("完整" if report.ok else f"第 {report.first_broken_id} 条起断裂"),
        data={
            "ok": report.ok,
            "checked": report.checked,
            "first_broken_id": report.first_broken_id,
        },
    )
    return render(request, "core/audit_verify.html", {"report": report})


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label="意见建议", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    page = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.pk is not None
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            Feedback.objects.create(
                user_id=user.pk,
                user_name=user.get_username(),
                page=form.cleaned_data["page"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, "感谢您的意见，系统管理员答复后会显示在本页。")
            return redirect("core:feedback")
    else:
        form = FeedbackForm(initial={"page": request.GET.get("page", "")[:300]})
    mine = Feedback.objects.filter(user_id=user.pk)[:50]
    inbox = Feedback.objects.all()[:100] if has_perm(user, Perm.ORG_MANAGE) else None
    return render(
        request,
        "core/feedback.html",
        {"form": form, "mine": mine, "inbox": inbox, "answer_form": FeedbackAnswerForm()},
    )


@staff_view(Perm.ORG_MANAGE)
@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk)
    form = FeedbackAnswerForm(request.POST)
    if form.is_valid():
        item.answer = form.cleaned_data["answer"]
        item.answered_by = request.user.get_username()
        item.answered_at = timezone.now()
        item.save(update_fields=["answer", "answered_by", "answered_at"])
        messages.success(request, "已答复。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("core:feedback")
