"""The ranking bulletin (通报) as a 公文, rendered from its stored content (a snapshot of the
rankings of a closed period), so a published bulletin never changes."""

from __future__ import annotations

from django.utils import timezone

from silvershield.documents.official import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    render_docx,
)
from silvershield.documents.weekly import _numbered, _table
from silvershield.stats.models import IssuedReport

NORMALISATION_LABELS = {"min_max": "极差法", "to_best": "对标最好", "rate": "比率直接计分"}


def bulletin_document(report: IssuedReport) -> OfficialDocument:
    c = report.content
    weights = "、".join(
        f"{w['name']}（权重{w['weight']}，{NORMALISATION_LABELS.get(w['normalisation'], '')}）"
        for w in c["weights"]
    )
    body: list[Block] = [
        Paragraph(
            f"根据打击整治养老诈骗专项行动考核办法，现将{c['period_label']}各地区、各成员单位"
            "工作排名情况通报如下。排名所用数字均由系统根据业务记录自动统计，"
            "只对地区和单位排名，样本量不足的列出但不参与排名。"
        ),
        Heading(1, "一、考核指标", rest=f"{weights}。" if weights else "无。"),
        Heading(1, "二、地区排名"),
    ]
    body.append(_table(c["regions"]) if c["regions"]["rows"] else Paragraph("无可排名的地区。"))
    body.append(Heading(1, "三、成员单位排名"))
    body.append(_table(c["units"]) if c["units"]["rows"] else Paragraph("无可排名的成员单位。"))
    body.append(Heading(1, "四、有关要求"))
    body.append(
        Paragraph("排名靠后的地区和单位要对照指标查找原因，及时办结超期事项，按期反馈举报人。")
    )
    prefix, number = _numbered(report)
    issued_on = timezone.localtime(report.issued_at).date()
    unit = report.issuing_unit.name
    return OfficialDocument(
        issuer=unit,
        number=number,
        number_prefix=prefix,
        title=report.title,
        recipients=["各成员单位", "各地专项办"],
        body=body,
        signer=unit,
        date=issued_on,
        printer=unit,
        printed_on=issued_on,
        char_limit=None,
    )


def bulletin_docx(report: IssuedReport) -> bytes:
    return render_docx(bulletin_document(report))
