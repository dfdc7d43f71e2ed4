"""Public, read-only region look-ups for cascading selects (htmx) and scripts (JSON)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from silvershield.geo.models import Region
from silvershield.geo.selectors import region_children, region_get

_ID = re.compile(r"^[A-Za-z][\w-]{0,99}$")
_MAX_AGE = 3600


def _children_of(code: str) -> list[Region]:
    """Children of the region with ``code``; provinces for an empty code; nothing if unknown."""
    if not code:
        return list(region_children(parent=None))
    try:
        parent = region_get(code=code)
    except Region.DoesNotExist:
        return []
    return list(region_children(parent=parent))


@require_GET
@cache_control(public=True, max_age=_MAX_AGE)
def options(request: HttpRequest) -> HttpResponse:
    """``<option>`` elements for the select that follows a changed one.

    ``?parent=CODE`` lists the children of CODE (empty: the provinces). Without ``parent``,
    ``?name=FIELD`` names the select that triggered the request; htmx sends that select's value
    as ``FIELD=CODE`` and its children are listed (an empty value lists nothing, since nothing
    is chosen above). Each ``?reset=ID`` adds an out-of-band swap that empties the select with
    that element id (the selects further down the cascade).
    """
    if "parent" in request.GET:
        regions = _children_of(request.GET["parent"])
    else:
        value = request.GET.get(request.GET.get("name", ""), "")
        regions = _children_of(value) if value else []
    resets = [i for i in request.GET.getlist("reset") if _ID.match(i)]
    return render(request, "geo/options.html", {"regions": regions, "resets": resets})


@require_GET
@cache_control(public=True, max_age=_MAX_AGE)
def children_json(request: HttpRequest) -> JsonResponse:
    """``[{"code", "name", "level"}]`` for the children of ``?parent=CODE`` (empty: provinces)."""
    regions = _children_of(request.GET.get("parent", ""))
    return JsonResponse(
        [{"code": r.code, "name": r.name, "level": r.level} for r in regions],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
