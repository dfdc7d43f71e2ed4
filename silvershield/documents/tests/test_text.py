"""Plain text in, safe XML out; dates in Arabic numerals."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable

import pytest

from silvershield.documents.official import (
    Heading,
    Paragraph,
    clean_text,
    date_text,
    heading_number,
)
from silvershield.documents.tests.conftest import Rendered, paragraph_text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 11, 24), "2026年11月24日"),
        (datetime.date(2027, 1, 5), "2027年1月5日"),  # 不编虚位
    ],
)
def test_dates_in_arabic_numerals(day: datetime.date, text: str) -> None:
    assert date_text(day) == text


def test_signing_and_printing_dates_in_the_document(rendered: Rendered) -> None:
    text = rendered.all_text()
    assert "2026年3月5日" in text
    assert "2026年3月6日印发" in text
    assert "二〇二六" not in text


def test_control_characters_are_stripped(render: Callable[..., Rendered]) -> None:
    doc = render(
        title="关于\x00转办\x1b线索\x7f的函",
        body=[Paragraph("线索\x0b内容\x08如下\ufffe。\u202e")],
        recipients=["长兴县\x0c公安局"],
    )
    assert doc.paragraph_with("关于转办线索的函") is not None
    assert doc.paragraph_with("线索内容如下。") is not None
    assert doc.paragraph_with("长兴县公安局：") is not None
    with zipfile.ZipFile(io.BytesIO(doc.data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\u202e]", xml)


def test_markup_is_text_not_xml(render: Callable[..., Rendered]) -> None:
    doc = render(body=[Paragraph("<w:p>&amp; 请注意</w:p>")])
    assert doc.paragraph_with("<w:p>&amp; 请注意</w:p>") is not None


def test_line_breaks_start_new_paragraphs(render: Callable[..., Rendered]) -> None:
    doc = render(body=[Paragraph("第一段。\r\n\r\n第二段。\n")])
    first, second = doc.paragraph_with("第一段。"), doc.paragraph_with("第二段。")
    assert first is not second
    assert paragraph_text(first) == "第一段。"


def test_clean_text_folds_lines_and_tabs() -> None:
    assert clean_text(" 关于\n转办\t线索 ") == "关于 转办 线索"
    assert clean_text("a\u200bb\ufeff") == "ab"


@pytest.mark.parametrize(
    ("level", "n", "text"),
    [
        (1, 1, "一、"),
        (1, 10, "十、"),
        (1, 23, "二十三、"),
        (2, 3, "（三）"),
        (3, 4, "4."),
        (4, 2, "（2）"),
    ],
)
def test_heading_ordinals(level: int, n: int, text: str) -> None:
    assert heading_number(level, n) == text


def test_only_four_heading_levels() -> None:
    with pytest.raises(ValueError, match="四级"):
        Heading(5, "（a）")
