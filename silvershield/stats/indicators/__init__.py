"""Indicator definitions, one module per domain; ``load()`` registers them all (AppConfig.ready)."""

from __future__ import annotations

import importlib

MODULES = (
    "silvershield.stats.indicators.tips",
    "silvershield.stats.indicators.enforcement",
    "silvershield.stats.indicators.rectification",
)


def load() -> None:
    for module in MODULES:
        importlib.import_module(module)
