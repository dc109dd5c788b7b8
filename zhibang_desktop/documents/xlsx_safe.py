"""Excel export that cannot be turned into a formula and scales to 100k rows.

Two dangers in exporting clerk-entered text to .xlsx:

* formula injection (CSV/Excel injection): openpyxl writes any string that
  starts with ``=`` as a live formula, and spreadsheet programs also evaluate
  cells typed as ``+…``, ``-…``, ``@…``; a tab/CR/LF in front can smuggle one
  in when the sheet is re-exported to CSV.  :func:`safe_cell` prefixes such
  strings with a single quote ``'`` (the OWASP advice) and every string is
  written as a plain string cell (``t="inlineStr"``/``s``, never ``f`` or ``e``);
* long digit strings (身份证号, 银行卡号, 手机号) turned into numbers lose digits
  (Excel keeps 15 significant digits) or get shown as 4.40183E+17:
  columns flagged as text are always written as strings with number format
  ``@``.

:class:`XlsxWriter` uses openpyxl's write-only mode (rows streamed to a temp
file: about 33 MB for 100,000 rows × 15 columns instead of ~640 MB) and saves
atomically (temp file + rename).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import LXML, Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import TIME_FORMATS
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel
from openpyxl.writer.excel import ExcelWriter

from ..domain import clock
from ..domain.money import yuan_decimal
from .output import atomic_path, is_file_object

if LXML:  # openpyxl streams the sheet with lxml: hand it lxml elements (the default, per-thread parser)
    from lxml.etree import fromstring
else:
    from xml.etree.ElementTree import fromstring

__all__ = ["FORMULA_PREFIXES", "safe_cell", "save_workbook", "XlsxWriter", "sheet_title", "style_with", "styled_cell",
           "place_cells_as_given", "text_cells", "number_cells", "xml_rows"]

#: A string starting with one of these is neutralised by :func:`safe_cell`.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

# XML 1.0 forbids these control characters (openpyxl raises IllegalCharacterError), the two
# non-characters U+FFFE and U+FFFF and lone surrogates (no XML writer takes them either).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_CELL_TEXT = 32767


def safe_cell(value: Any) -> Any:
    """Return ``value`` made safe to put in a spreadsheet cell.

    Strings starting with ``= + - @``, tab, CR or LF get a leading ``'`` and
    stay strings; control characters that XML cannot hold are removed; text
    longer than Excel's 32,767-character cell limit is cut.  Numbers, bools,
    dates and ``None`` are returned unchanged, except that timezone-aware
    datetimes are converted to local time (Excel has no time zones) and
    NaN/infinite floats become text.  Other objects become their ``str``.
    """
    if value is None or isinstance(value, (bool, int, Decimal, dt.date, dt.time)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone().replace(tzinfo=None)
        if isinstance(value, Decimal) and not value.is_finite():
            return str(value)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL.sub("", text)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text[:_MAX_CELL_TEXT]


def _text_value(value: Any) -> str | None:
    """Value for a text-flagged column (ID, card, phone numbers): always a string."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13800138000.0 -> "13800138000"
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return safe_cell(str(value))


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique Excel sheet name (≤31 chars, none of ``[]:*?/\\``)."""
    base = _BAD_TITLE.sub("_", title).strip("'") or "Sheet"
    base = base[:31]
    lower = {t.lower() for t in taken}
    candidate, n = base, 1
    while candidate.lower() in lower:
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def style_with(ws, number_format: str) -> StyleArray:
    """The style of a plain cell of `ws` with this number format (registered once)."""
    proto = WriteOnlyCell(ws)
    proto.number_format = number_format
    return proto._style


def styled_cell(ws, value: Any, data_type: str, style: StyleArray | None) -> Cell:
    """A write-only cell holding `value` as `data_type` (already made safe), in `style`."""
    cell = Cell(ws, style_array=style)
    cell._value = value
    cell.data_type = data_type
    return cell


def place_cells_as_given(ws) -> None:
    """Give the write-only sheet `ws` openpyxl's row placement that takes our ready-made cells
    as they are: openpyxl tries each value as a plain value first and builds (and formats) an
    error message for every cell object before it takes it as one — ~15% of an export's time."""

    def values_to_row(values, row_idx):
        blank = WriteOnlyCell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = blank
                cell.value = value
            cell.column = col_idx
            cell.row = row_idx
            yield cell
            if cell is blank and cell.has_style:
                blank = WriteOnlyCell(ws)

    if hasattr(ws, "_values_to_row"):
        ws._values_to_row = values_to_row


def _display_width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


# A data row of XlsxWriter is written as XML text, cell by cell, instead of as openpyxl cell
# objects: openpyxl builds a Cell, binds and re-checks its value, looks up its style and writes
# two or three nested elements through the streaming writer for every cell, which cost more than
# the floor's whole cell (see README, Benchmark). Each converter below turns one value (already
# made safe) into the cell's XML after its reference; the row is parsed once by the same XML
# library openpyxl writes with and streamed into the sheet as one element.
_XML_ESCAPE = re.compile(r"[&<>\r]")


def _xml_text(text: str) -> str:
    """`text` as XML character data: & < > escaped, and CR as a character reference (a parser
    would turn a literal CR into LF; openpyxl's lxml writer keeps it)."""
    if _XML_ESCAPE.search(text) is None:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


# A string needs none of safe_cell's work, no escaping and no xml:space when this finds nothing
# and it is no longer than a cell holds: no formula trigger (or whitespace) in front, no
# whitespace behind, no control character, nothing XML must escape. Most cells are such text.
_PLAIN_TEXT_NOT = re.compile(r"\A[=+\-@\s]|\s\Z|[&<>\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def _text_xml(value: str, style: str) -> str:
    """The string cell of `value` made safe (safe_cell), checked with one search first."""
    if _PLAIN_TEXT_NOT.search(value) is None and 0 < len(value) <= _MAX_CELL_TEXT:
        return f'{style} t="inlineStr"><is><t>{value}</t></is></c>'
    return _string_xml(safe_cell(value), style)


def _string_xml(text: str, style: str) -> str:
    """A string cell (``t="inlineStr"``, never a formula or an error), as openpyxl writes one."""
    if not text:
        return f'{style} t="inlineStr"/>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _number_xml(value: Any, style: str) -> str:
    return f'{style} t="n"><v>{"%.16g" % value}</v></c>'


_MARCH_1900 = dt.date(1900, 3, 1)
_WINDOWS_EPOCH_ORDINAL = WINDOWS_EPOCH.toordinal()


def _date_serial(value: dt.date, epoch: dt.datetime) -> int | float:
    """openpyxl's `to_excel`, with a plain date from March 1900 on (past Excel's phantom
    29 February 1900) counted as days from the Windows epoch at once."""
    if type(value) is dt.date and value >= _MARCH_1900 and epoch == WINDOWS_EPOCH:
        return value.toordinal() - _WINDOWS_EPOCH_ORDINAL
    return to_excel(value, epoch)


def _style_attr(ws, style: StyleArray) -> str:
    return f' s="{ws.parent._cell_styles.add(style)}"'


def text_cells(ws) -> Callable[[Any], str]:
    """The cells of a text column of `ws` (ID, card and phone numbers, names): every value a
    string cell made safe, in number format ``@``; as XML for `xml_rows`."""
    style = _style_attr(ws, style_with(ws, "@"))

    def text(value: Any) -> str:
        if type(value) is str:
            return _text_xml(value, style)
        return _string_xml(_text_value(value), style)
    return text


def number_cells(ws, number_format: str | None = None) -> Callable[[Any], str]:
    """The cells of a number column of `ws` (values already numbers), in `number_format`."""
    style = _style_attr(ws, style_with(ws, number_format)) if number_format else ""
    return lambda value: _number_xml(value, style)


def xml_rows(ws, converters: Sequence[Callable[[Any], str]]) -> "_Sheet":
    """The data rows of the write-only sheet `ws`, whose header (row 1) is already appended,
    written as XML: `.append(values)` turns each non-None value into its cell with its column's
    converter (`text_cells`, `number_cells`)."""
    _write_rows_as_xml(ws)
    return _Sheet(ws, len(converters), list(converters), XlsxWriter._general_for(ws), False,
                  refs=[f'<c r="{get_column_letter(i + 1)}' for i in range(len(converters))])


class _RowXml(tuple):
    """(row number, the row's XML): what `_Sheet.append` hands the write-only sheet."""
    __slots__ = ()


def _write_rows_as_xml(ws) -> None:
    """Let the write-only sheet `ws` (its header already appended) take `_RowXml` rows as they
    are; any other row still goes through openpyxl (and `place_cells_as_given`)."""
    to_row, write_row = ws._values_to_row, ws._writer.write_row

    def values_to_row(values, row_idx):
        return values if type(values) is _RowXml else to_row(values, row_idx)

    def write(xf, row, row_idx):
        if type(row) is not _RowXml:
            write_row(xf, row, row_idx)
            return
        number, xml = row
        if number != row_idx:  # a row appended to the sheet behind XlsxWriter's back
            raise RuntimeError(f"row {number} written as row {row_idx}")
        xf.write(fromstring(xml))

    ws._values_to_row = values_to_row
    ws._writer.write_row = write


@dataclass
class _Sheet:
    ws: Any
    ncols: int
    converters: list[Callable[[Any], str]]  # per column: a non-None value -> its cell's XML after the reference
    general: Callable[[Any], str]
    auto_filter: bool
    rows: int = 0
    refs: list[str] = field(default_factory=list)  # per column: '<c r="B' (the row number follows)

    def append(self, row: Sequence[Any]) -> None:
        converters, refs = self.converters, self.refs
        if len(row) > len(converters):
            converters = converters + [self.general] * (len(row) - len(converters))
            refs = refs + [f'<c r="{get_column_letter(i + 1)}' for i in range(len(refs), len(row))]
        number = self.rows + 2  # the header is row 1
        at = f'{number}"'
        cells = "".join([ref + at + convert(value)
                         for ref, convert, value in zip(refs, converters, row) if value is not None])
        self.ws.append(_RowXml((number, f'<row r="{number}">{cells}</row>')))
        self.rows += 1


class _DatedZipFile(ZipFile):
    """A ZipFile whose entries are dated ``date_time`` (a local-time tuple) instead of the
    machine's time: ``writestr`` stamps the current time and ``write`` the source file's mtime
    (openpyxl's write-only sheets are temp files), and both store through ``open(zinfo, "w")``,
    which streams as before."""

    def __init__(self, target, date_time: tuple[int, int, int, int, int, int]):
        super().__init__(target, "w", ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode == "w":
            if not isinstance(name, ZipInfo):
                name = ZipInfo(name)
                name.compress_type = self.compression
            name.date_time = self.date_time
        return super().open(name, mode, pwd, force_zip64=force_zip64)


def save_workbook(wb: Workbook, target: str | BinaryIO) -> None:
    """``wb.save(target)``, with the file's dates from the program's clock — the 创建时间 /
    修改时间 (docProps/core.xml) and every zip entry's date (what ``unzip -l`` shows): openpyxl
    and zipfile stamp the machine's time, so a file exported on a pinned or training day
    (ZHIBANG_TODAY) carried another date than its sheets."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    moment = clock.now()
    wb.properties.created = wb.properties.modified = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    local = max(moment.astimezone().replace(tzinfo=None), dt.datetime(1980, 1, 1))  # zip dates: local, 1980 on
    ExcelWriter(wb, _DatedZipFile(target, local.timetuple()[:6])).save()


class XlsxWriter:
    """Streaming .xlsx writer: safe cells, text columns, bold frozen header.

    Usage::

        xw = XlsxWriter()
        xw.add_sheet("名单", ["序号", "姓名", "身份证号", "金额（元）"], [6, 10, 22, 12],
                     text_columns=[2], money_columns=[3])
        for row in rows:
            xw.append(row)          # money cells are int fen
        xw.save(path)

    Sheets are written one after the other (write-only mode); rows go to the
    sheet added last.  Columns can be flagged by index or by header text:
    ``text_columns`` (always strings, number format ``@``), ``money_columns``
    (int fen written as a yuan number with format ``#,##0.00``),
    ``date_columns`` (format ``yyyy-mm-dd``).
    """

    HEADER_FONT = Font(bold=True)
    HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
    HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
    HEADER_BORDER = Border(bottom=Side(style="thin"))

    def __init__(self) -> None:
        self._wb = Workbook(write_only=True)
        self._sheets: dict[str, _Sheet] = {}
        self._sheet: _Sheet | None = None
        self._saved = False

    @property
    def row_count(self) -> int:
        """Data rows appended to the current sheet (header not counted)."""
        return self._sheet.rows if self._sheet is not None else 0

    def add_sheet(
        self,
        title: str,
        headers: Sequence[str],
        column_widths: Sequence[float | None] | None = None,
        *,
        text_columns: Iterable[int | str] = (),
        money_columns: Iterable[int | str] = (),
        date_columns: Iterable[int | str] = (),
        freeze_header: bool = True,
        auto_filter: bool = True,
        landscape: bool = True,
    ) -> str:
        """Start a new sheet with a bold, frozen header row; returns its title (made valid).

        ``column_widths`` are in Excel character units; ``None`` (or a missing
        entry) sizes the column from its header. Rows go to the newest sheet with
        :meth:`append`, or to any sheet by title with :meth:`append_to` (several
        sheets can be filled in one pass).
        """
        ws = self._wb.create_sheet(sheet_title(title, self._wb.sheetnames))
        place_cells_as_given(ws)
        headers = [str(h) for h in headers]
        ncols = len(headers)

        def indexes(spec: Iterable[int | str]) -> set[int]:
            out = set()
            for item in spec:
                if isinstance(item, int):
                    if not 0 <= item < ncols:
                        raise ValueError(f"column {item} out of range")
                    out.add(item)
                else:
                    out.add(headers.index(item))
            return out

        kinds = ["general"] * ncols
        for i in indexes(text_columns):
            kinds[i] = "text"
        for i in indexes(money_columns):
            kinds[i] = "money"
        for i in indexes(date_columns):
            kinds[i] = "date"

        widths = list(column_widths or [])
        for i, header in enumerate(headers):
            width = widths[i] if i < len(widths) and widths[i] else None
            if width is None:
                width = max(8.0, min(40.0, _display_width(header) + 2))
            letter = get_column_letter(i + 1)
            ws.column_dimensions[letter].width = width
            if kinds[i] == "text":  # also empty cells typed in later are text
                ws.column_dimensions[letter].number_format = "@"

        if freeze_header:
            ws.freeze_panes = "A2"
        if landscape:
            ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = "1:1"

        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, safe_cell(header))
            cell.data_type = "s"
            cell.font = self.HEADER_FONT
            cell.fill = self.HEADER_FILL
            cell.alignment = self.HEADER_ALIGN
            cell.border = self.HEADER_BORDER
            header_cells.append(cell)
        ws.append(header_cells)
        _write_rows_as_xml(ws)

        general = self._general_for(ws)
        sheet = _Sheet(ws, ncols, [self._converter(ws, kind, general) for kind in kinds], general, auto_filter,
                       refs=[f'<c r="{get_column_letter(i + 1)}' for i in range(ncols)])
        self._sheets[ws.title] = self._sheet = sheet
        return ws.title

    def append(self, row: Sequence[Any]) -> None:
        """Append one data row (values in header order) to the newest sheet."""
        if self._sheet is None:
            raise RuntimeError("add_sheet() first")
        self._sheet.append(row)

    def append_to(self, title: str, row: Sequence[Any]) -> None:
        """Append one data row to the sheet `title` (as add_sheet returned it)."""
        self._sheets[title].append(row)

    @staticmethod
    def _converter(ws, kind: str, general: Callable[[Any], str]) -> Callable[[Any], str]:
        """What turns a (non-None) value of a column of this kind into its cell's XML.

        One style per column kind, registered once: at 100,000 rows looking up each cell's
        style cost more than writing the XML."""
        if kind == "general":
            return general
        if kind == "text":
            return text_cells(ws)
        if kind == "money":
            money_style = _style_attr(ws, style_with(ws, "#,##0.00"))

            def money(value):
                if type(value) is int:
                    return _number_xml(yuan_decimal(value), money_style)
                return general(value)
            return money
        date_style = _style_attr(ws, style_with(ws, "yyyy-mm-dd"))
        datetime_style = _style_attr(ws, style_with(ws, "yyyy-mm-dd hh:mm"))
        epoch = ws.parent.epoch

        def date(value):
            if isinstance(value, dt.datetime):
                return _number_xml(to_excel(safe_cell(value), epoch), datetime_style)
            if isinstance(value, dt.date):
                return _number_xml(_date_serial(value, epoch), date_style)
            return general(value)
        return date

    @staticmethod
    def _general_for(ws) -> Callable[[Any], str]:
        """Any value as openpyxl would type it, made safe first: every string a string cell
        (after safe_cell none starts a formula; "#N/A" and the other error codes stay text),
        numbers and booleans as such, dates and times as numbers in openpyxl's format for
        their type."""
        epoch = ws.parent.epoch
        time_styles: dict[type, str] = {}

        def general(value: Any) -> str:
            if type(value) is str:
                return _text_xml(value, "")
            value = safe_cell(value)
            kind = type(value)
            if kind is str:
                return _string_xml(value, "")
            if kind is int or kind is Decimal or kind is float:
                return _number_xml(value, "")
            if isinstance(value, bool):
                return f' t="b"><v>{int(value)}</v></c>'
            if isinstance(value, (dt.date, dt.time)):
                kind = next(t for t in kind.__mro__ if t in TIME_FORMATS)
                if kind not in time_styles:
                    time_styles[kind] = _style_attr(ws, style_with(ws, TIME_FORMATS[kind]))
                return _number_xml(_date_serial(value, epoch), time_styles[kind])
            if isinstance(value, str):
                return _string_xml(str(value), "")
            return _number_xml(value, "")  # int, float and Decimal subclasses
        return general

    def append_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)

    def move_sheet_first(self, title: str) -> None:
        """Put the sheet ``title`` (already added) before all others, e.g. a summary written last."""
        self._wb.move_sheet(title, offset=-self._wb.sheetnames.index(title))

    def _finish_sheets(self) -> None:
        for sheet in self._sheets.values():
            if sheet.auto_filter and sheet.ncols:
                sheet.ws.auto_filter.ref = f"A1:{get_column_letter(sheet.ncols)}{sheet.rows + 1}"

    def save(self, target: str | BinaryIO) -> None:
        """Write the workbook atomically (temp file + rename) or into a binary file object.

        A write-only workbook can be saved once.
        """
        if self._saved:
            raise RuntimeError("workbook already saved")
        if not self._wb.worksheets:
            self.add_sheet("Sheet1", [])
        self._finish_sheets()
        try:
            if is_file_object(target):
                save_workbook(self._wb, target)
            else:
                with atomic_path(target) as tmp:
                    save_workbook(self._wb, tmp)
        except BaseException:
            self.discard()  # close the streaming sheets: nothing half-open is left to the GC
            raise
        self._saved = True

    def discard(self) -> None:
        """Drop the workbook without saving (removes the streaming temp files)."""
        if self._saved:
            return
        self._saved = True
        for ws in self._wb.worksheets:
            try:
                ws.close()  # finish its streaming generator and temp file cleanly
            finally:
                writer = getattr(ws, "_writer", None)
                if writer is not None:
                    writer.cleanup()
