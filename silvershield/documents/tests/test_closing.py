"""Attachments, signature and date, note, and the imprint (版记)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from silvershield.documents.tests.conftest import NS, Rendered, paragraph_text, w


def test_single_attachment(rendered: Rendered) -> None:
    p = rendered.paragraph_with("附件：")
    assert paragraph_text(p) == "附件：线索清单"
    ind = p.find("w:pPr/w:ind", NS)
    # first line two characters in; continuation lines under the name (2 + 3 characters)
    assert int(ind.get(w("leftChars"))) - int(ind.get(w("hangingChars"))) == 200
    assert ind.get(w("leftChars")) == "500"


def test_numbered_attachments_align(render: Callable[..., Rendered]) -> None:
    doc = render(attachments=["线索清单", "材料目录"])
    first, second = doc.paragraph_with("1.线索清单"), doc.paragraph_with("2.材料目录")
    assert paragraph_text(first) == "附件：1.线索清单"
    assert paragraph_text(second) == "2.材料目录"
    first_ind, second_ind = first.find("w:pPr/w:ind", NS), second.find("w:pPr/w:ind", NS)

    def start(ind: Any) -> int:
        return int(ind.get(w("leftChars"))) - int(ind.get(w("hangingChars")))

    assert start(first_ind) == 200
    assert start(second_ind) == 500  # under “1.”, after “附件：”
    assert first_ind.get(w("leftChars")) == second_ind.get(w("leftChars"))


def test_signature_then_date_two_characters_further_right(render: Callable[..., Rendered]) -> None:
    doc = render(signer="长兴县专项办", date=datetime.date(2026, 3, 5))
    signer, day = doc.paragraph_with("长兴县专项办"), doc.paragraph_with("2026年3月5日")
    for p in (signer, day):
        assert p.find("w:pPr/w:jc", NS).get(w("val")) == "right"
    # “2026年3月5日”: 3 full-width + 6 half-width = 6 characters wide; signer 6 wide.
    assert day.find("w:pPr/w:ind", NS).get(w("rightChars")) == "200"
    assert signer.find("w:pPr/w:ind", NS).get(w("rightChars")) == "400"
    assert signer.find("w:pPr/w:keepNext", NS) is not None


def test_long_signer_stays_two_characters_from_the_right(rendered: Rendered) -> None:
    signer = next(
        p
        for p in rendered.paragraphs()
        if paragraph_text(p) == "长兴县打击整治养老诈骗专项行动办公室"
        and p.find("w:pPr/w:jc", NS).get(w("val")) == "right"
    )
    day = rendered.paragraph_with("2026年3月5日")
    assert signer.find("w:pPr/w:ind", NS).get(w("rightChars")) == "200"
    # the date's first character is two characters right of the signer's first character
    signer_start = 200 + 1800
    date_width = 300 + 300  # 年月日 + six half-width digits (2026, 3, 5)
    date_start = int(day.find("w:pPr/w:ind", NS).get(w("rightChars"))) + date_width
    assert signer_start - date_start == 200


def test_note_in_parentheses_under_the_date(render: Callable[..., Rendered]) -> None:
    doc = render(contact="联系人：王某，电话：0572-0000000")
    p = doc.paragraph_with("联系人")
    assert paragraph_text(p) == "（联系人：王某，电话：0572-0000000）"
    assert p.find("w:pPr/w:ind", NS).get(w("firstLineChars")) == "200"


def test_imprint_rules_and_text(rendered: Rendered) -> None:
    tables = list(rendered.document.iterfind(".//w:body/w:tbl", NS))
    imprint = tables[-1]
    rows = [paragraph_text(tr) for tr in imprint.iterfind("w:tr", NS)]
    assert rows == [
        "抄送：长兴县人民检察院。",
        "长兴县打击整治养老诈骗专项行动办公室2026年3月6日印发",
    ]
    # the printing date is pushed to the right edge by a right tab stop
    printed = list(imprint.iterfind("w:tr", NS))[1]
    assert printed.find(".//w:r/w:tab", NS) is not None
    assert printed.find(".//w:pPr/w:tabs/w:tab", NS).get(w("val")) == "right"
    borders = imprint.find("w:tblPr/w:tblBorders", NS)
    widths = {
        side: borders.find(f"w:{side}", NS).get(w("sz")) for side in ("top", "insideH", "bottom")
    }
    assert widths == {"top": "8", "insideH": "6", "bottom": "8"}
    assert borders.find("w:insideV", NS).get(w("val")) == "nil"
    position = imprint.find("w:tblPr/w:tblpPr", NS)
    assert position.get(w("tblpYSpec")) == "bottom"
    assert position.get(w("vertAnchor")) == "margin"


def test_no_imprint_without_cc_or_printer(render: Callable[..., Rendered]) -> None:
    doc = render(cc=[], printer=None, printed_on=None, body=[])
    assert doc.document.find(".//w:body/w:tbl", NS) is None
