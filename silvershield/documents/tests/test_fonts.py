"""Type per element: 三号仿宋 body, 二号小标宋 title, 黑体/楷体/仿宋 headings, red issuer mark."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from silvershield.documents.official import Heading
from silvershield.documents.tests.conftest import NS, Rendered, paragraph_text, run_font, runs, w


def test_body_is_sanhao_fangsong(rendered: Rendered) -> None:
    (run,) = runs(rendered.paragraph_with("近期发现"))
    font = run_font(run)
    assert font["eastAsia"] == "仿宋_GB2312"
    assert font["ascii"] == "仿宋_GB2312"
    assert font["size"] == "32"


def test_body_paragraphs_indent_two_characters(rendered: Rendered) -> None:
    ind = rendered.paragraph_with("近期发现").find("w:pPr/w:ind", NS)
    assert ind.get(w("firstLineChars")) == "200"
    assert ind.get(w("firstLine")) == "640"  # 2 × 16 pt
    jc = rendered.paragraph_with("近期发现").find("w:pPr/w:jc", NS)
    assert jc.get(w("val")) == "both"


def test_title_is_erhao_xiaobiaosong_centred(rendered: Rendered) -> None:
    p = rendered.paragraph_with("关于转办养老诈骗线索的函")
    font = run_font(runs(p)[0])
    assert font["eastAsia"] == "方正小标宋简体"
    assert font["size"] == "44"
    assert p.find("w:pPr/w:jc", NS).get(w("val")) == "center"


@pytest.mark.parametrize(
    ("text", "font"),
    [
        ("一、线索内容", "黑体"),
        ("（一）基本情况", "楷体_GB2312"),
        ("1.涉事主体", "仿宋_GB2312"),
        ("（1）经营情况", "仿宋_GB2312"),
    ],
)
def test_heading_fonts_by_level(rendered: Rendered, text: str, font: str) -> None:
    p = rendered.paragraph_with(text)
    got = run_font(runs(p)[0])
    assert (got["eastAsia"], got["size"]) == (font, "32")
    assert p.find("w:pPr/w:ind", NS).get(w("firstLineChars")) == "200"


def test_heading_run_in_text_is_body_type(render: Callable[..., Rendered]) -> None:
    doc = render(body=[Heading(2, "（一）基本情况。", rest="本月受理线索12条。")])
    heading, rest = runs(doc.paragraph_with("本月受理"))
    assert run_font(heading)["eastAsia"] == "楷体_GB2312"
    assert run_font(rest)["eastAsia"] == "仿宋_GB2312"


def test_issuer_mark_is_red_xiaobiaosong_centred_on_one_line(rendered: Rendered) -> None:
    p = rendered.paragraph_with("长兴县打击整治养老诈骗专项行动办公室")
    font = run_font(runs(p)[0])
    assert font["eastAsia"] == "方正小标宋简体"
    assert font["color"] in {"FF0000", "C00000"}
    assert p.find("w:pPr/w:jc", NS).get(w("val")) == "center"
    chars = len(paragraph_text(p))
    assert chars * int(font["size"] or 0) / 2 <= (11906 - 1587 - 1474) / 20  # fits 156 mm


def test_short_issuer_is_capped_at_xiaochu(render: Callable[..., Rendered]) -> None:
    p = render(issuer="某某办公室").paragraph_with("某某办公室")
    assert run_font(runs(p)[0])["size"] == "72"  # 36 pt


def test_red_rule_under_the_document_number(rendered: Rendered) -> None:
    p = rendered.paragraph_with("长养诈办〔2026〕7号")
    bottom = p.find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom is not None
    assert bottom.get(w("val")) == "single"
    assert bottom.get(w("color")) in {"FF0000", "C00000"}
    assert p.find("w:pPr/w:ind", NS) is None  # as wide as the text block
    assert p.find("w:pPr/w:jc", NS).get(w("val")) == "center"
    assert run_font(runs(p)[0])["eastAsia"] == "仿宋_GB2312"


def test_order_of_the_masthead(rendered: Rendered) -> None:
    texts = [paragraph_text(p) for p in rendered.paragraphs()]
    nonblank = [t for t in texts if t]
    assert nonblank[:4] == [
        "长兴县打击整治养老诈骗专项行动办公室",
        "长养诈办〔2026〕7号",
        "关于转办养老诈骗线索的函",
        "长兴县公安局、长兴县民政局：",
    ]
    # 发文机关标志下空二行 → 发文字号; 分隔线下空二行 → 标题
    issuer = texts.index(nonblank[0])
    number = texts.index(nonblank[1])
    title = texts.index(nonblank[2])
    assert number - issuer == 3
    assert title - number == 3
