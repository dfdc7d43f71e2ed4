"""Ledgers (台账) as .xlsx: one writer for every list a user can export.

A header block (title, office, filters or period, generated at), bold column heads, sensible widths,
an auto-filter and frozen heads. Rows stream in (write-only workbook), so large exports stay lean.
Callers pass only what the user may see, with personal information already left out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14


HEADER_ROWS = 4  # title, context line, blank, column heads


def _plain(value: Any) -> Cell:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value  # type: ignore[no-any-return]


def write_ledger(
    *,
    title: str,
    office: str,
    context: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    sheet: str = "台账",
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    bold = Font(bold=True)
    heading = WriteOnlyCell(ws, value=f"{title}（{office}）")
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    now = timezone.localtime()
    ws.append([context or "全部", "", "", f"生成时间：{now:%Y-%m-%d %H:%M}"])
    ws.append([])
    heads = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = bold
        heads.append(cell)
    ws.append(heads)
    for row in rows:
        ws.append([_plain(v) for v in row])
        count += 1
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROWS}:{last}{HEADER_ROWS + count}"
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
