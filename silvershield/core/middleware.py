"""Idle timeout for staff sessions (等保 level 3)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

SESSION_KEY = "ss_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            limit = settings.SILVERSHIELD_IDLE_TIMEOUT.total_seconds()
            if isinstance(last, int | float) and now - last > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return HttpResponse(status=401)
                messages.info(request, "长时间未操作，已自动退出，请重新登录。")
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
            request.session[SESSION_KEY] = now
        return self.get_response(request)
