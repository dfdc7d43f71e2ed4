"""Plug the crackdown ledger into the workbench, the navigation and the tip page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from silvershield.core import nav, todo
from silvershield.core.access import has_perm
from silvershield.core.permissions import Perm
from silvershield.enforcement import access


def _todo(user: Any) -> list[todo.TodoItem]:
    from silvershield.enforcement.selectors import reviews_due_count

    if not has_perm(user, Perm.CASE_MANAGE):
        return []
    due, overdue = reviews_due_count(user=user)
    return [todo.TodoItem("陈案积案待回头看", due, reverse("enforcement:cold"), urgent=overdue > 0)]


def register_all() -> None:
    from silvershield.enforcement.views import tip_panel
    from silvershield.intake import panels

    todo.register(_todo, order=40)
    panels.register(tip_panel)
    nav.register(nav.NavEntry("案件", "案件台账", "enforcement:list", Perm.CASE_VIEW, order=10))
    nav.register(
        nav.NavEntry(
            "案件",
            "登记案件",
            "enforcement:create",
            Perm.CASE_MANAGE,
            order=20,
            shown=access.registers_cases,
        )
    )
    nav.register(nav.NavEntry("案件", "犯罪团伙", "enforcement:gangs", Perm.CASE_VIEW, order=30))
    nav.register(
        nav.NavEntry("案件", "陈案积案回头看", "enforcement:cold", Perm.CASE_VIEW, order=40)
    )
