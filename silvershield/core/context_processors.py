from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from silvershield.core import nav


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation and the top bar for staff pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: dict[str, list[dict[str, Any]]] = {}
    items: list[dict[str, Any]] = []
    for entry in nav.entries():
        if entry.visible_to(user):
            item = {"label": entry.label, "url": reverse(entry.url_name), "active": False}
            groups.setdefault(entry.group, []).append(item)
            items.append(item)
    # The entry whose address is the longest prefix of this page is the current one.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    membership = user.primary_membership()
    return {
        "nav_groups": list(groups.items()),
        "shell_unit": membership.unit if membership else None,
        "shell_role": membership.get_role_display() if membership else "",
    }
