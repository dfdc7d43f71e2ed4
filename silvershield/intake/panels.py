"""Sections that higher apps add to the tip page (e.g. the workflow's actions), without intake
importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any], str]
_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def render_panels(request: HttpRequest, tip: Any) -> list[str]:
    return [html for panel in _panels if (html := panel(request, tip))]
