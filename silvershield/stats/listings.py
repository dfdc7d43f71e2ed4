"""How the drill-down list of each kind of record looks: on the page and in its .xlsx ledger.

Tips and transfers have their own tables (``stats/records.html``, ``stats.ledgers``); every later
record kind a figure counts (cases, suspects, recoveries, hazards, letters …) is described here
once: its column heads, the cells of one row, the record's own page and, where the owning app
already writes a ledger, that app's writer. Suspects appear without their names (personal data
stays on the case page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from silvershield.core.ledger import Column, write_ledger
from silvershield.enforcement import exports as case_exports
from silvershield.enforcement import money
from silvershield.enforcement.selectors import recovery_of_row, with_money
from silvershield.rectification import exports as rect_exports


def _local(value: Any) -> Any:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""


@dataclass(frozen=True)
class Listing:
    headers: tuple[str, ...]
    cells: Callable[[Any], tuple[Any, ...]]
    url: Callable[[Any], str]
    related: tuple[str, ...] = ()
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda qs: qs
    # (rows, office, context) → .xlsx; default: these headers and cells.
    writer: Callable[[Iterable[Any], str, str], bytes] | None = None

    def rows(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return self.prepare(qs.select_related(*self.related))

    def xlsx(self, *, rows: Iterable[Any], title: str, office: str, context: str) -> bytes:
        if self.writer is not None:
            return self.writer(rows, office, context)
        return write_ledger(
            title=title,
            office=office,
            context=context,
            columns=[Column(h, 18) for h in self.headers],
            rows=(list(self.cells(r)) for r in rows),
        )


def _case_url(case_id: int) -> str:
    return reverse("enforcement:detail", args=[case_id])


def _case_cells(case: Any) -> tuple[Any, ...]:
    rec = recovery_of_row(case)
    return (
        case.number,
        case.name,
        case.owner_unit.name,
        case.region.name,
        case.get_fraud_type_display(),
        case.get_stage_display(),
        case.filed_on,
        money.yuan(case.victim_loss),
        money.yuan(rec.recovered),
        money.percent(rec.recovery_rate),
    )


LISTINGS: dict[str, Listing] = {
    "cases": Listing(
        headers=(
            "案件编号",
            "案件名称",
            "办案单位",
            "案发地区",
            "诈骗类型",
            "诉讼阶段",
            "立案日期",
            "受害人损失",
            "追赃挽损",
            "追赃挽损率",
        ),
        cells=_case_cells,
        url=lambda c: _case_url(c.pk),
        related=("owner_unit", "region"),
        prepare=with_money,
        writer=lambda rows, office, context: case_exports.cases_xlsx(
            cases=rows, office=office, filters_label=context
        ),
    ),
    "suspects": Listing(
        headers=("案件编号", "案件名称", "办案单位", "状态", "抓获/到案日期"),
        cells=lambda s: (
            s.case.number,
            s.case.name,
            s.case.owner_unit.name,
            s.get_status_display(),
            s.caught_on,
        ),
        url=lambda s: _case_url(s.case_id),
        related=("case", "case__owner_unit"),
    ),
    "gangs": Listing(
        headers=("团伙名称", "所在地区", "办案单位", "打掉日期"),
        cells=lambda g: (g.name, g.region.name, g.owner_unit.name, g.broken_on),
        url=lambda g: reverse("enforcement:gang", args=[g.pk]),
        related=("region", "owner_unit"),
    ),
    "recoveries": Listing(
        headers=("案件编号", "案件名称", "措施", "金额", "日期", "实施单位", "说明"),
        cells=lambda r: (
            r.case.number,
            r.case.name,
            r.get_kind_display(),
            money.yuan(r.amount),
            r.on,
            r.unit.name,
            r.note,
        ),
        url=lambda r: _case_url(r.case_id),
        related=("case", "unit"),
    ),
    "reviews": Listing(
        headers=("案件编号", "案件名称", "列入日期", "回头看期限", "完成日期", "回头看结果"),
        cells=lambda r: (
            r.case.number,
            r.case.name,
            r.flagged_on,
            r.due_on,
            r.reviewed_on,
            r.outcome,
        ),
        url=lambda r: _case_url(r.case_id),
        related=("case",),
    ),
    "hazards": Listing(
        headers=("编号", "涉及机构", "领域", "所在地区", "整治责任单位", "整治期限", "状态"),
        cells=lambda h: (
            h.number,
            h.institution.name if h.institution else "",
            h.get_sector_display(),
            h.region.name,
            h.unit.name,
            h.due_on,
            h.get_state_display(),
        ),
        url=lambda h: reverse("rectification:hazard", args=[h.pk]),
        related=("institution", "region", "unit"),
        writer=lambda rows, office, context: rect_exports.hazards_xlsx(
            rows=rows, office=office, context=context
        ),
    ),
    "letters": Listing(
        headers=("文书种类", "文号", "制发单位", "主送单位", "制发日期", "回复期限", "状态"),
        cells=lambda x: (
            x.get_kind_display(),
            x.number,
            x.issuer.name,
            x.recipient.name,
            x.issued_on,
            x.reply_due_on,
            x.get_state_display(),
        ),
        url=lambda x: reverse("rectification:letter", args=[x.pk]),
        related=("issuer", "recipient"),
        writer=lambda rows, office, context: rect_exports.letters_xlsx(
            rows=rows, office=office, context=context
        ),
    ),
    "tasks": Listing(
        headers=("编号", "整改事项", "牵头单位", "责任人", "整改期限", "状态", "销号时间"),
        cells=lambda t: (
            t.number,
            t.title,
            t.lead_unit.name,
            t.responsible_name,
            t.due_on,
            t.get_state_display(),
            _local(t.closed_at),
        ),
        url=lambda t: reverse("rectification:task", args=[t.pk]),
        related=("lead_unit",),
        writer=lambda rows, office, context: rect_exports.tasks_xlsx(
            rows=rows, office=office, context=context
        ),
    ),
    "rules": Listing(
        headers=("制度名称", "类别", "制定单位", "文号", "印发日期"),
        cells=lambda r: (r.title, r.get_kind_display(), r.unit.name, r.doc_number, r.issued_on),
        url=lambda r: reverse("rectification:rule", args=[r.pk]),
        related=("unit",),
        writer=lambda rows, office, context: rect_exports.rules_xlsx(
            rows=rows, office=office, context=context
        ),
    ),
    "institutions": Listing(
        headers=("机构名称", "统一社会信用代码", "证照状态", "监管领域", "所在地区"),
        cells=lambda i: (
            i.name,
            i.uscc,
            i.get_licence_status_display(),
            i.get_sector_display(),
            i.region.name,
        ),
        url=lambda i: reverse("rectification:institution", args=[i.pk]),
        related=("region",),
        writer=lambda rows, office, context: rect_exports.institutions_xlsx(
            rows=rows, office=office, context=context
        ),
    ),
}


def listing(key: str) -> Listing:
    return LISTINGS[key]
