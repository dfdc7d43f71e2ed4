"""Regions: the children of a region (public data, still behind the token like the rest)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.schemas.common import WRITE_ERRORS
from silvershield.api.schemas.regions import RegionOut, RegionQueryIn
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_children, region_get

router = Router(tags=["行政区划"])


@router.get(
    "/regions",
    response={200: list[RegionOut], 400: WRITE_ERRORS[400], 401: WRITE_ERRORS[401]},
    operation_id="regions_children",
    summary="下级行政区划",
)
def regions_children(request: HttpRequest, filters: Query[RegionQueryIn]) -> list[RegionOut]:
    actor_of(request)
    parent = None
    if filters.parent:
        try:
            parent = region_get(code=filters.parent)
        except Region.DoesNotExist:
            raise ApiFieldError("parent", "所选地区不存在") from None
    children = list(region_children(parent=parent))
    with_children = set(
        Region.objects.filter(parent__in=children).values_list("parent_id", flat=True).distinct()
    )
    return [RegionOut.of(r, has_children=r.pk in with_children) for r in children]
