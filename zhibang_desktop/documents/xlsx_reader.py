"""Read untrusted .xlsx files (imports filled in by clerks or other offices).

* XML is parsed through ``defusedxml`` (openpyxl uses it automatically when it
  is installed; we refuse to run without it), the workbook is opened
  ``read_only=True, data_only=True`` (cached values, formulas never matter)
  and rows are streamed, so a 100k-row file does not sit in memory;
* files that are not .xlsx (old .xls, .csv, .et, renamed files), password
  protected workbooks and empty workbooks give a :class:`WorkbookError` with
  a message for the clerk;
* :func:`find_header` locates the header row among the first rows by alias
  matching, and :func:`iter_records` yields :class:`SheetRow` records keyed
  by field name with Excel row numbers for error reports.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401  (hard requirement: openpyxl parses XML with it when present)
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml import DEFUSEDXML

from .xlsx_limits import MAX_ROWS, LimitExceeded, check_xlsx

__all__ = [
    "WorkbookError",
    "WorkbookData",
    "SheetData",
    "HeaderMap",
    "SheetRow",
    "open_workbook",
    "find_header",
    "iter_records",
    "normalize_header",
    "HEADER_SCAN_ROWS",
]

if not DEFUSEDXML:  # pragma: no cover - only when OPENPYXL_DEFUSEDXML=False is set
    raise ImportError("openpyxl must parse untrusted workbooks with defusedxml")

HEADER_SCAN_ROWS = 10
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


class WorkbookError(Exception):
    """The file cannot be read as a workbook; ``str(exc)`` is shown to the clerk."""


@dataclass
class SheetData:
    """One worksheet; :meth:`rows` streams its rows as tuples of raw cell values."""

    name: str
    hidden: bool
    _ws: Any = field(repr=False)
    max_row: int | None = None  # the last row the limits check found (for progress)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Rows from Excel row 1 on (index i is Excel row i + 1), trailing blanks trimmed.

        Missing rows in the file come out as empty tuples, so numbering is exact.
        Anything openpyxl cannot read past the checks of `xlsx_limits` is a WorkbookError
        naming the sheet and row, never a traceback halfway through an import.
        """
        number = 0
        rows = self._ws.iter_rows(min_row=1, values_only=True)
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # noqa: BLE001 — malformed content of an untrusted file
                raise WorkbookError(
                    f"工作表“{self.name}”第 {number + 1} 行无法读取，文件可能已损坏：{_first_line(exc)}。"
                    "未导入任何数据。"
                ) from None
            if row is None:
                return
            number += 1
            if number > MAX_ROWS:
                raise WorkbookError(f"工作表“{self.name}”超过 {MAX_ROWS} 行，超出导入上限；请分成几个文件导入。")
            row = tuple(row)
            end = len(row)
            while end and _is_blank(row[end - 1]):
                end -= 1
            yield row[:end]

    def head(self, n: int = HEADER_SCAN_ROWS) -> list[tuple[Any, ...]]:
        out = []
        for row in self.rows():
            out.append(row)
            if len(out) >= n:
                break
        return out


@dataclass
class WorkbookData:
    """An open workbook; close it (or use ``with``) when done."""

    path: Path
    sheets: list[SheetData]
    _wb: Any = field(repr=False)

    def sheet(self, name: str) -> SheetData:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def close(self) -> None:
        self._wb.close()

    def __enter__(self) -> WorkbookData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sniff(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise WorkbookError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise WorkbookError(f"“{path.name}”是文件夹，不是 Excel 文件。") from None
    except PermissionError:
        raise WorkbookError(
            f"无法读取“{path.name}”：没有权限，或文件正被其他程序（Excel/WPS）独占打开。"
        ) from None
    if size == 0:
        raise WorkbookError(f"“{path.name}”是空文件（0 字节），没有可导入的内容。")
    if head.startswith(_OLE2_MAGIC):
        if _is_encrypted_ooxml(path):
            raise WorkbookError(
                f"“{path.name}”设置了打开密码。请在 Excel/WPS 中打开并取消密码"
                "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存，再导入。"
            )
        raise WorkbookError(
            f"“{path.name}”是旧版 Excel（.xls）或 WPS 格式。"
            "请在 Excel/WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入。"
        )
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(
            f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。"
            "如果是 CSV 或文本文件，请先在 Excel/WPS 中打开并另存为 .xlsx。"
        )


def _is_encrypted_ooxml(path: Path) -> bool:
    """Password-protected .xlsx files are OLE2 containers holding these streams."""
    markers = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return any(m in data for m in markers)


def open_workbook(path: str | os.PathLike) -> WorkbookData:
    """Open an untrusted .xlsx for reading; raise :class:`WorkbookError` with a clear reason."""
    path = Path(path)
    _sniff(path)
    try:
        last_rows = check_xlsx(path)  # limits and types, checked as the parts stream, before openpyxl
    except LimitExceeded as exc:
        raise WorkbookError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            # e.g. "Workbook contains no default style" / data validation extensions
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise WorkbookError(
            f"“{path.name}”已损坏或不是 Excel 工作簿（.xlsx），无法读取（{type(exc).__name__}）。"
        ) from None
    except Exception as exc:  # malformed XML, entity attacks refused by defusedxml, …
        raise WorkbookError(
            f"“{path.name}”的内容无法解析，文件可能已损坏：{_first_line(exc)}"
        ) from None

    sheets = []
    try:
        for ws in wb.worksheets:
            if ws.__class__.__name__ != "ReadOnlyWorksheet":  # chartsheets have no cells
                continue
            # Some programs write a wrong <dimension>; without this openpyxl would
            # stop reading at the declared last row/column.
            ws.reset_dimensions()
            sheets.append(SheetData(ws.title, ws.sheet_state != "visible", ws, last_rows.get(ws.title)))
        data = WorkbookData(path, sheets, wb)
        if not any(_has_content(s) for s in sheets):
            raise WorkbookError(f"“{path.name}”中没有任何数据（所有工作表都是空的）。")
    except WorkbookError:
        wb.close()
        raise
    except Exception as exc:
        wb.close()
        raise WorkbookError(
            f"“{path.name}”的内容无法解析，文件可能已损坏：{_first_line(exc)}"
        ) from None
    return data


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _has_content(sheet: SheetData) -> bool:
    return any(any(not _is_blank(v) for v in row) for row in sheet.rows())


# ------------------------------------------------------------------ headers

_REQUIRED_MARKS = re.compile(r"[（(](?:必填|必填项|选填|可选|非必填)[）)]")
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"[（(【\[][^（()）【】\[\]]*[）)】\]]")
_EDGE_PUNCT = "*＊:：※★☆"


def normalize_header(text: Any) -> str:
    """Header text compared for matching: NFKC (full-width → half-width, so
    ``（）`` → ``()``), no whitespace, no "（必填）"/"*" marks, lower case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACES.sub("", s)
    s = _REQUIRED_MARKS.sub("", s)
    s = s.strip(_EDGE_PUNCT)
    s = _REQUIRED_MARKS.sub("", s)  # "姓名（必填）*"
    return s.lower()


def _loose(normal: str) -> str:
    """Normalised header without bracketed parts: "金额(元)" -> "金额"."""
    return _BRACKETED.sub("", normal) or normal


@dataclass(frozen=True)
class HeaderMap:
    """Where the header row is and which column holds which field.

    ``row_number`` is the Excel (1-based) row of the header, 0 if none was
    found; ``columns`` maps field -> 0-based column index; ``unknown_columns``
    lists (index, header text) of non-empty headers that match no field;
    ``duplicates`` lists fields claimed by more than one column (the first
    column is used).
    """

    row_number: int
    columns: dict[str, int]
    missing_required: frozenset[str]
    unknown_columns: tuple[tuple[int, str], ...] = ()
    duplicates: dict[str, tuple[int, ...]] = field(default_factory=dict)
    headers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.row_number > 0 and not self.missing_required

    def header_of(self, field_name: str) -> str:
        """The header text as written in the file for a mapped field."""
        index = self.columns.get(field_name)
        if index is None or index >= len(self.headers):
            return field_name
        return self.headers[index]


class _Aliases:
    """Alias lookup.  Bracketed parts ("（元）", "(18位)") may be left out on one
    side only: header "金额（元）" matches alias "金额" and header "金额" matches
    alias "金额（元）", but "金额（万元）" does not match "金额（元）"."""

    def __init__(self, aliases: Mapping[str, Sequence[str]]) -> None:
        self.exact: dict[str, str] = {}
        self.plain: dict[str, str] = {}  # aliases without brackets
        self.stripped: dict[str, str] = {}  # bracketed aliases, brackets removed
        for fld, names in aliases.items():
            for name in [fld, *names]:
                n = normalize_header(name)
                if not n:
                    continue
                self.exact.setdefault(n, fld)
                loose = _loose(n)
                if loose == n:
                    self.plain.setdefault(n, fld)
                else:
                    self.stripped.setdefault(loose, fld)

    def match(self, cell: Any) -> str | None:
        n = normalize_header(cell)
        if not n:
            return None
        if n in self.exact:
            return self.exact[n]
        loose = _loose(n)
        if loose != n:
            return self.plain.get(loose)
        return self.stripped.get(n)


def find_header(
    sheet_rows: Iterable[Sequence[Any]],
    aliases: Mapping[str, Sequence[str]],
    required: Iterable[str] = (),
    *,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> HeaderMap:
    """Find the header row among the first ``scan_rows`` rows.

    ``aliases`` maps each field to the header texts clerks use for it (the
    field name itself also matches).  The row matching the most distinct
    fields wins (the earlier on a tie; title rows above it are skipped).
    """
    required = frozenset(required)
    lookup = _Aliases(aliases)
    best: tuple[int, int, Sequence[Any]] | None = None  # (matches, row_number, row)
    for i, row in enumerate(sheet_rows):
        if i >= scan_rows:
            break
        fields = {f for f in (lookup.match(c) for c in row) if f}
        if fields and (best is None or len(fields) > best[0]):
            best = (len(fields), i + 1, row)
    if best is None:
        return HeaderMap(0, {}, required)
    _, row_number, row = best
    columns: dict[str, int] = {}
    dups: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    headers = tuple("" if c is None else str(c).strip() for c in row)
    for index, cell in enumerate(row):
        fld = lookup.match(cell)
        if fld is None:
            if not _is_blank(cell):
                unknown.append((index, headers[index]))
        elif fld in columns:
            dups.setdefault(fld, [columns[fld]]).append(index)
        else:
            columns[fld] = index
    return HeaderMap(
        row_number=row_number,
        columns=columns,
        missing_required=frozenset(required - columns.keys()),
        unknown_columns=tuple(unknown),
        duplicates={k: tuple(v) for k, v in dups.items()},
        headers=headers,
    )


@dataclass(frozen=True)
class SheetRow:
    """One data row: Excel row number (1-based) and raw values by field."""

    sheet: str
    row_number: int
    values: dict[str, Any]


def iter_records(
    sheet: SheetData | str,
    sheet_rows: Iterable[Sequence[Any]],
    header: HeaderMap,
) -> Iterator[SheetRow]:
    """Yield the rows below the header as :class:`SheetRow`, skipping fully empty rows.

    ``sheet_rows`` must start at Excel row 1 (e.g. ``SheetData.rows()``).
    A row counts as empty when all its cells are blank, mapped or not.
    """
    name = sheet.name if isinstance(sheet, SheetData) else sheet
    if header.row_number <= 0:
        return
    for i, row in enumerate(sheet_rows):
        row_number = i + 1
        if row_number <= header.row_number:
            continue
        if all(_is_blank(v) for v in row):
            continue
        values = {
            fld: (row[idx] if idx < len(row) else None) for fld, idx in header.columns.items()
        }
        yield SheetRow(name, row_number, values)
