"""The computed content of a weekly report (工作周报) and a ranking bulletin (通报).

Everything here is computed from the registry; the only typed text is the weekly report's
narrative, which may hold no figures of its own. The content is stored with the issued report
(``IssuedReport.content``) and the .docx is rendered from that snapshot, so it never changes.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.orgs.models import Unit, User
from silvershield.stats import figures
from silvershield.stats.dashboard import COUNT_CODES, RATE_CODES
from silvershield.stats.figures import Slice
from silvershield.stats.models import RankingKind
from silvershield.stats.periods import Period
from silvershield.stats.rankings import change_text, ranking_for
from silvershield.stats.registry import Indicator, indicator, record_set
from silvershield.stats.sections import SECTION_CODES
from silvershield.stats.selectors import child_regions
from silvershield.workflow.deadlines import (
    chronically_late,
    overdue_working_days,
    responsible_person,
)

DIGITS = re.compile(r"[0-9０-９]+")
REGION_CODES = (
    "tips_received",
    "tips_valid",
    "tips_transferred",
    "tips_closed",
    "on_time_rate",
    "overdue_now",
)
LIST_LIMIT = 30


def narrative_digits(text: str) -> list[str]:
    """The figures a typed narrative carries (it may carry none: figures are computed)."""
    return DIGITS.findall(text or "")


def _change(ind: Indicator, now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "—"
    diff = round(now - before, 2 if ind.is_money else 1)
    if diff == 0:
        return "持平"
    if ind.is_rate:
        amount = f"{abs(diff):.1f}个百分点"
    elif ind.is_money:
        amount = ind.format(abs(diff))
    else:
        amount = f"{abs(int(diff))}{ind.unit}"
    return ("增加" if diff > 0 else "减少") + amount


def weekly_content(*, user: User, unit: Unit, period: Period) -> dict[str, Any]:
    region = unit.region
    sl = Slice(user=user, region=region, period=period)
    before = sl.narrowed(period=period.previous())
    overall = []
    changes = []
    for code in (*COUNT_CODES, *RATE_CODES, *SECTION_CODES):
        ind = indicator(code)
        now_fig, prev_fig = figures.figure(ind, sl), figures.figure(ind, before)
        change = _change(ind, now_fig.value, prev_fig.value)
        overall.append([ind.name, now_fig.text, prev_fig.text, change])
        if change not in ("—", "持平"):
            changes.append(f"{ind.name}{change}")
    region_rows = []
    inds = [indicator(c) for c in REGION_CODES]
    for child in child_regions(region=region):
        child_sl = sl.narrowed(region=child)
        region_rows.append([child.name, *[figures.figure(i, child_sl).text for i in inds]])
    ranking = ranking_for(
        user=user, region=region, kind=RankingKind.REGION, period=period, campaign=None
    )
    rank_rows = [
        [
            str(r["score_rank"]) if r["score_rank"] is not None else "未排名",
            r["name"],
            f"{r['score']:.1f}" if r["score"] is not None else "样本不足",
            change_text(r.get("change")),
        ]
        for r in ranking["rows"]
    ]
    now = timezone.now()
    open_sl = sl
    overdue_qs = (
        figures.records(record_set("overdue_now"), open_sl)
        .select_related("tip", "lead_unit", "signed_by")
        .order_by("due_at", "id")
    )
    overdue_rows = [
        [
            t.tip.number,
            t.lead_unit.name,
            responsible_person(t),
            t.due_text,
            str(overdue_working_days(t, now)),
        ]
        for t in overdue_qs[:LIST_LIMIT]
    ]
    chronic_rows = [
        [t.lead_unit.name, responsible_person(t), t.tip.number, str(t.reminder_count)]
        for t in chronically_late(transfers=figures.records(record_set("open_transfers"), open_sl))[
            :LIST_LIMIT
        ]
    ]
    return {
        "kind": "weekly",
        "region": region.full_name if region else "全国",
        "period": [period.start.isoformat(), period.end.isoformat()],
        "period_label": period.label(),
        "overall": {"headers": ["指标", "本周", "上周", "变化"], "rows": overall},
        "by_region": {
            "headers": ["地区", *[i.name for i in inds]],
            "rows": region_rows,
        },
        "ranking": {
            "headers": ["名次", "地区", "综合得分", "较上周"],
            "rows": rank_rows,
            "weights": ranking["weights"],
        },
        "overdue": {
            "headers": ["线索编号", "牵头单位", "责任人", "办理期限", "超期（工作日）"],
            "rows": overdue_rows,
            "total": figures.count(record_set("overdue_now"), open_sl),
        },
        "chronic": {
            "headers": ["单位", "责任人", "线索编号", "催办次数"],
            "rows": chronic_rows,
        },
        "changes": changes,
    }


def bulletin_content(
    *, user: User, unit: Unit, period: Period, campaign: Campaign | None
) -> dict[str, Any]:
    region = unit.region
    regions = ranking_for(
        user=user, region=region, kind=RankingKind.REGION, period=period, campaign=campaign
    )
    units = ranking_for(
        user=user, region=region, kind=RankingKind.UNIT, period=period, campaign=campaign
    )
    weights = regions["weights"]
    names = {w["indicator"]: indicator(w["indicator"]).name for w in weights}

    def table(data: dict[str, Any], what: str) -> dict[str, Any]:
        headers = ["名次", what, *[names[w["indicator"]] for w in weights], "综合得分", "较上期"]
        rows = []
        for r in data["rows"]:
            cells = [str(r["score_rank"]) if r["score_rank"] is not None else "未排名", r["name"]]
            for w in weights:
                fig = r["figures"][w["indicator"]]
                ind = indicator(w["indicator"])
                text = ind.format(fig["value"])
                cells.append(text if fig["ranked"] else f"{text}（样本不足）")
            cells.append(f"{r['score']:.1f}" if r["score"] is not None else "不参与排名")
            cells.append(change_text(r.get("change")))
            rows.append(cells)
        return {"headers": headers, "rows": rows, "snapshot": data.get("snapshot_id")}

    first = next((r["name"] for r in regions["rows"] if r["score_rank"] == 1), "")
    return {
        "kind": "bulletin",
        "region": region.full_name if region else "全国",
        "period": [period.start.isoformat(), period.end.isoformat()],
        "period_label": period.label(),
        "weights": [
            {
                "name": names[w["indicator"]],
                "weight": w["weight"],
                "normalisation": w["normalisation"],
            }
            for w in weights
        ],
        "regions": table(regions, "地区"),
        "units": table(units, "单位"),
        "first_region": first,
    }
