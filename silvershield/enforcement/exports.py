"""The case ledger (案件台账) as .xlsx: the user's scope only, no suspect names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from silvershield.core.ledger import Column, write_ledger
from silvershield.enforcement.models import Case
from silvershield.enforcement.selectors import recovery_of_row

COLUMNS = [
    Column("案件编号", 20),
    Column("案件名称", 30),
    Column("办案单位", 20),
    Column("案发地区", 26),
    Column("诈骗类型", 24),
    Column("诉讼阶段", 10),
    Column("立案日期", 12),
    Column("破案日期", 12),
    Column("移送起诉日期", 12),
    Column("起诉日期", 12),
    Column("判决日期", 12),
    Column("撤案日期", 12),
    Column("涉案金额（元）", 16),
    Column("受害人损失（元）", 16),
    Column("受害人数", 10),
    Column("其中老年人", 10),
    Column("嫌疑人数", 10),
    Column("已抓获", 10),
    Column("在逃", 8),
    Column("冻结扣押未返还（元）", 18),
    Column("已返还（元）", 16),
    Column("追赃挽损（元）", 16),
    Column("追赃挽损率", 12),
    Column("返还率", 10),
]


def _rows(cases: Iterable[Case]) -> Iterator[list[object]]:
    for case in cases:
        rec = recovery_of_row(case)
        yield [
            case.number,
            case.name,
            case.owner_unit.name,
            case.region.full_name,
            case.get_fraud_type_display(),
            case.get_stage_display(),
            case.filed_on,
            case.solved_on,
            case.referred_on,
            case.prosecuted_on,
            case.judged_on,
            case.withdrawn_on,
            case.amount_involved,
            case.victim_loss,
            case.victim_count,
            case.elderly_victim_count,
            case.n_suspects,  # type: ignore[attr-defined]
            case.n_caught,  # type: ignore[attr-defined]
            case.n_at_large,  # type: ignore[attr-defined]
            rec.secured_outstanding,
            rec.returned,
            rec.recovered,
            rec.recovery_rate,
            rec.returned_rate,
        ]


def cases_xlsx(*, cases: Iterable[Case], office: str, filters_label: str) -> bytes:
    return write_ledger(
        title="打击养老诈骗案件台账",
        office=office,
        context=f"筛选条件：{filters_label or '全部'}",
        columns=COLUMNS,
        rows=_rows(cases),
    )
