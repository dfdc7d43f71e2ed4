"""Indicators: the registry's definitions, and any indicator for a region and period with the link
to the records behind it (the same figures as the dashboard, from the same code)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from silvershield.api.auth import actor_of
from silvershield.api.errors import ApiFieldError
from silvershield.api.schemas.common import DETAIL_ERRORS, READ_ERRORS, WRITE_ERRORS, RegionRef
from silvershield.api.schemas.stats import FigureOut, FigureQueryIn, IndicatorOut
from silvershield.core.access import require
from silvershield.core.permissions import Perm
from silvershield.stats import selectors
from silvershield.stats.figures import indicator_value
from silvershield.stats.registry import Indicator, UnknownIndicator, indicator, indicators
from silvershield.stats.selectors import StatsInputError

router = Router(tags=["统计指标"])


def _out(ind: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        direction=ind.direction.value,
        description=ind.description,
        group=ind.group,
        is_rate=ind.is_rate,
        ranked="no_rank" not in ind.tags,
        min_volume=ind.min_volume,
    )


@router.get(
    "/stats/indicators",
    response={200: list[IndicatorOut], **READ_ERRORS},
    operation_id="stats_indicators",
    summary="指标口径",
)
def stats_indicators(request: HttpRequest) -> list[IndicatorOut]:
    """Every indicator of the registry: what it counts, its unit and which way is better."""
    require(actor_of(request), Perm.STATS_VIEW)
    return [_out(i) for i in indicators()]


@router.get(
    "/stats/indicators/{code}",
    response={200: FigureOut, **WRITE_ERRORS, **DETAIL_ERRORS},
    operation_id="stats_indicator_value",
    summary="某地区某统计期的指标值",
)
def stats_indicator_value(
    request: HttpRequest,
    code: Path[str],
    query: Query[FigureQueryIn],
) -> FigureOut:
    """One indicator for a region and an inclusive period, counted within the caller's scope.

    A region outside what the caller may see, a period in the future or reversed: 400 with the
    field. An unknown indicator: 404."""
    user = actor_of(request)
    require(user, Perm.STATS_VIEW)
    try:
        ind = indicator(code)
    except UnknownIndicator as exc:
        raise Http404(str(exc)) from None
    try:
        region = selectors.region_for(user=user, code=query.region)
    except StatsInputError as exc:
        raise ApiFieldError("region", str(exc)) from None
    try:
        period = selectors.period_for(start=query.date_from, end=query.date_to)
    except StatsInputError as exc:
        field = "date_from" if query.date_to is None and query.date_from is not None else "date_to"
        raise ApiFieldError(field, str(exc)) from None
    fig = indicator_value(ind.code, user, region, period)
    return FigureOut(
        indicator=_out(ind),
        region=RegionRef.of(region) if region is not None else None,
        date_from=period.start,
        date_to=period.end,
        value=fig.value,
        text=fig.text,
        numerator=fig.numerator,
        denominator=fig.denominator,
        volume=fig.volume,
        rankable=fig.rankable,
        link=fig.link,
        denominator_link=fig.denominator_link or None,
    )
