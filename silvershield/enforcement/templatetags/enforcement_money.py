"""Money in 元 and 万元, and rates as percentages, for the crackdown ledger's pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from silvershield.enforcement import money

register = template.Library()


@register.filter
def yuan(amount: Decimal | None) -> str:
    return money.yuan(amount)


@register.filter
def wan(amount: Decimal | None) -> str:
    return money.wan(amount)


@register.filter
def percent(fraction: Decimal | None) -> str:
    return money.percent(fraction)
