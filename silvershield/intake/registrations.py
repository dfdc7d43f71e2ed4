"""Plug intake into the workbench and the navigation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from silvershield.core import nav, todo
from silvershield.core.permissions import Perm


def _todo(user: Any) -> list[todo.TodoItem]:
    from silvershield.core.access import has_perm
    from silvershield.intake.models import TipState
    from silvershield.intake.selectors import tip_count_in_state

    if not has_perm(user, Perm.TIP_VIEW):
        return []
    count = tip_count_in_state(user=user, state=TipState.RECEIVED)
    return [
        todo.TodoItem("待甄别线索", count, f"{reverse('intake:list')}?state={TipState.RECEIVED}")
    ]


def _cross_region_todo(user: Any) -> list[todo.TodoItem]:
    """A cluster spanning several counties alerts the lowest office above all of them."""
    from silvershield.core.access import has_perm
    from silvershield.core.permissions import role_has
    from silvershield.intake.models import LinkCluster

    if not has_perm(user, Perm.TIP_SCREEN):
        return []
    paths = [
        m.unit.region.path
        for m in user.memberships.select_related("unit__region")
        if m.unit.is_office and m.unit.region is not None and role_has(m.role, Perm.TIP_SCREEN)
    ]
    if not paths:
        return []
    count = sum(
        LinkCluster.objects.filter(
            spans_regions=True, confirmed_at__isnull=True, region__path=path
        ).count()
        for path in paths
    )
    return [
        todo.TodoItem(
            "跨地区串并待确认",
            count,
            f"{reverse('intake:clusters')}?spans=1&open=1",
            urgent=count > 0,
        )
    ]


def _screen_new_tip(sender: Any, tip_id: int, **kwargs: Any) -> None:
    """Every new tip is screened and linked in the background (inline when tasks run eagerly)."""
    from silvershield.intake.tasks import screen_tip_task

    screen_tip_task.delay(tip_id)


def register_all() -> None:
    from silvershield.intake import panels
    from silvershield.intake.cluster_views import screening_panel
    from silvershield.intake.services import tip_created

    todo.register(_todo, order=10)
    todo.register(_cross_region_todo, order=15)
    panels.register(screening_panel)
    tip_created.connect(_screen_new_tip, dispatch_uid="intake-screen-new-tip")
    nav.register(nav.NavEntry("线索", "串并", "intake:clusters", Perm.TIP_VIEW, order=25))
    nav.register(nav.NavEntry("线索", "批量导入", "intake:imports", Perm.TIP_CREATE, order=27))
    nav.register(nav.NavEntry("线索", "线索列表", "intake:list", Perm.TIP_VIEW, order=10))
    nav.register(nav.NavEntry("线索", "登记线索", "intake:create", Perm.TIP_CREATE, order=20))
    nav.register(
        nav.NavEntry("线索", "举报人查询", "intake:reporter_search", Perm.REPORTER_SEARCH, order=30)
    )
