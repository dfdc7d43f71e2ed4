"""Bearer-token authentication for the REST API.

Tokens are issued on the page /accounts/tokens/ (or by ``orgs.services.api_token_create``); only
their SHA-256 is stored. The API accepts no session cookie, so a browser session can never be
used to write through the API without a token (no CSRF exposure).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from silvershield.orgs.models import User
from silvershield.orgs.services import api_token_authenticate

MAX_TOKEN_LENGTH = 200


class BearerAuth(HttpBearer):
    """Bearer tokens; an administrator's token also needs its second-factor window open
    (``POST /api/auth/second-factor``), except on that very operation."""

    def __init__(self, *, allow_without_second_factor: bool = False) -> None:
        super().__init__()
        self.allow_without_second_factor = allow_without_second_factor

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        user = api_token_authenticate(
            raw=token, allow_without_second_factor=self.allow_without_second_factor
        )
        if user is not None:
            request.api_token_raw = token  # type: ignore[attr-defined]
        return user


def actor_of(request: HttpRequest) -> User:
    """The user behind the request's token (set by :class:`BearerAuth`)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user
