"""The tip ledger as .xlsx: the user's scope only, reporter identity masked."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from silvershield.intake.models import Tip

COLUMNS = [
    ("线索编号", 18),
    ("受理时间", 18),
    ("渠道", 12),
    ("地区", 28),
    ("承办单位", 20),
    ("状态", 10),
    ("类型", 22),
    ("标题/摘要", 40),
    ("涉及机构", 24),
    ("涉及金额（元）", 14),
    ("举报人", 10),
]


def tips_xlsx(*, tips: Iterable[Tip], office: str, filters_label: str) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = "线索台账"
    now = timezone.localtime()
    ws.append([f"线索台账（{office}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"筛选条件：{filters_label or '全部'}", "", "", f"生成时间：{now:%Y-%m-%d %H:%M}"])
    ws.append([])
    ws.append([title for title, _ in COLUMNS])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    count = 0
    for tip in tips:
        ws.append(
            [
                tip.number,
                timezone.localtime(tip.received_at).strftime("%Y-%m-%d %H:%M"),
                tip.get_channel_display(),
                tip.region.full_name,
                tip.owner_unit.name,
                tip.get_state_display(),
                tip.get_fraud_type_display() if tip.fraud_type else "未甄别",
                tip.display_title,
                tip.involved_institution,
                float(tip.money_amount) if tip.money_amount is not None else None,
                "匿名" if tip.is_anonymous else "实名（已加密）",
            ]
        )
        count += 1
    for index, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.auto_filter.ref = f"A4:{get_column_letter(len(COLUMNS))}{4 + count}"
    ws.freeze_panes = "A5"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
