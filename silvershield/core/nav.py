"""The staff navigation, grouped by work (DESIGN.md): each app registers its entries."""

from __future__ import annotations

from dataclasses import dataclass

from silvershield.core.permissions import Perm

GROUPS = ("待办", "线索", "案件", "整治", "宣传", "统计", "系统")


@dataclass(frozen=True)
class NavEntry:
    group: str
    label: str
    url_name: str
    perm: Perm
    order: int = 100


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry.group not in GROUPS:
        raise ValueError(f"unknown navigation group {entry.group}")
    if entry not in _entries:
        _entries.append(entry)


def entries() -> list[NavEntry]:
    return sorted(_entries, key=lambda e: (GROUPS.index(e.group), e.order, e.label))
