"""The 转办函 as a 公文: built from the letter the workflow recorded (never from live records, so
an issued letter renders the same forever)."""

from __future__ import annotations

from django.utils import timezone

from silvershield.documents.official import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)
from silvershield.workflow.models import TransferLetter

TIP_COLUMNS = ["线索编号", "受理日期", "来源渠道", "所在地区", "涉及机构", "类型", "线索内容"]


def transfer_letter_document(letter: TransferLetter) -> OfficialDocument:
    prefix, _, rest = letter.number.partition("〔")
    issued_on = timezone.localtime(letter.issued_at).date()
    co = f"，{'、'.join(letter.co_recipients)}配合" if letter.co_recipients else ""
    rows = [
        [
            t["number"],
            t["received_on"],
            t["channel"],
            t["region"],
            t["institution"] or "—",
            t["type"] or "—",
            t["substance"],
        ]
        for t in letter.tips
    ]
    body: list[Block] = [
        Paragraph(f"现将{len(letter.tips)}条养老诈骗线索转你单位牵头办理{co}。有关事项函告如下："),
        Heading(1, "一、办理时限", rest=f"请于{letter.deadline_text}办结并报送核查报告。"),
        Heading(1, "二、办理要求", rest=letter.requirements),
        Heading(1, "三、线索清单"),
        Table(headers=TIP_COLUMNS, rows=rows),
    ]
    if letter.supersedes_id:
        body.insert(
            0, Paragraph(f"本函更正并替代{letter.supersedes.number if letter.supersedes else ''}。")
        )
    return OfficialDocument(
        issuer=letter.issuing_unit.name,
        number="〔" + rest,
        number_prefix=prefix,
        title=letter.title,
        recipients=list(letter.recipients) + list(letter.co_recipients),
        body=body,
        signer=letter.issuing_unit.name,
        date=issued_on,
        printer=letter.issuing_unit.name,
        printed_on=issued_on,
        contact=f"经办人：{letter.issued_by_name}",
    )


def transfer_letter_docx(letter: TransferLetter) -> bytes:
    return render_docx(transfer_letter_document(letter))
