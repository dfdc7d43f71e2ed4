"""The weekly report (工作周报) as a 公文: rendered from the content stored when it was issued
(``stats.IssuedReport``), never from live records, so an issued report renders the same forever."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from silvershield.documents.official import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)
from silvershield.stats.models import IssuedReport


def _table(part: dict[str, Any]) -> Table:
    return Table(headers=list(part["headers"]), rows=[list(map(str, r)) for r in part["rows"]])


def _numbered(report: IssuedReport) -> tuple[str, str]:
    prefix, _, rest = report.number.partition("〔")
    return prefix, "〔" + rest


def weekly_document(report: IssuedReport) -> OfficialDocument:
    c = report.content
    body: list[Block] = [
        Paragraph(
            f"现将{c['region']}{c['period_label']}打击整治养老诈骗工作情况报告如下。"
            "本报告数字均由系统根据业务记录自动统计。"
        ),
        Heading(1, "一、总体情况"),
        _table(c["overall"]),
        Heading(1, "二、分地区情况"),
    ]
    body.append(_table(c["by_region"]) if c["by_region"]["rows"] else Paragraph("无下级地区。"))
    body.append(Heading(1, "三、排名情况"))
    body.append(_table(c["ranking"]) if c["ranking"]["rows"] else Paragraph("本周无可排名的地区。"))
    body.append(Heading(1, "四、超期和久催不办事项"))
    overdue = c["overdue"]
    if overdue["rows"]:
        body.append(Paragraph(f"截至印发时，超期未办结事项共{overdue['total']}件："))
        body.append(_table(overdue))
    else:
        body.append(Paragraph("截至印发时，没有超期未办结事项。"))
    if c["chronic"]["rows"]:
        body.append(Heading(2, "（一）久催不办事项（催办两次以上仍未办结）"))
        body.append(_table(c["chronic"]))
    body.append(Heading(1, "五、与上周相比"))
    body.append(
        Paragraph("；".join(c["changes"]) + "。" if c["changes"] else "各项指标与上周持平。")
    )
    body.append(Heading(1, "六、工作分析"))
    body.append(Paragraph(report.narrative or "（无）"))
    prefix, number = _numbered(report)
    issued_on = timezone.localtime(report.issued_at).date()
    unit = report.issuing_unit.name
    return OfficialDocument(
        issuer=unit,
        number=number,
        number_prefix=prefix,
        title=report.title,
        recipients=["各成员单位"],
        body=body,
        signer=unit,
        date=issued_on,
        printer=unit,
        printed_on=issued_on,
        contact=f"经办人：{report.issued_by_name}",
        char_limit=None,
    )


def weekly_docx(report: IssuedReport) -> bytes:
    return render_docx(weekly_document(report))
