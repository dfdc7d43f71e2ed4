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
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        return api_token_authenticate(raw=token)


def actor_of(request: HttpRequest) -> User:
    """The user behind the request's token (set by :class:`BearerAuth`)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user
