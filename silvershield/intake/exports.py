"""The tip ledger as .xlsx: the user's scope only, reporter identity never included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from silvershield.core.ledger import Column, write_ledger
from silvershield.intake.models import Tip

COLUMNS = [
    Column("线索编号", 18),
    Column("受理时间", 18),
    Column("渠道", 12),
    Column("地区", 28),
    Column("承办单位", 20),
    Column("状态", 10),
    Column("类型", 22),
    Column("标题/摘要", 40),
    Column("涉及机构", 24),
    Column("涉及金额（元）", 14),
    Column("举报人", 14),
]


def _rows(tips: Iterable[Tip]) -> Iterator[list[object]]:
    for tip in tips:
        yield [
            tip.number,
            timezone.localtime(tip.received_at).strftime("%Y-%m-%d %H:%M"),
            tip.get_channel_display(),
            tip.region.full_name,
            tip.owner_unit.name,
            tip.get_state_display(),
            tip.get_fraud_type_display() if tip.fraud_type else "未甄别",
            tip.display_title,
            tip.involved_institution,
            tip.money_amount,
            "匿名" if tip.is_anonymous else "实名（已加密）",
        ]


def tips_xlsx(*, tips: Iterable[Tip], office: str, filters_label: str) -> bytes:
    return write_ledger(
        title="线索台账",
        office=office,
        context=f"筛选条件：{filters_label or '全部'}",
        columns=COLUMNS,
        rows=_rows(tips),
    )
