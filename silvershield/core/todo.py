"""The workbench's 待办 counts: each app registers what waits for a user (AppConfig.ready).

This keeps core ignorant of the apps above it: they plug their counts in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    urgent: bool = False


TodoProvider = Callable[[Any], list[TodoItem]]
_providers: list[tuple[int, TodoProvider]] = []


def register(provider: TodoProvider, *, order: int = 100) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def todo_items(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    for _, provider in _providers:
        items.extend(provider(user))
    return items
