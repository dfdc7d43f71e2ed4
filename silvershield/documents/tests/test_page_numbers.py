"""Page numbers: “— 1 —” in 四号宋体, odd pages right, even pages left."""

from __future__ import annotations

from typing import Any

import pytest

from silvershield.documents.tests.conftest import NS, Rendered, run_font, w


def _footer_paragraph(rendered: Rendered, kind: str) -> Any:
    (p,) = rendered.footer(kind).iterfind("w:p", NS)
    return p


def test_settings_ask_for_different_odd_and_even_footers(rendered: Rendered) -> None:
    flag = rendered.settings.find("w:evenAndOddHeaders", NS)
    assert flag is not None
    assert flag.get(w("val")) in {None, "1", "true", "on"}


@pytest.mark.parametrize("kind", ["default", "even"])
def test_page_field_between_dashes(rendered: Rendered, kind: str) -> None:
    p = _footer_paragraph(rendered, kind)
    sequence: list[str] = []
    for r in p.iterfind("w:r", NS):
        if (t := r.find("w:t", NS)) is not None:
            sequence.append(f"text:{t.text}")
        if (c := r.find("w:fldChar", NS)) is not None:
            sequence.append(f"field:{c.get(w('fldCharType'))}")
        if (i := r.find("w:instrText", NS)) is not None:
            sequence.append(f"instr:{(i.text or '').strip()}")
    assert sequence == [
        "text:— ",
        "field:begin",
        "instr:PAGE",
        "field:separate",
        "text:1",
        "field:end",
        "text: —",
    ]


@pytest.mark.parametrize("kind", ["default", "even"])
def test_page_numbers_are_sihao_songti(rendered: Rendered, kind: str) -> None:
    p = _footer_paragraph(rendered, kind)
    for r in p.iterfind("w:r", NS):
        font = run_font(r)
        assert (font["eastAsia"], font["ascii"], font["size"]) == ("宋体", "宋体", "28")


def test_odd_pages_right_even_pages_left_one_character_in(rendered: Rendered) -> None:
    odd = _footer_paragraph(rendered, "default").find("w:pPr", NS)
    even = _footer_paragraph(rendered, "even").find("w:pPr", NS)
    assert odd.find("w:jc", NS).get(w("val")) == "right"
    assert odd.find("w:ind", NS).get(w("right")) == "280"  # one 四号 character
    assert even.find("w:jc", NS).get(w("val")) == "left"
    assert even.find("w:ind", NS).get(w("left")) == "280"
