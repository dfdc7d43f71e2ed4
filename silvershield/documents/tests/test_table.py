"""Tables: 仿宋, ruled, bold header row repeated on each page."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from silvershield.documents.official import Table
from silvershield.documents.tests.conftest import NS, Rendered, run_font, w


def _render_table(render: Callable[..., Rendered]) -> Rendered:
    return render(
        body=[
            Table(
                headers=["序号", "线索编号", "反映内容"],
                rows=[
                    ["1", "XS-0012", "以预售床位为名收取会员费"],
                    ["2", "XS-0013", "保健品\n诱骗"],
                ],
            )
        ]
    )


def test_headers_and_rows_read_back(render: Callable[..., Rendered]) -> None:
    doc = _render_table(render)
    (table, _imprint) = docx.Document(io.BytesIO(doc.data)).tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["序号", "线索编号", "反映内容"],
        ["1", "XS-0012", "以预售床位为名收取会员费"],
        ["2", "XS-0013", "保健品\n诱骗"],
    ]


def test_header_row_bold_repeating_body_rows_plain(render: Callable[..., Rendered]) -> None:
    doc = _render_table(render)
    tbl = doc.document.find(".//w:body/w:tbl", NS)
    header, first, _second = tbl.iterfind("w:tr", NS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    for r in header.iterfind(".//w:r", NS):
        assert run_font(r)["bold"] == "yes"
        assert run_font(r)["eastAsia"] == "仿宋_GB2312"
    for r in first.iterfind(".//w:r", NS):
        assert run_font(r)["bold"] is None
        assert run_font(r)["eastAsia"] == "仿宋_GB2312"


def test_simple_single_rules_the_width_of_the_text_block(render: Callable[..., Rendered]) -> None:
    tbl = _render_table(render).document.find(".//w:body/w:tbl", NS)
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(f"w:{side}", NS).get(w("val")) == "single"
    assert tbl.find("w:tblPr/w:tblW", NS).get(w("w")) == str(11906 - 1587 - 1474)


def test_ragged_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="第1行有1列"):
        Table(headers=["序号", "内容"], rows=[["1"]])
