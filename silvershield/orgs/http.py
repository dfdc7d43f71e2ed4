from django.http import HttpRequest

from silvershield.orgs.models import User


class AuthedRequest(HttpRequest):
    """A request behind the login check: ``user`` is a real account (django-stubs idiom)."""

    user: User
