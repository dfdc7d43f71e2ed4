"""Money of the crackdown ledger: Decimal 元 with two places, never float.

The movement model: a freeze (止付冻结) or seizure (查封扣押) *secures* money; a return (返还) gives
money to victims and may *release* money secured earlier (``RecoveryRelease``). Each yuan counts
once::

    secured_outstanding = secured − released
    recovered           = secured_outstanding + returned  (= secured + returned − released)
    recovery rate       = recovered ÷ victims' losses
    returned rate       = returned ÷ victims' losses
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from silvershield.enforcement.models import (
    SECURING_KINDS,
    RecoveryKind,
    RecoveryRecord,
    RecoveryRelease,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TEN_THOUSAND = Decimal(10000)
MAX_AMOUNT = Decimal("99999999999999.99")


def parse_amount(value: object, *, allow_zero: bool = True) -> Decimal:
    """A money amount from input: a Decimal with at most two places, never negative.

    Raises ValueError with a Chinese message.
    """
    if isinstance(value, float):
        raise ValueError("金额须以精确的十进制数表示")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValueError("请输入正确的金额（元）") from None
    if not amount.is_finite():
        raise ValueError("请输入正确的金额（元）")
    if amount < 0:
        raise ValueError("金额不能为负数")
    if amount == 0 and not allow_zero:
        raise ValueError("金额须大于0")
    if amount != amount.quantize(CENT):
        raise ValueError("金额最多保留两位小数（精确到分）")
    if amount > MAX_AMOUNT:
        raise ValueError("金额过大，请核对")
    return amount.quantize(CENT)


def sum_money(qs: QuerySet[Any], field: str = "amount") -> Decimal:
    """The exact sum of a money column (0.00 when there are no rows)."""
    total = qs.aggregate(
        total=Coalesce(
            Sum(field),
            Value(ZERO),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    )["total"]
    return as_money(total)


def as_money(value: object) -> Decimal:
    """A database sum as exact 元 with two places."""
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part ÷ whole`` as a fraction with four places (None when there is nothing to divide by)."""
    if whole <= 0:
        return None
    return (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Recovery:
    secured: Decimal
    released: Decimal
    returned: Decimal
    losses: Decimal

    @property
    def secured_outstanding(self) -> Decimal:
        return self.secured - self.released

    @property
    def recovered(self) -> Decimal:
        return self.secured_outstanding + self.returned

    @property
    def recovery_rate(self) -> Decimal | None:
        return rate(self.recovered, self.losses)

    @property
    def returned_rate(self) -> Decimal | None:
        return rate(self.returned, self.losses)


def recovery_of(
    *,
    records: QuerySet[RecoveryRecord],
    releases: QuerySet[RecoveryRelease],
    losses: Decimal,
) -> Recovery:
    """Sum recovery records and the releases among them (each already restricted by the caller)."""
    return Recovery(
        secured=sum_money(records.filter(kind__in=SECURING_KINDS)),
        released=sum_money(releases),
        returned=sum_money(records.filter(kind=RecoveryKind.RETURN)),
        losses=Decimal(losses).quantize(CENT),
    )


def outstanding_of(record: RecoveryRecord) -> Decimal:
    """What a freeze/seizure still holds (not yet released to victims)."""
    return record.amount - sum_money(RecoveryRelease.objects.filter(secured_record=record))


def yuan(amount: Decimal | None) -> str:
    """1234567.5 → "1,234,567.50 元"."""
    if amount is None:
        return "—"
    return f"{Decimal(amount).quantize(CENT):,} 元"


def wan(amount: Decimal | None) -> str:
    """1234567.5 → "123.46 万元"."""
    if amount is None:
        return "—"
    value = (Decimal(amount) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,} 万元"


def percent(fraction: Decimal | None) -> str:
    """0.4567 → "45.67%"; None → "—"."""
    if fraction is None:
        return "—"
    return f"{(fraction * 100).quantize(CENT, rounding=ROUND_HALF_UP)}%"
