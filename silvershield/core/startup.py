"""Checks run when a production process starts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model


class UnsafeProductionError(RuntimeError):
    pass


def refuse_unsafe_production() -> None:
    """等保: no default or shared accounts. Production refuses to start while demo accounts exist."""
    if not getattr(settings, "PRODUCTION", False):
        return
    count = get_user_model().objects.filter(is_demo=True).count()
    if count:
        raise UnsafeProductionError(
            f"生产环境中存在 {count} 个演示账号：请先删除（manage.py purge_demo_accounts）再启动。"
        )
