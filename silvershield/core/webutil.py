"""Small helpers shared by staff views: thin views, errors mapped onto forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from silvershield.core.access import require
from silvershield.core.permissions import Perm

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def staff_view(perm: Perm) -> Callable[[F], F]:
    """Login required, then the permission somewhere in the user's memberships (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
