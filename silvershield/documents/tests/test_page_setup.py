"""A4, the GB/T 9704 margins, and the 22 × 28 grid."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Length

from silvershield.documents.tests.conftest import NS, Rendered, w


def test_a4_page_in_twips(rendered: Rendered) -> None:
    size = rendered.sect_pr.find("w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # 210 × 297 mm


def test_margins_in_twips(rendered: Rendered) -> None:
    margins = rendered.sect_pr.find("w:pgMar", NS)
    got = {side: int(margins.get(w(side))) for side in ("top", "bottom", "left", "right")}
    # 37 mm top, 35 mm bottom, 28 mm binding (left), 26 mm right
    assert got == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
    assert margins.get(w("gutter")) == "0"


def test_text_block_is_156_by_225_mm(rendered: Rendered) -> None:
    section = docx.Document(io.BytesIO(rendered.data)).sections[0]

    def mm(length: Length | None) -> float:
        assert length is not None
        return float(length.mm)

    width = mm(section.page_width) - mm(section.left_margin) - mm(section.right_margin)
    height = mm(section.page_height) - mm(section.top_margin) - mm(section.bottom_margin)
    assert width == pytest.approx(156, abs=0.1)
    assert height == pytest.approx(225, abs=0.1)
    assert mm(section.top_margin) == pytest.approx(37, abs=0.05)
    assert mm(section.left_margin) == pytest.approx(28, abs=0.05)


def test_document_grid_22_lines_of_28_characters(rendered: Rendered) -> None:
    grid = rendered.sect_pr.find("w:docGrid", NS)
    assert grid.get(w("type")) == "linesAndChars"
    pitch = int(grid.get(w("linePitch")))
    assert pitch == 579
    text_height = 16838 - 2098 - 1984
    assert 22 * pitch <= text_height < 23 * pitch
    # charSpace: 1/4096 pt added to the 16 pt default; 28 characters must fit 156 mm, 29 must not
    char_pitch_pt = 16 + int(grid.get(w("charSpace"))) / 4096
    text_width_pt = (11906 - 1587 - 1474) / 20
    assert 28 * char_pitch_pt <= text_width_pt < 29 * char_pitch_pt


def test_body_lines_are_exactly_on_the_pitch(rendered: Rendered) -> None:
    spacing = rendered.paragraph_with("近期发现").find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")


def test_28_characters_fit_a_line_and_29_do_not(rendered: Rendered) -> None:
    run = rendered.paragraph_with("近期发现").find("w:r/w:rPr", NS)
    advance_pt = (
        int(run.find("w:sz", NS).get(w("val"))) / 2
        + int(run.find("w:spacing", NS).get(w("val"))) / 20
    )
    text_width_pt = (11906 - 1587 - 1474) / 20
    assert 28 * advance_pt <= text_width_pt < 29 * advance_pt


def test_defaults_name_fonts_not_theme_fonts(rendered: Rendered) -> None:
    styles = rendered.part("word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert fonts.get(w("eastAsiaTheme")) is None
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("eastAsia")) == "zh-CN"


def test_font_table_names_fallbacks(rendered: Rendered) -> None:
    table = rendered.part("word/fontTable.xml")
    alt = {
        f.get(w("name")): f.find("w:altName", NS).get(w("val"))
        for f in table.iterfind("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alt["仿宋_GB2312"] == "仿宋"
    assert alt["楷体_GB2312"] == "楷体"
