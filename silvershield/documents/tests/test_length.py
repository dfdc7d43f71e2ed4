"""基层减负: a task document warns above 4,000 characters of body text."""

from __future__ import annotations

from silvershield.documents.official import Heading, Paragraph, Table
from silvershield.documents.tests.conftest import make_document


def test_no_warning_at_exactly_the_limit() -> None:
    doc = make_document(body=[Paragraph("字" * 4000)])
    assert doc.body_char_count() == 4000
    assert doc.length_warnings() == []


def test_warns_one_character_over() -> None:
    doc = make_document(body=[Paragraph("字" * 3991), Heading(1, "一、十个字的标题啊啊")])
    assert doc.body_char_count() == 4001
    (warning,) = doc.length_warnings()
    assert (warning.count, warning.limit) == (4001, 4000)
    assert "4000" in warning.message and "精简" in warning.message


def test_counts_table_cells_and_ignores_whitespace_and_masthead() -> None:
    doc = make_document(
        title="标" * 5000,
        body=[Paragraph("甲 乙\n丙"), Table(headers=["序号"], rows=[["1"], ["2"]])],
    )
    assert doc.body_char_count() == 3 + 2 + 2
    assert doc.length_warnings() == []


def test_a_document_without_a_limit_never_warns() -> None:
    doc = make_document(body=[Paragraph("字" * 9000)], char_limit=None)
    assert doc.length_warnings() == []
