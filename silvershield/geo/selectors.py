"""Reads for regions. Region names and codes are public: no scoping applies."""

from __future__ import annotations

from django.db.models import QuerySet

from silvershield.geo.models import Region


def region_children(*, parent: Region | None) -> QuerySet[Region]:
    """The regions directly below ``parent``; the provinces when ``parent`` is None."""
    if parent is None:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return Region.objects.filter(parent=parent).order_by("code")


def region_get(*, code: str) -> Region:
    """The region with this 12-digit code (6- or 9-digit codes are padded); raises DoesNotExist."""
    code = code.strip()
    if code.isdigit() and len(code) in (2, 4, 6, 9):
        code = code.ljust(12, "0")
    return Region.objects.get(code=code)


def region_ancestors(*, region: Region) -> list[Region]:
    """The chain from the province down to ``region`` itself, top-down."""
    codes = [code for code in region.path.split("/") if code]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def region_list_by_codes(*, codes: list[str]) -> dict[str, Region]:
    """The regions with these codes, keyed by code (unknown codes are absent)."""
    return {r.code: r for r in Region.objects.filter(code__in=codes)}
