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


def register_all() -> None:
    todo.register(_todo, order=10)
    nav.register(nav.NavEntry("线索", "线索列表", "intake:list", Perm.TIP_VIEW, order=10))
    nav.register(nav.NavEntry("线索", "登记线索", "intake:create", Perm.TIP_CREATE, order=20))
    nav.register(
        nav.NavEntry("线索", "举报人查询", "intake:reporter_search", Perm.REPORTER_SEARCH, order=30)
    )
