"""The rectification ledgers as .xlsx (core.ledger.write_ledger); callers pass scoped rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone

from silvershield.core.ledger import Column, write_ledger
from silvershield.rectification.models import Hazard, Institution, Letter, Rule, Task


def _day(value: Any) -> Any:
    return timezone.localtime(value).date() if value is not None else None


def _write(
    title: str, office: str, context: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> bytes:
    return write_ledger(title=title, office=office, context=context, columns=columns, rows=rows)


def institutions_xlsx(*, rows: Iterable[Institution], office: str, context: str = "") -> bytes:
    columns = [
        Column("机构名称", 32),
        Column("统一社会信用代码", 22),
        Column("类别", 10),
        Column("证照状态", 18),
        Column("监管领域", 12),
        Column("所在地区", 24),
        Column("地址", 30),
        Column("监管单位", 20),
    ]

    def lines() -> Iterator[list[Any]]:
        for i in rows:
            yield [
                i.name,
                i.uscc,
                i.get_kind_display(),
                i.get_licence_status_display(),
                i.get_sector_display(),
                i.region.full_name,
                i.address,
                i.regulator.name if i.regulator else "",
            ]

    return _write("机构名录", office, context, columns, lines())


def hazards_xlsx(*, rows: Iterable[Hazard], office: str, context: str = "") -> bytes:
    columns = [
        Column("编号", 16),
        Column("涉及机构", 26),
        Column("领域", 10),
        Column("所在地区", 22),
        Column("问题隐患", 40),
        Column("发现单位", 18),
        Column("发现人", 10),
        Column("发现日期", 12),
        Column("整治责任单位", 18),
        Column("整治期限", 12),
        Column("整治措施", 40),
        Column("状态", 10),
    ]

    def lines() -> Iterator[list[Any]]:
        for h in rows:
            yield [
                h.number,
                h.institution.name if h.institution else "",
                h.get_sector_display(),
                h.region.full_name,
                h.problem,
                h.found_by_unit.name,
                h.found_by_name,
                h.found_on,
                h.unit.name,
                h.due_on,
                h.measures,
                h.get_state_display(),
            ]

    return _write("问题隐患台账", office, context, columns, lines())


def letters_xlsx(*, rows: Iterable[Letter], office: str, context: str = "") -> bytes:
    columns = [
        Column("文书种类", 12),
        Column("文号", 22),
        Column("制发单位", 20),
        Column("主送单位", 20),
        Column("来源案件", 16),
        Column("管理漏洞", 40),
        Column("制发日期", 12),
        Column("回复期限", 12),
        Column("状态", 10),
        Column("回复日期", 12),
        Column("催办次数", 10),
        Column("整改情况", 40),
    ]

    def lines() -> Iterator[list[Any]]:
        for lt in rows:
            yield [
                lt.get_kind_display(),
                lt.number,
                lt.issuer.name,
                lt.recipient.name,
                lt.case_number,
                lt.problem,
                lt.issued_on,
                lt.reply_due_on,
                lt.get_state_display(),
                _day(lt.replied_at),
                lt.reminder_count,
                lt.rectification,
            ]

    return _write("三书一函台账", office, context, columns, lines())


def tasks_xlsx(*, rows: Iterable[Task], office: str, context: str = "") -> bytes:
    columns = [
        Column("编号", 16),
        Column("整改事项", 30),
        Column("来源", 12),
        Column("牵头单位", 20),
        Column("配合单位", 26),
        Column("整改措施", 40),
        Column("责任人", 10),
        Column("整改期限", 12),
        Column("状态", 10),
        Column("催办次数", 10),
        Column("核验时间", 12),
        Column("销号时间", 12),
    ]

    def lines() -> Iterator[list[Any]]:
        for t in rows:
            yield [
                t.number,
                t.title,
                t.get_source_display(),
                t.lead_unit.name,
                "、".join(u.name for u in t.co_units.all()),
                t.measures,
                t.responsible_name,
                t.due_on,
                t.get_state_display(),
                t.reminder_count,
                _day(t.checked_at),
                _day(t.closed_at),
            ]

    return _write("整改台账", office, context, columns, lines())


def rules_xlsx(*, rows: Iterable[Rule], office: str, context: str = "") -> bytes:
    columns = [
        Column("制度名称", 32),
        Column("类别", 12),
        Column("制定单位", 20),
        Column("文号", 20),
        Column("印发日期", 12),
        Column("对应文书", 22),
        Column("主要内容", 40),
    ]

    def lines() -> Iterator[list[Any]]:
        for r in rows:
            yield [
                r.title,
                r.get_kind_display(),
                r.unit.name,
                r.doc_number,
                r.issued_on,
                r.letter.number if r.letter else "",
                r.summary,
            ]

    return _write("建章立制台账", office, context, columns, lines())
