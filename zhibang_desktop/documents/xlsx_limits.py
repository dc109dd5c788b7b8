"""Checking an untrusted .xlsx as it streams, before openpyxl reads it.

openpyxl trusts the file: a shared-string index of -1 takes the last string, a word in a
number cell or a bad date raises mid-import, the shared strings are read whole (a 400 MB
string from a 395 KB file), and a million blank rows are walked one by one. This pass
reads every XML part of the zip once, in 64 KB chunks through expat, and stops at the first
breach of these limits with a message for the clerk (sheet, cell and reason):

- decompressed size of all parts (counted as they stream, not taken from the zip header);
- number of parts; rows per sheet; consecutive blank rows;
- characters per cell (Excel's own limit, 32,767) and per shared string;
- DOCTYPE / entity declarations (refused outright);
- cell values that do not fit their declared type: a number cell that is not a number, a
  date cell that is not an ISO date, a boolean that is not 0/1, a shared-string index
  outside the table;
- a zip whose compressed data is damaged (a bad deflate stream or CRC anywhere).
"""
from __future__ import annotations

import math
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from defusedxml import ElementTree as SafeET
from openpyxl.utils.datetime import from_ISO8601
from openpyxl.worksheet._reader import _cast_number  # the cast openpyxl applies to number cells

MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all XML parts together, decompressed
MAX_PARTS = 2_000
MAX_ROWS = 1_048_576 // 2  # per sheet; a 100,000-household file has about 240,000 member rows
MAX_BLANK_RUN = 10_000  # consecutive blank rows inside a sheet
MAX_CELL_CHARS = 32_767  # Excel refuses longer cell text
CHUNK = 64 * 1024

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class LimitExceeded(Exception):
    """The file breaks a limit or is malformed; ``str(exc)`` is shown to the clerk."""


@dataclass
class _Cell:
    ref: str = ""
    kind: str = "n"
    value: list[str] | None = None


def check_xlsx(path: Path) -> dict[str, int]:
    """Raise LimitExceeded for a file that openpyxl must not be given; else each worksheet's
    last row (by sheet name), as the scan found it."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise LimitExceeded(f"“{name}”含有 {len(infos)} 个内部部件，超过上限 {MAX_PARTS}，不像正常的 Excel 文件。")
            declared = sum(i.file_size for i in infos if _is_xml(i.filename))
            if declared > MAX_TOTAL_BYTES:
                raise LimitExceeded(_too_big(name))
            sheets = _sheet_parts(zf)
            shared_count = None
            budget = [MAX_TOTAL_BYTES]
            last_rows: dict[str, int] = {}
            if "xl/sharedStrings.xml" in zf.NameToInfo:
                shared_count = _scan(zf, "xl/sharedStrings.xml", _SharedStrings(name), budget).count
            for info in infos:
                part = info.filename
                if not _is_xml(part) or part == "xl/sharedStrings.xml":
                    continue
                if part in sheets:
                    last_rows[sheets[part]] = _scan(zf, part, _Sheet(name, sheets[part], shared_count or 0), budget).row
                else:
                    _scan(zf, part, _Plain(name), budget)
            return last_rows
    except LimitExceeded:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, RuntimeError) as exc:
        raise LimitExceeded(f"“{name}”已损坏（压缩数据无法解开：{type(exc).__name__}），无法读取。"
                            "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。") from None


def _is_xml(part: str) -> bool:
    return part.endswith((".xml", ".rels", ".vml"))


def _too_big(name: str) -> str:
    return (f"“{name}”解压后超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB，超出导入上限"
            "（可能是恶意构造的压缩文件）。未导入任何数据。")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from the workbook and its relationships (both small)."""
    try:
        workbook = _small_xml(zf, "xl/workbook.xml")
        rels = _small_xml(zf, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = part
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = sheet.get(f"{{{_REL_NS}}}id")
            if rid in targets:
                parts[targets[rid]] = sheet.get("name") or targets[rid]
    return parts


def _small_xml(zf: zipfile.ZipFile, part: str):
    info = zf.getinfo(part)
    if info.file_size > 16 * 1024 * 1024:
        raise LimitExceeded(f"“{part}”过大，不像正常的 Excel 文件。")
    try:
        return SafeET.fromstring(zf.read(part), forbid_dtd=True)
    except Exception as exc:  # defusedxml refusals, malformed XML
        raise LimitExceeded(f"工作簿结构（{part}）无法解析：{type(exc).__name__}。") from None


class _Handler:
    def __init__(self, file_name: str):
        self.file_name = file_name

    def install(self, parser) -> None:
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity

    def _doctype(self, *_args) -> None:
        raise LimitExceeded(f"“{self.file_name}”含有 DOCTYPE/实体声明，正常的 Excel 文件不会有；为安全起见拒绝读取。")

    def _entity(self, *_args) -> None:
        self._doctype()


class _Plain(_Handler):
    pass


class _SharedStrings(_Handler):
    def __init__(self, file_name: str):
        super().__init__(file_name)
        self.count = 0
        self._chars = 0

    def install(self, parser) -> None:
        super().install(parser)
        parser.StartElementHandler = self._start
        parser.CharacterDataHandler = self._text

    def _start(self, tag, _attrs) -> None:
        if _local(tag) == "si":
            self.count += 1
            self._chars = 0

    def _text(self, data) -> None:
        self._chars += len(data)
        if self._chars > MAX_CELL_CHARS:
            raise LimitExceeded(f"“{self.file_name}”中第 {self.count} 个共享文字超过 {MAX_CELL_CHARS} 个字符"
                                "（Excel 单元格的上限），文件不正常，未导入。")


class _Sheet(_Handler):
    def __init__(self, file_name: str, sheet: str, shared_count: int):
        super().__init__(file_name)
        self.sheet, self.shared_count = sheet, shared_count
        self.row = 0
        self.last_filled = 0
        self.row_filled = False
        self.cell: _Cell | None = None
        self.collect: list[str] | None = None
        self.chars = 0

    def where(self) -> str:
        ref = self.cell.ref if self.cell and self.cell.ref else ""
        return f"工作表“{self.sheet}”第 {self.row} 行" + (f"（单元格 {ref}）" if ref else "")

    def install(self, parser) -> None:
        super().install(parser)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text

    def _start(self, tag, attrs) -> None:
        tag = _local(tag)
        if tag == "row":
            number = attrs.get("r")
            try:
                self.row = int(number) if number is not None else self.row + 1
            except ValueError:
                raise LimitExceeded(f"工作表“{self.sheet}”的行号“{number[:20]}”无效，文件已损坏。") from None
            if self.row > MAX_ROWS or self.row < 1:
                raise LimitExceeded(f"工作表“{self.sheet}”超过 {MAX_ROWS} 行（第 {self.row} 行），超出导入上限；"
                                    "请分成几个文件导入。未导入任何数据。")
            self.row_filled = False
        elif tag == "c":
            self.cell = _Cell(attrs.get("r", ""), attrs.get("t", "n"))
            self.chars = 0
        elif tag == "v" and self.cell is not None:
            self.cell.value = self.collect = []
        elif self.cell is None:
            self.chars = 0  # text outside cells (headers, footers) is counted per element

    def _text(self, data) -> None:
        self.chars += len(data)
        if self.chars > MAX_CELL_CHARS:
            raise LimitExceeded(f"{self.where()}的内容超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限），"
                                "文件不正常，未导入任何数据。")
        if self.collect is not None:
            self.collect.append(data)
        if data.strip():
            self.row_filled = True

    def _end(self, tag) -> None:
        tag = _local(tag)
        if tag == "v":
            self.collect = None
        elif tag == "c" and self.cell is not None:
            self._check_value(self.cell)
            self.cell = None
        elif tag == "row":
            if self.row_filled:
                if self.row - self.last_filled > MAX_BLANK_RUN:
                    self._blank_run()
                self.last_filled = self.row
            elif self.row - self.last_filled > MAX_BLANK_RUN:
                self._blank_run()

    def _blank_run(self) -> None:
        raise LimitExceeded(f"工作表“{self.sheet}”第 {self.last_filled + 1} 行起有超过 {MAX_BLANK_RUN} 个连续空行，"
                            "请删除多余的空行后另存再导入。未导入任何数据。")

    def _check_value(self, cell: _Cell) -> None:
        if cell.value is None:
            return
        text = "".join(cell.value).strip()
        if not text:
            return
        kind = cell.kind
        shown = text[:30]
        if kind == "s":
            try:
                index = int(text)
            except ValueError:
                index = -1
            if not 0 <= index < self.shared_count:
                raise LimitExceeded(f"{self.where()}引用的共享文字编号“{shown}”不存在（文件只有 {self.shared_count} 个），"
                                    "文件已损坏，未导入任何数据。")
        elif kind == "n":
            try:
                number = _cast_number(text)
            except ValueError:
                raise LimitExceeded(f"{self.where()}标为数字，内容却是“{shown}”，文件已损坏，未导入任何数据。"
                                    "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。") from None
            if isinstance(number, float) and not math.isfinite(number):
                raise LimitExceeded(f"{self.where()}的数字“{shown}”无效，未导入任何数据。")
        elif kind == "d":
            try:
                from_ISO8601(text)
            except (ValueError, OverflowError, TypeError):
                raise LimitExceeded(f"{self.where()}标为日期，内容却是“{shown}”，文件已损坏，未导入任何数据。") from None
        elif kind == "b" and text not in ("0", "1", "true", "false"):
            raise LimitExceeded(f"{self.where()}标为是/否，内容却是“{shown}”，文件已损坏，未导入任何数据。")


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def _scan(zf: zipfile.ZipFile, part: str, handler, budget: list[int]):
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    handler.install(parser)
    try:
        with zf.open(part) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise LimitExceeded(_too_big(handler.file_name))
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise LimitExceeded(f"“{handler.file_name}”的内部文件 {part} 不是有效的 XML（{expat.errors.messages.get(exc.code, exc)}，"
                            f"第 {exc.lineno} 行），文件已损坏。") from None
    return handler
