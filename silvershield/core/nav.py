"""The staff navigation, grouped by work (DESIGN.md): each app registers its entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from silvershield.core.permissions import Perm

GROUPS = ("待办", "线索", "案件", "整治", "宣传", "统计", "系统")


@dataclass(frozen=True)
class NavEntry:
    group: str
    label: str
    url_name: str
    perm: Perm
    order: int = 100
    # A finer test on top of the permission (e.g. only police units and offices register cases);
    # it must not query the database (it runs on every page).
    shown: Callable[[Any], bool] | None = None

    def visible_to(self, user: Any) -> bool:
        from silvershield.core.access import has_perm

        return has_perm(user, self.perm) and (self.shown is None or self.shown(user))


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry.group not in GROUPS:
        raise ValueError(f"unknown navigation group {entry.group}")
    if entry not in _entries:
        _entries.append(entry)


def entries() -> list[NavEntry]:
    return sorted(_entries, key=lambda e: (GROUPS.index(e.group), e.order, e.label))
