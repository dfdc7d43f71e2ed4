"""发文字号: 〔2026〕12号 — six-cornered brackets, no 第, no leading zero."""

from __future__ import annotations

import pytest

from silvershield.documents.official import number_format, parse_number
from silvershield.documents.tests.conftest import Rendered, make_document, paragraph_text


def test_format() -> None:
    assert number_format(2026, 12) == "〔2026〕12号"
    assert number_format(2026, 1) == "〔2026〕1号"


@pytest.mark.parametrize(("year", "seq"), [(26, 1), (2026, 0), (2026, -3)])
def test_format_refuses_impossible_numbers(year: int, seq: int) -> None:
    with pytest.raises(ValueError, match=r"年份|序号"):
        number_format(year, seq)


def test_parse_round_trip() -> None:
    assert parse_number("〔2026〕12号") == (2026, 12)
    assert parse_number(number_format(2031, 305)) == (2031, 305)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("〔2026〕第12号", "不加“第”字"),
        ("〔2026〕012号", "不编虚位"),
        ("〔2026〕01号", "〔2026〕1号"),
        ("[2026]12号", "六角括号"),
        ("【2026】12号", "六角括号"),
        ("（2026）12号", "六角括号"),
        ("(2026)12号", "六角括号"),
        ("〔26〕12号", "四位"),
        ("〔２０２６〕１２号", "半角"),
        ("〔二〇二六〕十二号", "不用汉字"),
        ("〔2026〕12", "加“号”字"),
        ("湖养诈办〔2026〕12号", "机关代字"),
        ("", "格式"),
    ],
)
def test_parse_explains_bad_forms_in_chinese(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_number(text)


def test_document_refuses_a_bad_number() -> None:
    with pytest.raises(ValueError, match="不加“第”字"):
        make_document(number="〔2026〕第7号")


def test_document_refuses_digits_in_the_issuer_code() -> None:
    with pytest.raises(ValueError, match="机关代字"):
        make_document(number_prefix="长养诈办〔2026〕")


def test_printed_number_is_code_plus_number(rendered: Rendered) -> None:
    p = rendered.paragraph_with("〔2026〕")
    text = paragraph_text(p)
    assert text == "长养诈办〔2026〕7号"
    assert "第" not in text
    assert parse_number(text.removeprefix("长养诈办")) == (2026, 7)
