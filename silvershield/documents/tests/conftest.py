"""Rendered documents read back as XML: what Word will see, not what we meant to write."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from docx.oxml import parse_xml

from silvershield.documents.official import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "r": R}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class Rendered:
    data: bytes

    def part(self, name: str) -> Any:
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            return parse_xml(z.read(name))

    @property
    def document(self) -> Any:
        return self.part("word/document.xml")

    @property
    def settings(self) -> Any:
        return self.part("word/settings.xml")

    @property
    def sect_pr(self) -> Any:
        return self.document.find("w:body/w:sectPr", NS)

    def footer(self, kind: str) -> Any:
        """The footer part the section uses for ``kind`` ("default" = odd pages, "even")."""
        ref = self.sect_pr.find(f"w:footerReference[@w:type='{kind}']", NS)
        assert ref is not None, f"no {kind} footer"
        rels = self.part("word/_rels/document.xml.rels")
        target = rels.find(f"{{{REL}}}Relationship[@Id='{ref.get(f'{{{R}}}id')}']").get("Target")
        return self.part("word/" + target)

    def paragraphs(self) -> list[Any]:
        return list(self.document.iterfind(".//w:body/w:p", NS))

    def paragraph_with(self, text: str) -> Any:
        """The first body paragraph whose text contains ``text``."""
        for p in self.document.iterfind(".//w:p", NS):
            if text in paragraph_text(p):
                return p
        raise AssertionError(f"no paragraph contains {text!r}")

    def all_text(self) -> str:
        return "\n".join(paragraph_text(p) for p in self.document.iterfind(".//w:p", NS))


def paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iterfind(".//w:t", NS))


def runs(p: Any) -> list[Any]:
    return [r for r in p.iterfind("w:r", NS) if r.find("w:t", NS) is not None]


def run_font(r: Any) -> dict[str, str | None]:
    rpr = r.find("w:rPr", NS)
    fonts = rpr.find("w:rFonts", NS)
    size = rpr.find("w:sz", NS)
    color = rpr.find("w:color", NS)
    return {
        "eastAsia": fonts.get(w("eastAsia")),
        "ascii": fonts.get(w("ascii")),
        "size": size.get(w("val")),
        "color": None if color is None else color.get(w("val")),
        "bold": "yes" if rpr.find("w:b", NS) is not None else None,
    }


BODY = [
    Paragraph("近期发现有人以预售养老床位为名收取会员费，现将线索转你单位依法处理。"),
    Heading(1, "一、线索内容"),
    Heading(2, "（一）基本情况"),
    Heading(3, "1.涉事主体"),
    Heading(4, "（1）经营情况"),
    Paragraph("该公司自2025年起对外宣传高额返利。"),
    Table(headers=["序号", "反映内容"], rows=[["1", "以预售床位为名收取会员费"]]),
]


def make_document(**overrides: Any) -> OfficialDocument:
    fields: dict[str, Any] = {
        "issuer": "长兴县打击整治养老诈骗专项行动办公室",
        "number": "〔2026〕7号",
        "number_prefix": "长养诈办",
        "title": "关于转办养老诈骗线索的函",
        "recipients": ["长兴县公安局", "长兴县民政局"],
        "body": BODY,
        "attachments": ["线索清单"],
        "signer": "长兴县打击整治养老诈骗专项行动办公室",
        "date": datetime.date(2026, 3, 5),
        "cc": ["长兴县人民检察院"],
        "printer": "长兴县打击整治养老诈骗专项行动办公室",
        "printed_on": datetime.date(2026, 3, 6),
    }
    fields.update(overrides)
    return OfficialDocument(**fields)


@pytest.fixture
def render() -> Callable[..., Rendered]:
    def _render(**overrides: Any) -> Rendered:
        return Rendered(render_docx(make_document(**overrides)))

    return _render


@pytest.fixture
def rendered(render: Callable[..., Rendered]) -> Rendered:
    return render()
