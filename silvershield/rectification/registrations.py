"""Plug the rectification ledger into the navigation (group 整治) and the workbench's 待办."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from silvershield.core import nav, todo
from silvershield.core.access import has_perm
from silvershield.core.permissions import Perm


def _list(kind: str, query: str = "") -> str:
    url = reverse(f"rectification:{kind}_list")
    return f"{url}?{query}" if query else url


def _todo(user: Any) -> list[todo.TodoItem]:
    from silvershield.rectification import selectors
    from silvershield.rectification.models import HazardState, LetterState, TaskState

    items: list[todo.TodoItem] = []
    if has_perm(user, Perm.RECTIFICATION_CHECK):
        items.append(
            todo.TodoItem(
                "待复核隐患",
                selectors.hazards_to_check(user=user).count(),
                _list("hazards", f"state={HazardState.RECTIFIED}"),
            )
        )
        items.append(
            todo.TodoItem(
                "待核验整改任务",
                selectors.tasks_to_check(user=user).count(),
                _list("tasks", f"state={TaskState.SUBMITTED}"),
            )
        )
    if has_perm(user, Perm.RECTIFICATION_MANAGE):
        letters = selectors.letters_to_reply(user=user)
        tasks = selectors.tasks_to_do(user=user)
        now = timezone.now()
        late_letters = letters.filter(due_at__lte=now).count()
        late_tasks = tasks.filter(due_at__lte=now).count()
        items.append(
            todo.TodoItem(
                "待回复文书", letters.count(), _list("letters", f"state={LetterState.ISSUED}")
            )
        )
        items.append(
            todo.TodoItem("整改中任务", tasks.count(), _list("tasks", f"state={TaskState.OPEN}"))
        )
        items.append(
            todo.TodoItem(
                "逾期未回复文书",
                late_letters,
                _list("letters", "overdue=on"),
                urgent=late_letters > 0,
            )
        )
        items.append(
            todo.TodoItem(
                "超期整改任务", late_tasks, _list("tasks", "overdue=on"), urgent=late_tasks > 0
            )
        )
    return items


def register_all() -> None:
    todo.register(_todo, order=60)
    view = Perm.RECTIFICATION_VIEW
    for order, (label, kind) in enumerate(
        [
            ("机构名录", "institutions"),
            ("问题隐患", "hazards"),
            ("三书一函", "letters"),
            ("整改台账", "tasks"),
            ("建章立制", "rules"),
        ],
        start=1,
    ):
        nav.register(
            nav.NavEntry("整治", label, f"rectification:{kind}_list", view, order=order * 10)
        )
