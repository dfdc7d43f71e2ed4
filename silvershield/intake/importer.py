"""Bulk import of hotline and platform exports (.csv / .xlsx, up to millions of rows).

Upload → map the columns once (remembered per source) → run in the background with progress →
only relevant records become tips (the rest are counted) → a report of rejected rows with line and
reason. Re-importing a file or overlapping rows creates nothing twice: every source row id is kept
in a ledger. Rows stream in chunks; no export is ever held in memory whole.

A cheap pre-filter skips rows that mention none of the words any elderly-fraud tip needs (old age,
pensions, care, health products, investment, fraud …); its recall on the screening dev set is
tested to be complete. Rows that pass it are screened with silvershield.screening.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils import timezone

SOURCE_ID = "source_row_id"
CONTENT = "content"


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


TARGETS: tuple[Target, ...] = (
    Target(
        SOURCE_ID,
        "来源编号（工单/警情/登记编号）",
        True,
        ("工单编号", "线索编号", "警情编号", "登记编号", "信访件编号", "编号", "转办函号"),
    ),
    Target(
        CONTENT,
        "内容",
        True,
        ("诉求内容", "举报内容", "简要警情", "问题描述", "情况描述", "内容", "事由"),
    ),
    Target(
        "received_at",
        "受理时间",
        False,
        ("来电时间", "举报时间", "报警时间", "登记时间", "巡查时间", "日期", "时间"),
    ),
    Target("title", "标题", False, ("诉求标题", "标题", "诉求类型", "分类")),
    Target(
        "region_text",
        "所在地区/事发地址",
        False,
        ("所属区县", "所属区县/街道", "所在地区", "事发地址", "发生地点", "地点"),
    ),
    Target(
        "involved_institution",
        "涉及机构/被反映对象",
        False,
        ("被举报对象", "被投诉主体", "被举报机构", "对象"),
    ),
    Target("involved_phone", "涉及电话", False, ("被举报电话", "涉案电话")),
    Target("money_amount", "涉及金额", False, ("涉案金额", "涉及金额", "金额")),
    Target("reporter_name", "来电人/举报人", False, ("来电人", "举报人", "报警人", "信访人")),
    Target("reporter_phone", "来电号码/联系电话", False, ("来电号码", "联系电话", "联系方式")),
)
TARGET_NAMES = tuple(t.name for t in TARGETS)
MAX_CELL = 20000
ANCHORS = re.compile(
    # old people and the family members who report for them (incl. dialect and typos);
    # 老 not in 老板 and 公 only as a relative or the police: 公司 and 老板 fill ordinary complaints
    "老(?!板)|高龄|佬|养|養|岁|歲|父|母|爸|妈|媽|奶|爷|爺|婆|外公|公公|老公|姥|岳|孙|孫|长辈|大爷|大妈|"
    "阿姨|邻居|"
    # what is sold or promised
    "退休|工龄|社保|保险|保健|药|藥|医疗|器械|理疗|磁疗|床垫|体检|健康|生物|口服液|营养|讲座|课堂|礼品|鸡蛋|"
    "投资|理财|返利|股权|集资|项目|基地|房|抵押|过户|补贴|津贴|救助|帮扶|认证|补缴|会员|床位|公寓|护理|"
    "收藏|纪念币|玉石|旅游|一日游|车祸|"
    # money leaving, fraud words and a crime reported
    "汇款|转账|转了|打了|交了|花了|骗|诈|冒充|跑路|退款|退费|损失|追回|报案|报警|公安"
)


class ImportFormatError(ValueError):
    """The file is not a readable .csv or .xlsx export."""


def sniff(head: bytes, name: str) -> str:
    """'xlsx' or 'csv', decided by content, not by the file name."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head[:4096]:
        raise ImportFormatError(
            "文件不是文本或Excel表格（可能是其他二进制文件），请上传.csv或.xlsx格式的导出文件"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(head, encoding):
            return "csv"
    raise ImportFormatError("无法识别文件编码，请另存为UTF-8或GBK编码的.csv文件")


def _decodes(head: bytes, encoding: str) -> bool:
    """Whether ``head`` (possibly cut inside a character at its end) decodes as ``encoding``."""
    for cut in range(4):
        try:
            head[: len(head) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(65536)
    return "utf-8-sig" if _decodes(head, "utf-8-sig") else "gb18030"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL]


def iter_rows(path: Path, file_format: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every row including the heading row (line 1); streaming."""
    if file_format == "xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFormatError("Excel文件已损坏或不是.xlsx格式") from exc
        try:
            ws = wb.worksheets[0]
            for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield line, [_cell(v) for v in values]
        finally:
            wb.close()
        return
    with path.open(encoding=_csv_encoding(path), newline="", errors="replace") as fh:
        reader = csv.reader(fh)
        try:
            for line, row in enumerate(reader, start=1):
                yield line, [c.strip()[:MAX_CELL] for c in row]
        except csv.Error as exc:
            raise ImportFormatError(f"CSV格式错误（第{reader.line_num}行）：{exc}") from exc


def read_headers(path: Path, file_format: str) -> list[str]:
    for _, cells in iter_rows(path, file_format):
        headers = list(cells)
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise ImportFormatError("第一行没有列名，请确认导出文件带表头")
        return headers
    raise ImportFormatError("文件是空的")


def count_rows(path: Path, file_format: str) -> int:
    """Data rows (for the progress bar): a plain CSV pass without cleaning the cells."""
    if file_format == "xlsx":
        return max(0, sum(1 for _ in iter_rows(path, file_format)) - 1)
    with path.open(encoding=_csv_encoding(path), newline="", errors="replace") as fh:
        try:
            return max(0, sum(1 for _ in csv.reader(fh)) - 1)
        except csv.Error as exc:
            raise ImportFormatError(f"CSV格式错误：{exc}") from exc


def suggest_mapping(headers: Sequence[str], remembered: dict[str, str]) -> dict[str, str]:
    """target → heading: the source's remembered mapping where it still fits, else synonyms."""
    mapping: dict[str, str] = {}
    for target in TARGETS:
        known = remembered.get(target.name)
        if known is not None and known in headers:
            mapping[target.name] = known
            continue
        for synonym in target.synonyms:
            hit = next((h for h in headers if h == synonym), None) or next(
                (h for h in headers if synonym in h), None
            )
            if hit and hit not in mapping.values():
                mapping[target.name] = hit
                break
    return mapping


def mapping_errors(mapping: dict[str, str], headers: Sequence[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for target in TARGETS:
        column = mapping.get(target.name, "")
        if target.required and not column:
            errors[target.name] = f"请选择“{target.label}”对应的列"
        elif column and column not in headers:
            errors[target.name] = "文件中没有这一列"
    used = [c for c in mapping.values() if c]
    if len(used) != len(set(used)):
        errors["__all__"] = "同一列不能对应两个字段"
    return errors


_ISO_SECONDS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")


def parse_time(text: str, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """Aware time in ``tz`` (default: the current time zone) from the usual export forms."""
    text = text.strip()
    if not text:
        return None
    if (m := _ISO_SECONDS.fullmatch(text)) is not None:
        # the usual export form, without strptime's cost (same result as its first format)
        try:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups())
            naive = dt.datetime(y, mo, d, h, mi, sec)  # noqa: DTZ001 - local time, made aware
        except ValueError:
            raise ValueError("时间格式无法识别") from None
        return timezone.make_aware(naive, tz)
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日",
    ):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt), tz)  # noqa: DTZ007 - local time, made aware
        except ValueError:
            continue
    raise ValueError("时间格式无法识别")


def parse_money(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    factor = Decimal(1)
    if text.endswith("万元") or text.endswith("万"):
        factor, text = Decimal(10000), text.rstrip("元").rstrip("万")
    text = text.rstrip("元").strip()
    try:
        value = Decimal(text) * factor
    except InvalidOperation:
        raise ValueError("金额格式无法识别") from None
    if value < 0:
        raise ValueError("金额不能为负数")
    return value.quantize(Decimal("0.01"))


def passes_prefilter(text: str) -> bool:
    return ANCHORS.search(text) is not None


def rejected_report(rows: Sequence[tuple[int, str, str]]) -> bytes:
    """CSV (UTF-8 with BOM, opens in Excel) of rejected rows: line, reason, source row id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "原因", "来源编号"])
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
