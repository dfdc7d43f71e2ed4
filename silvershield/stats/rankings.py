"""Rankings of regions and member units — never of people — on each indicator and on the
campaign's assessment score, with the change of position since the previous period.

Rankings of closed periods are frozen as snapshots the first time they are computed, so a
bulletin that printed them never changes. Below an indicator's minimum volume a region or unit is
listed but not ranked on it (and gets no assessment score).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.geo.models import Region
from silvershield.orgs.models import User
from silvershield.stats import figures
from silvershield.stats.figures import Slice
from silvershield.stats.models import IndicatorWeight, Normalisation, RankingKind, RankingSnapshot
from silvershield.stats.periods import Period
from silvershield.stats.registry import Direction, Indicator, indicator, rankable
from silvershield.stats.selectors import StatsInputError, child_regions, member_units

# Used when a campaign has no weights of its own.
DEFAULT_WEIGHTS: tuple[tuple[str, Decimal, str], ...] = (
    ("on_time_rate", Decimal(30), Normalisation.RATE),
    ("close_rate", Decimal(30), Normalisation.RATE),
    ("feedback_rate", Decimal(20), Normalisation.RATE),
    ("overdue_rate", Decimal(20), Normalisation.RATE),
)


@dataclass(frozen=True)
class Weight:
    indicator: str
    weight: Decimal
    normalisation: str

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "weight": str(self.weight),
            "normalisation": self.normalisation,
        }


def weights_of(campaign: Campaign | None) -> list[Weight]:
    if campaign is not None:
        rows = [
            Weight(w.indicator, w.weight, w.normalisation)
            for w in IndicatorWeight.objects.filter(campaign=campaign).order_by("indicator")
        ]
        known = {i.code for i in rankable()}
        rows = [w for w in rows if w.indicator in known]
        if rows:
            return rows
    return [Weight(code, weight, norm) for code, weight, norm in DEFAULT_WEIGHTS]


def active_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_active=True).order_by("-starts_on").first()


# -- computing ------------------------------------------------------------------------------------


def _entity_figures(
    user: User, region: Region | None, kind: str, period: Period, inds: list[Indicator]
) -> list[dict[str, Any]]:
    sl = Slice(user=user, region=region, period=period)
    entities: list[dict[str, Any]] = []
    if kind == RankingKind.REGION:
        children = child_regions(region=region)
        grouped: dict[str, dict[Any, int]] = {}
        for ind in inds:
            for rs in (ind.numerator, ind.denominator, ind.volume_set):
                if rs is not None and rs.code not in grouped:
                    grouped[rs.code] = figures.counts(rs, sl, by="child")
        for child in children:
            child_sl = sl.narrowed(region=child)
            figs = {}
            for ind in inds:
                num = grouped[ind.numerator.code].get(child.path, 0)
                den = (
                    grouped[ind.denominator.code].get(child.path, 0)
                    if ind.denominator is not None
                    else None
                )
                vol = (
                    grouped[ind.volume_set.code].get(child.path, 0)
                    if ind.volume_set is not None
                    else None
                )
                figs[ind.code] = _fig_json(ind, num, den, child_sl, vol)
            entities.append({"key": child.code, "name": child.name, "figures": figs})
    else:
        for unit in member_units(user=user, region=region):
            unit_sl = sl.narrowed(unit=unit)
            figs = {}
            for ind in inds:
                num = figures.count(ind.numerator, unit_sl)
                den = (
                    figures.count(ind.denominator, unit_sl) if ind.denominator is not None else None
                )
                vol = figures.count(ind.volume_set, unit_sl) if ind.volume_set is not None else None
                figs[ind.code] = _fig_json(ind, num, den, unit_sl, vol)
            entities.append({"key": str(unit.pk), "name": unit.name, "figures": figs})
    return entities


def _fig_json(
    ind: Indicator, num: int, den: int | None, sl: Slice, vol: int | None = None
) -> dict[str, Any]:
    value = ind.value(num, den)
    volume = vol if vol is not None else ind.volume(num, den)
    return {
        "value": value,
        "numerator": num,
        "denominator": den,
        "ranked": value is not None and volume >= ind.min_volume,
        "rank": None,
        "link": figures.link(ind.numerator, sl),
    }


def _competition_ranks(values: list[tuple[str, float]], higher_better: bool) -> dict[str, int]:
    ordered = sorted(values, key=lambda kv: -kv[1] if higher_better else kv[1])
    ranks: dict[str, int] = {}
    previous: float | None = None
    position = 0
    for index, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous:
            position = index
            previous = value
        ranks[key] = position
    return ranks


def normalise(ind: Indicator, how: str, value: float, values: list[float]) -> float:
    """A 0–100 score for one indicator value among the ranked values."""
    best = max(values) if ind.direction == Direction.HIGHER else min(values)
    worst = min(values) if ind.direction == Direction.HIGHER else max(values)
    if how == Normalisation.RATE and ind.is_rate:
        return value if ind.direction == Direction.HIGHER else 100.0 - value
    if how == Normalisation.TO_BEST:
        if ind.direction == Direction.HIGHER:
            return 100.0 if best == 0 else 100.0 * value / best
        return 100.0 if value == 0 else 100.0 * best / value
    if best == worst:
        return 100.0
    return 100.0 * (value - worst) / (best - worst)


def ranking_compute(
    *, user: User, region: Region | None, kind: str, period: Period, campaign: Campaign | None
) -> dict[str, Any]:
    weights = weights_of(campaign)
    codes = [i.code for i in rankable()]
    for w in weights:
        if w.indicator not in codes:
            codes.append(w.indicator)
    inds = [indicator(c) for c in codes]
    entities = _entity_figures(user, region, kind, period, inds)
    for ind in inds:
        ranked = [
            (e["key"], e["figures"][ind.code]["value"])
            for e in entities
            if e["figures"][ind.code]["ranked"]
        ]
        ranks = _competition_ranks(ranked, ind.direction == Direction.HIGHER)
        for e in entities:
            e["figures"][ind.code]["rank"] = ranks.get(e["key"])
    total_weight = float(sum(w.weight for w in weights)) or 1.0
    for e in entities:
        score = 0.0
        complete = True
        for w in weights:
            ind = indicator(w.indicator)
            fig = e["figures"][w.indicator]
            if not fig["ranked"]:
                complete = False
                break
            values = [
                x["figures"][w.indicator]["value"]
                for x in entities
                if x["figures"][w.indicator]["ranked"]
            ]
            score += float(w.weight) * normalise(ind, w.normalisation, fig["value"], values)
        e["score"] = round(score / total_weight, 1) if complete else None
    scored = [(e["key"], e["score"]) for e in entities if e["score"] is not None]
    score_ranks = _competition_ranks(scored, True)
    for e in entities:
        e["score_rank"] = score_ranks.get(e["key"])
    entities.sort(key=lambda e: (e["score_rank"] is None, e["score_rank"] or 0, e["key"]))
    return {
        "kind": kind,
        "region": region.code if region else "",
        "period": [period.start.isoformat(), period.end.isoformat()],
        "weights": [w.as_json() for w in weights],
        "indicators": codes,
        "rows": entities,
    }


def ranking_for(
    *,
    user: User,
    region: Region | None,
    kind: str,
    period: Period,
    campaign: Campaign | None,
    with_change: bool = True,
) -> dict[str, Any]:
    """The ranking (a snapshot for a closed period) with each row's change since the period
    before (positive: moved up)."""
    if kind not in RankingKind.values:
        raise StatsInputError("未知的排名类别")
    if not figures.covers_region(user, region):
        raise StatsInputError("排名需要能看到该地区全部数据的专项办或领导账号")
    if region is None:
        raise StatsInputError("请选择地区")
    data = _snapshot_or_compute(user, region, kind, period, campaign)
    if with_change:
        before = _snapshot_or_compute(user, region, kind, period.previous(), campaign)
        previous = {r["key"]: r["score_rank"] for r in before["rows"]}
        for row in data["rows"]:
            was = previous.get(row["key"])
            row["previous_rank"] = was
            row["change"] = (
                was - row["score_rank"]
                if was is not None and row["score_rank"] is not None
                else None
            )
    return data


def _snapshot_or_compute(
    user: User, region: Region, kind: str, period: Period, campaign: Campaign | None
) -> dict[str, Any]:
    if not period.is_closed():
        return ranking_compute(
            user=user, region=region, kind=kind, period=period, campaign=campaign
        )
    lookup = {
        "region": region,
        "kind": kind,
        "campaign": campaign,
        "period_start": period.start,
        "period_end": period.end,
    }
    snap = RankingSnapshot.objects.filter(**lookup).first()
    if snap is None:
        data = ranking_compute(
            user=user, region=region, kind=kind, period=period, campaign=campaign
        )
        try:
            with transaction.atomic():
                snap = RankingSnapshot.objects.create(
                    **lookup, computed_at=timezone.now(), weights=data["weights"], rows=data
                )
        except IntegrityError:
            snap = RankingSnapshot.objects.get(**lookup)
    result: dict[str, Any] = dict(snap.rows)
    result["rows"] = [dict(r) for r in result["rows"]]
    result["snapshot_id"] = snap.pk
    result["computed_at"] = snap.computed_at.isoformat()
    return result


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"
