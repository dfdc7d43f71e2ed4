"""Ledgers (台账) of the lists behind figures: tips, transfers and overdue items as .xlsx.

Rows come only from ``figures.records`` (the user's scope); no reporter identity is written —
a tip row says only whether the reporter is named (and that the name is encrypted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from silvershield.core.ledger import Column, write_ledger
from silvershield.intake.models import Tip
from silvershield.workflow.deadlines import overdue_working_days, responsible_person
from silvershield.workflow.models import Transfer

TIP_COLUMNS = [
    Column("线索编号", 18),
    Column("受理时间", 18),
    Column("渠道", 12),
    Column("地区", 28),
    Column("承办单位", 20),
    Column("状态", 10),
    Column("类型", 22),
    Column("标题/摘要", 40),
    Column("举报人", 14),
]
TRANSFER_COLUMNS = [
    Column("线索编号", 18),
    Column("地区", 28),
    Column("转办单位", 20),
    Column("牵头单位", 20),
    Column("转办时间", 18),
    Column("办理期限", 16),
    Column("状态", 12),
    Column("超期（工作日）", 12),
    Column("责任人", 16),
    Column("催办次数", 10),
]


def tip_rows(tips: Iterable[Tip]) -> Iterator[list[Any]]:
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
            "匿名" if tip.is_anonymous else "实名（已加密）",
        ]


def transfer_rows(transfers: Iterable[Transfer]) -> Iterator[list[Any]]:
    now = timezone.now()
    for t in transfers:
        yield [
            t.tip.number,
            t.tip.region.full_name,
            t.from_unit.name,
            t.lead_unit.name,
            timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
            t.due_text,
            t.get_state_display(),
            overdue_working_days(t, now) if t.is_open else 0,
            responsible_person(t) if t.is_open and now >= t.due_at else "",
            t.reminder_count,
        ]


def ledger_xlsx(*, kind: str, title: str, office: str, context: str, rows: Iterable[Any]) -> bytes:
    columns = TIP_COLUMNS if kind == "tips" else TRANSFER_COLUMNS
    body = tip_rows(rows) if kind == "tips" else transfer_rows(rows)
    return write_ledger(title=title, office=office, context=context, columns=columns, rows=body)
