"""Plug the workflow into the workbench, the navigation and the tip page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from silvershield.core import nav, todo
from silvershield.core.access import has_perm
from silvershield.core.permissions import Perm


def _todo(user: Any) -> list[todo.TodoItem]:
    from silvershield.workflow import selectors

    items: list[todo.TodoItem] = []
    if has_perm(user, Perm.TIP_TRANSFER) and has_perm(user, Perm.TIP_SCREEN):
        items.append(
            todo.TodoItem(
                "待转办线索",
                selectors.tips_to_transfer(user=user).count(),
                reverse("workflow:to_transfer"),
            )
        )
    if has_perm(user, Perm.TRANSFER_HANDLE):
        items.append(
            todo.TodoItem(
                "待签收",
                selectors.transfers_to_sign(user=user).count(),
                reverse("workflow:to_sign"),
            )
        )
        items.append(
            todo.TodoItem(
                "待核查",
                selectors.transfers_to_verify(user=user).count(),
                reverse("workflow:to_verify"),
            )
        )
    if has_perm(user, Perm.REPORT_REVIEW) or has_perm(user, Perm.TRANSFER_HANDLE):
        items.append(
            todo.TodoItem(
                "待审核报告",
                selectors.reports_to_review(user=user).count(),
                reverse("workflow:to_review"),
            )
        )
        items.append(
            todo.TodoItem(
                "待答复举报人",
                selectors.tips_to_answer(user=user).count(),
                reverse("workflow:to_answer"),
            )
        )
    if has_perm(user, Perm.DEADLINE_MANAGE):
        items.append(
            todo.TodoItem(
                "待批延期",
                selectors.extensions_to_decide(user=user).count(),
                reverse("workflow:extensions"),
            )
        )
    if has_perm(user, Perm.TIP_VIEW):
        overdue = selectors.overdue_transfers(user=user).count()
        items.append(
            todo.TodoItem("超期未办", overdue, reverse("workflow:overdue"), urgent=overdue > 0)
        )
    return items


def _on_holiday_table_changed(sender: Any, year: int | None = None, **kwargs: Any) -> None:
    """A newly entered year makes provisional deadlines definite: recompute in the background."""
    from silvershield.workflow.tasks import recompute_provisional_task

    recompute_provisional_task.delay(year)


def register_all() -> None:
    from silvershield.core.holidays import holiday_table_changed
    from silvershield.intake import panels
    from silvershield.workflow.views import tip_panel

    holiday_table_changed.connect(
        _on_holiday_table_changed, dispatch_uid="workflow-recompute-provisional"
    )

    todo.register(_todo, order=20)
    panels.register(tip_panel)
    nav.register(nav.NavEntry("待办", "待转办", "workflow:to_transfer", Perm.TIP_SCREEN, order=10))
    nav.register(nav.NavEntry("待办", "待签收", "workflow:to_sign", Perm.TRANSFER_HANDLE, order=20))
    nav.register(
        nav.NavEntry("待办", "待核查", "workflow:to_verify", Perm.TRANSFER_HANDLE, order=30)
    )
    nav.register(nav.NavEntry("待办", "待审核", "workflow:to_review", Perm.REPORT_REVIEW, order=40))
    nav.register(nav.NavEntry("待办", "待答复", "workflow:to_answer", Perm.TIP_VIEW, order=50))
    nav.register(nav.NavEntry("待办", "超期与督办", "workflow:overdue", Perm.TIP_VIEW, order=60))
    nav.register(
        nav.NavEntry("待办", "延期审批", "workflow:extensions", Perm.DEADLINE_MANAGE, order=70)
    )
