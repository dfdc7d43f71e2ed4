"""The page of GB/T 9704-2012 (党政机关公文格式), as numbers Word understands.

Units: twips (1/20 pt, 1/1440 inch) for lengths, half-points for font sizes, eighths of a point for
border widths. The standard gives millimetres; each constant below says where it comes from.
"""

from __future__ import annotations

from typing import Final


def mm_to_twips(mm: float) -> int:
    """Millimetres to whole twips (1 inch = 25.4 mm = 1440 twips)."""
    return round(mm * 1440 / 25.4)


# Paper: A4, 210 × 297 mm (GB/T 148).
PAGE_WIDTH: Final = mm_to_twips(210)  # 11906
PAGE_HEIGHT: Final = mm_to_twips(297)  # 16838

# Margins: 天头 37 mm, 订口 (left, binding side) 28 mm; the text block (版心) is 156 × 225 mm, which
# leaves 26 mm on the right and 35 mm at the bottom.
MARGIN_TOP: Final = mm_to_twips(37)  # 2098
MARGIN_LEFT: Final = mm_to_twips(28)  # 1587
MARGIN_RIGHT: Final = mm_to_twips(26)  # 1474
MARGIN_BOTTOM: Final = mm_to_twips(35)  # 1984
TEXT_WIDTH: Final = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 ≈ 156 mm
TEXT_HEIGHT: Final = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 ≈ 225 mm

# Header and footer distances from the page edge. The page number's dash sits about 7 mm below the
# text block (一字线上距版心下边缘7mm); a 4号 line whose bottom is 25 mm above the page edge puts it
# there. The header is empty.
HEADER_DISTANCE: Final = mm_to_twips(15)
FOOTER_DISTANCE: Final = mm_to_twips(25)

# Size names of Chinese typesetting (字号) in points.
SIZE_XIAOCHU: Final = 36.0  # 小初
SIZE_2: Final = 22.0  # 二号
SIZE_3: Final = 16.0  # 三号
SIZE_4: Final = 14.0  # 四号


def half_points(pt: float) -> int:
    return round(pt * 2)


# 22 lines × 28 characters per page. Word lays lines on a document grid (w:docGrid,
# type linesAndChars): the line pitch is in twips; the character pitch is given as charSpace, the
# difference from the default font size (三号, 16 pt) in 1/4096 pt.
LINES_PER_PAGE: Final = 22
CHARS_PER_LINE: Final = 28
LINE_PITCH: Final = 579  # 28.95 pt: 22 × 579 = 12738 ≤ 12756 < 23 × 579
CHAR_SPACE: Final = -842  # (8845 / 28 / 20 pt − 16 pt) × 4096 = −841.3, rounded down so 28 fit

# The grid is declared for Word's page setup (页面设置 → 文档网格 shows 22 × 28), but the generated
# paragraphs do not snap to it: LibreOffice gives every character wider than a grid cell (16 pt
# glyphs in 15.8 pt cells) two cells, spacing text out to 14 characters a line. The 22 lines come
# from exact 28.95 pt line spacing instead, and the 28 characters from tightening each 三号
# character by half a point: exactly 28 fit when a character takes between 442.25/29 = 15.25 pt
# and 442.25/28 = 15.79 pt; 15.5 pt sits in the middle, so no word processor's rounding moves the
# break, and justified lines (jc both) are spread back to the full 156 mm.
CHAR_SPACING: Final = -10  # twentieths of a point

# One character of body text (三号) as an indent: 16 pt.
CHAR: Final = 320
PAGE_NUMBER_CHAR: Final = 280  # one 四号 character: 14 pt

# Colours and rules.
RED: Final = "FF0000"
RED_RULE_WIDTH: Final = 12  # the separator under the document number: 1.5 pt
RED_RULE_SPACE: Final = 6  # points between the number's line and the rule (≈ 4 mm below the glyphs)
IMPRINT_THICK: Final = 8  # 版记 first and last rules, 0.35 mm ≈ 1 pt
IMPRINT_THIN: Final = 6  # 版记 middle rule, 0.25 mm ≈ 0.75 pt

# The issuer mark (发文机关标志) starts 35 mm below the top of the text block.
ISSUER_TOP: Final = mm_to_twips(35)

# Fonts are named, never shipped: the users' machines have them. Each has a fallback name that
# Word and WPS know (written as w:altName in the font table).
FONT_FANGSONG: Final = "仿宋_GB2312"
FONT_KAITI: Final = "楷体_GB2312"
FONT_HEITI: Final = "黑体"
FONT_XIAOBIAOSONG: Final = "方正小标宋简体"
FONT_SONGTI: Final = "宋体"
FONT_FALLBACKS: Final[dict[str, str]] = {
    FONT_FANGSONG: "仿宋",
    FONT_KAITI: "楷体",
    FONT_XIAOBIAOSONG: "宋体",
    FONT_HEITI: "SimHei",
    FONT_SONGTI: "SimSun",
}

# Body text and headings: 三号; title: 二号; page numbers, tables and the imprint (版记): 四号.
BODY_SIZE: Final = half_points(SIZE_3)  # 32
TITLE_SIZE: Final = half_points(SIZE_2)  # 44
SMALL_SIZE: Final = half_points(SIZE_4)  # 28

# Headings by level: 一、 黑体; （一） 楷体; 1. and （1） 仿宋.
HEADING_FONTS: Final[dict[int, str]] = {
    1: FONT_HEITI,
    2: FONT_KAITI,
    3: FONT_FANGSONG,
    4: FONT_FANGSONG,
}

# 基层减负: a task document warns above this many characters of body text.
TASK_DOCUMENT_CHAR_LIMIT: Final = 4000
