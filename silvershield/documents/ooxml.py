"""Small WordprocessingML builders on top of python-docx.

python-docx covers runs, tables, sections and footers but not east-Asian fonts, the document grid,
paragraph borders or fields, so this module writes those elements itself, in the child order the
schema (ECMA-376 Part 1) requires: Word refuses or repairs a file whose children are out of order.
Nothing here knows about 公文; official.py composes these into one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from silvershield.documents import layout

# python-docx has no type information; its objects are Any here and stay inside this module and
# official.py.
Element = Any


def _el(tag: str, **attrs: str | int) -> Element:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _replace(parent: Element, child: Element) -> None:
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


# -- runs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Font:
    name: str
    size: int  # half-points
    bold: bool = False
    color: str | None = None  # RRGGBB
    scale: int = 100  # horizontal scale in per cent (w:w)
    spacing: int = 0  # extra space after each character, twentieths of a point (w:spacing)


def rfonts(name: str) -> Element:
    """One font for every script, east-Asian first: no theme fonts, which would win over names."""
    return _el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def run_properties(font: Font) -> Element:
    rpr = _el("w:rPr")
    rpr.append(rfonts(font.name))
    if font.bold:
        rpr.append(_el("w:b"))
        rpr.append(_el("w:bCs"))
    if font.color:
        rpr.append(_el("w:color", val=font.color))
    if font.spacing:
        rpr.append(_el("w:spacing", val=font.spacing))
    if font.scale != 100:
        rpr.append(_el("w:w", val=font.scale))
    rpr.append(_el("w:sz", val=font.size))
    rpr.append(_el("w:szCs", val=font.size))
    return rpr


def add_run(paragraph: Any, text: str, font: Font) -> Any:
    run = paragraph.add_run(text)
    r = run._r
    for old in r.findall(qn("w:rPr")):
        r.remove(old)
    r.insert(0, run_properties(font))
    return run


def add_page_field(paragraph: Any, font: Font) -> None:
    """A PAGE field (complex field: begin, instruction, separate, cached result, end)."""
    p = paragraph._p

    def field_run(*children: Element) -> None:
        r = _el("w:r")
        r.append(run_properties(font))
        for child in children:
            r.append(child)
        p.append(r)

    field_run(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    field_run(instr)
    field_run(_el("w:fldChar", fldCharType="separate"))
    cached = _el("w:t")
    cached.text = "1"
    field_run(cached)
    field_run(_el("w:fldChar", fldCharType="end"))


# -- paragraphs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Border:
    width: int  # eighths of a point
    color: str = "000000"
    space: int = 0  # points between text and rule


@dataclass(frozen=True)
class Layout:
    """Paragraph properties; None leaves Word's default (inherited from the document defaults)."""

    align: str | None = None  # left, center, right, both
    before: int = 0  # twips
    after: int = 0
    line: int | None = None  # twips, exact; None: single (auto)
    grid: bool = False  # snap to the document grid (see layout.CHAR_SPACING for why not)
    first_line_chars: float = 0  # characters of 三号 (16 pt)
    left: int = 0  # twips
    right: int = 0  # twips
    right_chars: float = 0
    left_chars: float = 0
    hanging: int = 0  # twips
    hanging_chars: float = 0
    keep_next: bool = False
    bottom_border: Border | None = None
    outline_level: int | None = None
    right_tab: int | None = None  # a right-aligned tab stop at this position (twips)


def paragraph_properties(spec: Layout) -> Element:
    ppr = _el("w:pPr")
    if spec.keep_next:
        ppr.append(_el("w:keepNext"))
    if spec.bottom_border is not None:
        b = spec.bottom_border
        borders = _el("w:pBdr")
        borders.append(_el("w:bottom", val="single", sz=b.width, space=b.space, color=b.color))
        ppr.append(borders)
    if spec.right_tab is not None:
        tabs = _el("w:tabs")
        tabs.append(_el("w:tab", val="right", pos=spec.right_tab))
        ppr.append(tabs)
    if not spec.grid:
        ppr.append(_el("w:snapToGrid", val="0"))
    if spec.line is None:
        ppr.append(
            _el("w:spacing", before=spec.before, after=spec.after, line=240, lineRule="auto")
        )
    else:
        ppr.append(
            _el("w:spacing", before=spec.before, after=spec.after, line=spec.line, lineRule="exact")
        )
    ind: dict[str, str | int] = {}
    if spec.left or spec.left_chars:
        ind["left"] = spec.left or round(spec.left_chars * layout.CHAR)
        if spec.left_chars:
            ind["leftChars"] = round(spec.left_chars * 100)
    if spec.right or spec.right_chars:
        ind["right"] = spec.right or round(spec.right_chars * layout.CHAR)
        if spec.right_chars:
            ind["rightChars"] = round(spec.right_chars * 100)
    if spec.first_line_chars:
        ind["firstLine"] = round(spec.first_line_chars * layout.CHAR)
        ind["firstLineChars"] = round(spec.first_line_chars * 100)
    elif spec.hanging or spec.hanging_chars:
        ind["hanging"] = spec.hanging or round(spec.hanging_chars * layout.CHAR)
        if spec.hanging_chars:
            ind["hangingChars"] = round(spec.hanging_chars * 100)
    if ind:
        ppr.append(_el("w:ind", **ind))
    if spec.align is not None:
        ppr.append(_el("w:jc", val=spec.align))
    if spec.outline_level is not None:
        ppr.append(_el("w:outlineLvl", val=spec.outline_level))
    return ppr


def set_layout(paragraph: Any, spec: Layout) -> None:
    p = paragraph._p
    for old in p.findall(qn("w:pPr")):
        p.remove(old)
    p.insert(0, paragraph_properties(spec))


# -- document-wide settings ----------------------------------------------------------------------


def set_document_defaults(document: Any, font: Font, line: int) -> None:
    """Default run font and size, Chinese language, no space after paragraphs, exact line pitch."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = _el("w:docDefaults")
        styles.insert(0, defaults)
    for old in list(defaults):
        defaults.remove(old)
    rpr_default = _el("w:rPrDefault")
    rpr = run_properties(font)
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    ppr_default = _el("w:pPrDefault")
    ppr = _el("w:pPr")
    ppr.append(_el("w:spacing", before=0, after=0, line=line, lineRule="exact"))
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    # The template's styles name theme fonts: drop them so our names apply.
    for style in styles.findall(qn("w:style")):
        for rpr_el in style.findall(qn("w:rPr")):
            for rf in rpr_el.findall(qn("w:rFonts")):
                rpr_el.remove(rf)
    # LibreOffice sizes the character grid from the Normal style's east-Asian font size, not from
    # the document defaults: without this its grid cells are 12 pt and each character takes two.
    normal = document.styles["Normal"].element
    for old in normal.findall(qn("w:rPr")):
        normal.remove(old)
    normal_rpr = run_properties(font)
    normal_rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    normal.append(normal_rpr)


def set_page(section: Any) -> None:
    section.page_width = Twips(layout.PAGE_WIDTH)
    section.page_height = Twips(layout.PAGE_HEIGHT)
    section.top_margin = Twips(layout.MARGIN_TOP)
    section.bottom_margin = Twips(layout.MARGIN_BOTTOM)
    section.left_margin = Twips(layout.MARGIN_LEFT)
    section.right_margin = Twips(layout.MARGIN_RIGHT)
    section.gutter = Twips(0)
    section.header_distance = Twips(layout.HEADER_DISTANCE)
    section.footer_distance = Twips(layout.FOOTER_DISTANCE)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _el("w:docGrid")
        sect_pr.append(grid)  # docGrid is the last child python-docx's template leaves there
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.LINE_PITCH))
    grid.set(qn("w:charSpace"), str(layout.CHAR_SPACE))


def set_chinese_settings(document: Any) -> None:
    """Different odd and even footers; theme fonts resolved for Chinese rather than Japanese."""
    document.settings.odd_and_even_pages_header_footer = True
    settings = document.settings.element
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")


# -- tables --------------------------------------------------------------------------------------


def table_properties(
    table: Any,
    *,
    borders: dict[str, Border | None],
    width: int,
    cell_margin: int | None = None,
    float_bottom: bool = False,
) -> None:
    """Replace a table's properties: fixed width, the given borders (None: no rule), optional
    zero cell margins and optional floating at the bottom of the text block."""
    tbl = table._tbl
    old = tbl.tblPr
    tbl_pr = _el("w:tblPr")
    style = old.find(qn("w:tblStyle")) if old is not None else None
    if style is not None:
        tbl_pr.append(style)
    if float_bottom:
        tbl_pr.append(
            _el(
                "w:tblpPr",
                leftFromText=0,
                rightFromText=0,
                topFromText=0,
                bottomFromText=0,
                vertAnchor="margin",
                horzAnchor="margin",
                tblpXSpec="center",
                tblpYSpec="bottom",
            )
        )
        tbl_pr.append(_el("w:tblOverlap", val="never"))
    tbl_pr.append(_el("w:tblW", w=width - (1 if float_bottom else 0), type="dxa"))
    tbl_pr.append(_el("w:jc", val="center"))
    tbl_borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = borders.get(side)
        if border is None:
            tbl_borders.append(_el(f"w:{side}", val="nil"))
        else:
            tbl_borders.append(
                _el(f"w:{side}", val="single", sz=border.width, space=0, color=border.color)
            )
    tbl_pr.append(tbl_borders)
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    if cell_margin is not None:
        margins = _el("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margins.append(_el(f"w:{side}", w=cell_margin, type="dxa"))
        tbl_pr.append(margins)
    tbl_pr.append(_el("w:tblLook", val="0000"))
    if old is not None:
        tbl.replace(old, tbl_pr)
    else:
        tbl.insert(0, tbl_pr)


def set_column_widths(table: Any, widths: Iterable[int]) -> None:
    widths = list(widths)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)


def mark_header_row(row: Any) -> None:
    """Repeat the row at the top of each page and keep every row whole."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit"))
    tr_pr.append(_el("w:tblHeader"))


def keep_row_whole(row: Any) -> None:
    row._tr.get_or_add_trPr().append(_el("w:cantSplit"))


# -- package -------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def font_table_xml(names: Iterable[str], fallbacks: dict[str, str]) -> bytes:
    """A font table naming each font with its fallback (w:altName) and the GB2312 character set."""
    parts = [
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
        f'<w:fonts xmlns:w="{_W}">',
    ]
    for name in names:
        parts.append(f'<w:font w:name="{name}">')
        if name in fallbacks:
            parts.append(f'<w:altName w:val="{fallbacks[name]}"/>')
        parts.append('<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>')
        parts.append("</w:font>")
    parts.append("</w:fonts>")
    return "".join(parts).encode("utf-8")


def save(document: Any, *, font_table: bytes) -> bytes:
    """Serialise, replacing the template's font table (Western and Japanese fonts) with ours."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = font_table
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
