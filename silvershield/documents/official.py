"""Official documents (公文) laid out to GB/T 9704-2012, rendered as .docx.

A document is plain data (``OfficialDocument`` with ``Paragraph``, ``Heading`` and ``Table`` blocks);
``render_docx`` turns it into Word bytes. Nothing here touches the database: the workflow records a
document's number and content and asks for the file when someone downloads it.

    doc = OfficialDocument(issuer=…, number="〔2026〕12号", number_prefix="湖养诈办", title=…,
                           recipients=[…], body=[Paragraph(…), Heading(1, "一、…")], signer=…,
                           date=date(2026, 11, 24))
    data = render_docx(doc)
    warnings = doc.length_warnings()

The layout rules, element by element, are in docs/documents.md.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import docx

from silvershield.documents import layout
from silvershield.documents.ooxml import (
    Border,
    Font,
    Layout,
    add_page_field,
    add_run,
    font_table_xml,
    keep_row_whole,
    mark_header_row,
    save,
    set_chinese_settings,
    set_column_widths,
    set_document_defaults,
    set_layout,
    set_page,
    table_properties,
)

__all__ = [
    "Block",
    "Heading",
    "LengthWarning",
    "OfficialDocument",
    "Paragraph",
    "Table",
    "clean_text",
    "date_text",
    "heading_number",
    "number_format",
    "parse_number",
    "render_docx",
]

# -- text ----------------------------------------------------------------------------------------

# Characters that XML 1.0 forbids (C0 controls other than tab/newline/CR, U+FFFE/U+FFFF, lone
# surrogates), C1 controls, and invisible format characters that can disguise text in a document
# people sign (zero-width spaces, bidirectional overrides, BOM).
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_SPACES = re.compile(r"[ \t\u00a0\u3000]*[\r\n\u2028\u2029]+[ \t\u00a0\u3000]*|\t")


def clean_text(text: str) -> str:
    """One line of plain text: unwanted characters removed, line breaks and tabs folded away."""
    text = _UNWANTED.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def _clean_lines(text: str) -> list[str]:
    """A block of text as its non-empty lines, each cleaned."""
    lines = (clean_text(line) for line in _LINE_BREAKS.split(_UNWANTED.sub("", text)))
    return [line for line in lines if line]


def _width(text: str) -> float:
    """Width in 三号 characters: full-width (CJK) counts 1, anything else 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def date_text(day: datetime.date) -> str:
    """成文日期 in Arabic numerals, no padding: 2026年11月24日 (GB/T 9704-2012 §7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if not 1 <= n <= 99:
        raise ValueError(f"序号{n}超出范围：结构层次序数用一至九十九")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The ordinal of a structural level (§7.3.3): 一、 （一） 1. （1）."""
    if level == 1:
        return f"{_chinese_number(n)}、"
    if level == 2:
        return f"（{_chinese_number(n)}）"
    if n < 1:
        raise ValueError(f"序号{n}超出范围：序号从1开始")
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"结构层次只有四级，没有第{level}级")


# -- 发文字号 --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"〔([0-9]{4})〕([1-9][0-9]*)号")
_WRONG_BRACKETS = ("[]", "【】", "（）", "()", "［］", "〈〉", "《》", "{}", "｛｝", "〖〗", "「」")
_EXAMPLE = "〔2026〕12号"


def number_format(year: int, seq: int) -> str:
    """A document number (发文字号 without the issuer code): 〔2026〕12号."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"年份{year}不是四位年份")
    if seq < 1:
        raise ValueError(f"序号{seq}无效：序号从1开始")
    return f"〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[int, int]:
    """(year, sequence) of a document number such as 〔2026〕12号, or ValueError saying what is
    wrong in the terms of GB/T 9704-2012 §7.2.4: 年份、发文顺序号用阿拉伯数字标注；年份应标全称，用六角
    括号“〔〕”括入；发文顺序号不加“第”字，不编虚位（即1不编为01），在阿拉伯数字后加“号”字。"""
    s = text.strip()
    match = _NUMBER.fullmatch(s)
    if match:
        return int(match.group(1)), int(match.group(2))
    if not s:
        raise ValueError(f"发文字号不能为空：格式应为〔年份〕顺序号号，如{_EXAMPLE}")
    if "第" in s:
        raise ValueError(
            f"发文字号“{s}”有误：顺序号不加“第”字，应写作{_EXAMPLE}，不写作〔2026〕第12号"
        )
    for pair in _WRONG_BRACKETS:
        if pair[0] in s or pair[1] in s:
            raise ValueError(f"发文字号“{s}”有误：年份应当用六角括号“〔〕”括入，不用“{pair}”")
    if re.search("[０-９]", s):
        raise ValueError(f"发文字号“{s}”有误：年份和顺序号用半角阿拉伯数字")
    if re.search("[〇一二三四五六七八九十]", s):
        raise ValueError(f"发文字号“{s}”有误：年份和顺序号用阿拉伯数字，不用汉字")
    loose = re.fullmatch(r"〔([0-9]+)〕([0-9]+)号", s)
    if loose:
        year, seq = loose.groups()
        if len(year) != 4:
            raise ValueError(f"发文字号“{s}”有误：年份应标全称（四位），如{_EXAMPLE}")
        if seq.startswith("0"):
            hint = f"〔{year}〕{int(seq)}号" if int(seq) else _EXAMPLE
            raise ValueError(f"发文字号“{s}”有误：顺序号不编虚位（1不编为01），应写作{hint}")
    if s and not s.startswith("〔"):
        raise ValueError(
            f"发文字号“{s}”有误：应以“〔年份〕”开头，如{_EXAMPLE}；机关代字另填，不写在这里"
        )
    if not s.endswith("号"):
        raise ValueError(f"发文字号“{s}”有误：顺序号后加“号”字，如{_EXAMPLE}")
    raise ValueError(f"发文字号“{s}”有误：格式应为〔年份〕顺序号号，如{_EXAMPLE}")


# -- the document --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; line breaks inside the text start new paragraphs."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A structural heading with its ordinal written in: Heading(1, "一、线索内容").

    ``rest`` continues the same paragraph in body type, as in “（一）基本情况。本月……”."""

    level: int
    text: str
    rest: str = ""

    def __post_init__(self) -> None:
        if self.level not in layout.HEADING_FONTS:
            raise ValueError(f"结构层次只有四级（一、（一）1.（1）），没有第{self.level}级")


@dataclass(frozen=True)
class Table:
    """A simple ruled table; the header row is bold and repeats on each page."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]] = ()

    def __post_init__(self) -> None:
        if not self.headers:
            raise ValueError("表格至少要有一列表头")
        for i, row in enumerate(self.rows, start=1):
            if len(row) != len(self.headers):
                raise ValueError(f"表格第{i}行有{len(row)}列，表头有{len(self.headers)}列")


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class LengthWarning:
    """The document is longer than the limit for its kind (基层减负: 文件要短)."""

    count: int
    limit: int

    @property
    def message(self) -> str:
        return f"正文{self.count}字，超过任务类文件{self.limit}字的上限，请精简。"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True)
class OfficialDocument:
    """One 公文 in the 文件 layout of GB/T 9704-2012 (red issuer mark, number, red rule)."""

    issuer: str  # 发文机关标志
    number: str  # 发文字号 without the issuer code: 〔2026〕12号
    number_prefix: str  # 机关代字: 湖养诈办
    title: str  # 标题
    recipients: Sequence[str] = ()  # 主送机关
    body: Sequence[Block] = ()
    attachments: Sequence[str] = ()  # 附件说明
    signer: str  # 发文机关署名
    date: datetime.date  # 成文日期
    contact: str | None = None  # 附注
    cc: Sequence[str] = ()  # 抄送机关
    printer: str | None = None  # 印发机关
    printed_on: datetime.date | None = None  # 印发日期
    char_limit: int | None = layout.TASK_DOCUMENT_CHAR_LIMIT
    year_seq: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "year_seq", parse_number(self.number))
        for name in ("issuer", "number_prefix", "title", "signer"):
            if not clean_text(getattr(self, name)):
                raise ValueError(f"{_FIELD_NAMES[name]}不能为空")
        if re.search("[〔〕0-9]", self.number_prefix):
            raise ValueError(f"机关代字“{self.number_prefix}”不应含年份或序号")
        if (self.printer is None) != (self.printed_on is None):
            raise ValueError("印发机关和印发日期须同时填写")
        for name in ("recipients", "body", "attachments", "cc"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"{name} 应为列表，不是字符串")
            object.__setattr__(self, name, tuple(value))

    @property
    def full_number(self) -> str:
        """发文字号 as printed: 湖养诈办〔2026〕12号."""
        return clean_text(self.number_prefix) + self.number.strip()

    def body_char_count(self) -> int:
        """Characters of body text (paragraphs, headings, table cells), whitespace not counted."""
        texts: list[str] = []
        for block in self.body:
            if isinstance(block, Paragraph):
                texts.extend(_clean_lines(block.text))
            elif isinstance(block, Heading):
                texts.extend((clean_text(block.text), clean_text(block.rest)))
            else:
                texts.extend(clean_text(h) for h in block.headers)
                texts.extend(clean_text(c) for row in block.rows for c in row)
        return sum(len(t.replace(" ", "")) for t in texts)

    def length_warnings(self) -> list[LengthWarning]:
        """A warning when the body is longer than ``char_limit`` (4,000 for a task document)."""
        if self.char_limit is None:
            return []
        count = self.body_char_count()
        return (
            [LengthWarning(count=count, limit=self.char_limit)] if count > self.char_limit else []
        )


_FIELD_NAMES = {
    "issuer": "发文机关标志",
    "number_prefix": "机关代字",
    "title": "标题",
    "signer": "发文机关署名",
}

# -- rendering -----------------------------------------------------------------------------------

BODY = layout.FONT_FANGSONG
BODY_FONT = Font(BODY, layout.BODY_SIZE, spacing=layout.CHAR_SPACING)
TITLE_FONT = Font(layout.FONT_XIAOBIAOSONG, layout.TITLE_SIZE)
SMALL_FONT = Font(BODY, layout.SMALL_SIZE)
PAGE_NUMBER_FONT = Font(layout.FONT_SONGTI, layout.SMALL_SIZE)

GRID = Layout(line=layout.LINE_PITCH)  # one line of the 22-line grid
INDENTED = Layout(align="both", line=layout.LINE_PITCH, first_line_chars=2)


def _issuer_font(issuer: str) -> Font:
    """小标宋 in red, as large as fits one line of the text block (capped at 小初, 36 pt); names too
    long for 二号 are narrowed rather than shrunk further."""
    width_pt = layout.TEXT_WIDTH / 20 * 0.96  # a little slack for fonts wider than 1 em
    per_char = width_pt / max(_width(issuer), 1)
    size = min(layout.SIZE_XIAOCHU, per_char)
    if size >= layout.SIZE_2:
        return Font(layout.FONT_XIAOBIAOSONG, int(size * 2), color=layout.RED)
    scale = max(33, int(per_char / layout.SIZE_2 * 100))
    return Font(layout.FONT_XIAOBIAOSONG, layout.TITLE_SIZE, color=layout.RED, scale=scale)


class _Writer:
    def __init__(self) -> None:
        self.document: Any = docx.Document()
        set_document_defaults(self.document, BODY_FONT, layout.LINE_PITCH)
        set_chinese_settings(self.document)
        set_page(self.document.sections[0])

    def paragraph(self, spec: Layout, *runs: tuple[str, Font]) -> Any:
        p = self.document.add_paragraph()
        set_layout(p, spec)
        for text, font in runs:
            if text:
                add_run(p, text, font)
        return p

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph(GRID)

    # 版头 ---------------------------------------------------------------------------------------
    def masthead(self, doc: OfficialDocument) -> None:
        issuer = clean_text(doc.issuer)
        font = _issuer_font(issuer)
        # Single line spacing puts the glyph top about 0.15 em below the line top.
        before = max(0, layout.ISSUER_TOP - round(font.size * 10 * 0.15))
        self.paragraph(Layout(align="center", before=before), (issuer, font))
        self.blank(2)
        rule = Border(layout.RED_RULE_WIDTH, layout.RED, layout.RED_RULE_SPACE)
        self.paragraph(
            Layout(align="center", line=layout.LINE_PITCH, bottom_border=rule),
            (doc.full_number, BODY_FONT),
        )

    # 主体 ---------------------------------------------------------------------------------------
    def title_and_recipients(self, doc: OfficialDocument) -> None:
        self.blank(2)
        self.paragraph(
            Layout(align="center", line=layout.LINE_PITCH, outline_level=0),
            (clean_text(doc.title), TITLE_FONT),
        )
        self.blank(1)
        names = [n.rstrip("：:") for n in map(clean_text, doc.recipients) if n]
        if names:
            self.paragraph(
                Layout(align="both", line=layout.LINE_PITCH), ("、".join(names) + "：", BODY_FONT)
            )

    def body(self, doc: OfficialDocument) -> None:
        for block in doc.body:
            if isinstance(block, Paragraph):
                for line in _clean_lines(block.text):
                    self.paragraph(INDENTED, (line, BODY_FONT))
            elif isinstance(block, Heading):
                font = Font(
                    layout.HEADING_FONTS[block.level], layout.BODY_SIZE, spacing=layout.CHAR_SPACING
                )
                rest = clean_text(block.rest)
                spec = Layout(
                    align="both",
                    line=layout.LINE_PITCH,
                    first_line_chars=2,
                    keep_next=not rest,
                    outline_level=block.level,
                )
                self.paragraph(spec, (clean_text(block.text), font), (rest, BODY_FONT))
            else:
                self.table(block)

    def table(self, block: Table) -> None:
        cols = len(block.headers)
        table = self.document.add_table(rows=1 + len(block.rows), cols=cols)
        rule = Border(4)
        table_properties(
            table,
            borders=dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), rule),
            width=layout.TEXT_WIDTH,
        )
        base, extra = divmod(layout.TEXT_WIDTH, cols)
        set_column_widths(table, [base + (1 if i < extra else 0) for i in range(cols)])
        cell_spec = Layout(line=None, before=40, after=40)
        header_font = Font(BODY, layout.SMALL_SIZE, bold=True)
        for i, row_cells in enumerate([list(block.headers), *map(list, block.rows)]):
            row = table.rows[i]
            if i == 0:
                mark_header_row(row)
            else:
                keep_row_whole(row)
            for cell, text in zip(row.cells, row_cells, strict=True):
                p = cell.paragraphs[0]
                set_layout(p, replace(cell_spec, align="center" if i == 0 else "left"))
                lines = _clean_lines(text) or [""]
                add_run(p, lines[0], header_font if i == 0 else SMALL_FONT)
                for extra_line in lines[1:]:
                    q = cell.add_paragraph()
                    set_layout(q, replace(cell_spec, align="left"))
                    add_run(q, extra_line, SMALL_FONT)

    def attachments(self, doc: OfficialDocument) -> None:
        names = [n for n in map(clean_text, doc.attachments) if n]
        if not names:
            return
        self.blank(1)
        label = "附件："
        if len(names) == 1:
            hang = _width(label)
            self.paragraph(
                Layout(
                    align="left", line=layout.LINE_PITCH, left_chars=2 + hang, hanging_chars=hang
                ),
                (label + names[0], BODY_FONT),
            )
            return
        for i, name in enumerate(names, start=1):
            ordinal = f"{i}."
            hang = _width(ordinal)
            start = 2 + _width(label)
            text = ordinal + name
            if i == 1:
                hang += _width(label)
                start -= _width(label)
                text = label + text
            self.paragraph(
                Layout(
                    align="left",
                    line=layout.LINE_PITCH,
                    left_chars=start + hang,
                    hanging_chars=hang,
                ),
                (text, BODY_FONT),
            )

    def signature(self, doc: OfficialDocument) -> None:
        """不加盖印章的公文 (§7.3.5.2): the signer two characters from the right, the date on the
        next line starting two characters further right; a date longer than that keeps two
        characters from the right and pushes the signer left."""
        signer, day = clean_text(doc.signer), date_text(doc.date)
        w_signer, w_date = _width(signer), _width(day)
        right_date = max(2.0, w_signer - w_date)
        right_signer = right_date + w_date + 2 - w_signer
        self.paragraph(Layout(line=layout.LINE_PITCH, keep_next=True))
        self.paragraph(
            Layout(align="right", line=layout.LINE_PITCH, right_chars=right_signer, keep_next=True),
            (signer, BODY_FONT),
        )
        self.paragraph(
            Layout(
                align="right",
                line=layout.LINE_PITCH,
                right_chars=right_date,
                keep_next=bool(doc.contact and clean_text(doc.contact)),
            ),
            (day, BODY_FONT),
        )
        if doc.contact and (note := clean_text(doc.contact)):
            if not (note.startswith("（") and note.endswith("）")):
                note = f"（{note.strip('()（）')}）"
            self.paragraph(
                Layout(align="both", line=layout.LINE_PITCH, first_line_chars=2), (note, BODY_FONT)
            )

    # 版记 ---------------------------------------------------------------------------------------
    def imprint(self, doc: OfficialDocument) -> None:
        """抄送 and 印发 between rules the width of the text block (§7.4), floated to the bottom
        of the last page: thick first and last rules, thin between."""
        cc = [n for n in map(clean_text, doc.cc) if n]
        rows: list[tuple[str, str]] = []
        if cc:
            rows.append(("cc", "抄送：" + "，".join(cc) + "。"))
        if doc.printer is not None and doc.printed_on is not None:
            rows.append(("print", clean_text(doc.printer)))
        if not rows:
            return
        table = self.document.add_table(rows=len(rows), cols=1)
        thick, thin = Border(layout.IMPRINT_THICK), Border(layout.IMPRINT_THIN)
        table_properties(
            table,
            borders={"top": thick, "bottom": thick, "insideH": thin},
            width=layout.TEXT_WIDTH,
            cell_margin=0,
            float_bottom=True,
        )
        set_column_widths(table, [layout.TEXT_WIDTH])
        one = layout.PAGE_NUMBER_CHAR  # one 四号 character
        for row, (kind, text) in zip(table.rows, rows, strict=True):
            keep_row_whole(row)
            p = row.cells[0].paragraphs[0]
            if kind == "cc":
                hang = 3 * one  # continuation lines align after “抄送：”
                set_layout(
                    p,
                    Layout(
                        align="left",
                        line=layout.LINE_PITCH,
                        grid=False,
                        left=one + hang,
                        right=one,
                        hanging=hang,
                    ),
                )
                add_run(p, text, SMALL_FONT)
            else:
                assert doc.printed_on is not None
                set_layout(
                    p,
                    Layout(
                        align="left",
                        line=layout.LINE_PITCH,
                        grid=False,
                        left=one,
                        right_tab=layout.TEXT_WIDTH - one,
                    ),
                )
                add_run(p, text, SMALL_FONT)
                add_run(p, "\t" + date_text(doc.printed_on) + "印发", SMALL_FONT)
        # A document must end with a paragraph; keep it one small line so it never adds a page.
        self.paragraph(Layout(line=None), ("", SMALL_FONT))

    # 页码 ---------------------------------------------------------------------------------------
    def page_numbers(self) -> None:
        """“— 1 —” in 四号宋体, one character in from the outer edge: odd pages right, even left."""
        section = self.document.sections[0]
        one = layout.PAGE_NUMBER_CHAR
        for footer, spec in (
            (section.footer, Layout(align="right", right=one)),
            (section.even_page_footer, Layout(align="left", left=one)),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            set_layout(p, spec)
            add_run(p, "— ", PAGE_NUMBER_FONT)
            add_page_field(p, PAGE_NUMBER_FONT)
            add_run(p, " —", PAGE_NUMBER_FONT)

    def metadata(self, doc: OfficialDocument) -> None:
        props = self.document.core_properties
        props.title = clean_text(doc.title)
        props.subject = doc.full_number
        props.author = clean_text(doc.signer)
        props.last_modified_by = clean_text(doc.signer)
        props.comments = ""
        props.keywords = ""
        props.revision = 1
        stamp = datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC)
        props.created = stamp
        props.modified = stamp

    def bytes(self) -> bytes:
        fonts = [
            layout.FONT_FANGSONG,
            layout.FONT_XIAOBIAOSONG,
            layout.FONT_HEITI,
            layout.FONT_KAITI,
            layout.FONT_SONGTI,
        ]
        return save(self.document, font_table=font_table_xml(fonts, layout.FONT_FALLBACKS))


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes, laid out to GB/T 9704-2012."""
    writer = _Writer()
    writer.masthead(doc)
    writer.title_and_recipients(doc)
    writer.body(doc)
    writer.attachments(doc)
    writer.signature(doc)
    writer.imprint(doc)
    writer.page_numbers()
    writer.metadata(doc)
    return writer.bytes()
