"""Navigation entries and the workbench's 待办 count for the stats group."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from silvershield.core import nav, todo
from silvershield.core.permissions import Perm


def weekly_todo(user: Any) -> list[todo.TodoItem]:
    """An office that has not yet issued last week's report sees it waiting."""
    from silvershield.stats.models import IssuedReport, ReportKind
    from silvershield.stats.periods import last_full_week
    from silvershield.stats.selectors import report_offices

    offices = report_offices(user=user)
    if not offices:
        return []
    week = last_full_week()
    done = set(
        IssuedReport.objects.filter(
            kind=ReportKind.WEEKLY,
            issuing_unit__in=offices,
            period_start=week.start,
            period_end=week.end,
        ).values_list("issuing_unit_id", flat=True)
    )
    waiting = sum(1 for o in offices if o.pk not in done)
    if not waiting:
        return []
    return [
        todo.TodoItem(
            label="上周工作周报待印发", count=waiting, url=reverse("documents:weekly_new")
        )
    ]


def register_all() -> None:
    nav.register(nav.NavEntry("统计", "统计看板", "stats:dashboard", Perm.STATS_VIEW, order=10))
    nav.register(nav.NavEntry("统计", "排名", "stats:rankings", Perm.STATS_VIEW, order=20))
    nav.register(
        nav.NavEntry("统计", "工作周报", "documents:weekly_new", Perm.REPORT_ISSUE, order=30)
    )
    nav.register(
        nav.NavEntry("统计", "排名通报", "documents:bulletin_new", Perm.REPORT_ISSUE, order=40)
    )
    nav.register(
        nav.NavEntry("统计", "已印发报告", "documents:report_list", Perm.STATS_VIEW, order=50)
    )
    nav.register(nav.NavEntry("统计", "指标口径", "stats:indicators", Perm.STATS_VIEW, order=60))
    nav.register(nav.NavEntry("统计", "考核权重", "stats:weights", Perm.CAMPAIGN_MANAGE, order=70))
    todo.register(weekly_todo, order=80)
