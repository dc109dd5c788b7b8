"""Bank payment files (银行代发文件) and bank return files (退票/失败明细).

Writing: one row per payable line, columns from an admin-defined template (a
list of :class:`BankColumn`), amounts in yuan with two decimals (number format
``0.00``, or text ``"1234.50"`` when the bank wants text), account and ID
numbers always as text cells (never 6.22E+18), every string neutralised against
formula injection (:func:`.xlsx_safe.safe_cell`).  A second sheet 汇总 carries
the count and the total; after saving, the file is read back and its count and
total must equal what was meant to be written (:class:`BankFileMismatch`
otherwise, and the file is removed).

Reading: the bank's return file, .xlsx or .csv (UTF-8 or GBK), header row
found among the first rows by the usual header names (账号/卡号, 身份证号/证件号码,
户名/姓名, 金额, 状态/处理结果, 失败原因/退票原因).  Rows whose status says 成功 are
confirmations, every other row is a return.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..domain.cards import normalize_account
from ..domain.money import AmountError, format_yuan, parse_yuan, yuan_decimal
from .output import atomic_path
from .xlsx_rows import column_texts
from .xlsx_safe import number_cells, safe_cell, save_workbook, text_cells, xml_rows

__all__ = [
    "FIELDS", "BankColumn", "BankRow", "BankFileTotals", "BankFileMismatch", "DEFAULT_COLUMNS",
    "write_bank_file", "read_bank_file_totals", "ReturnRow", "ReturnFile", "ReturnFileError",
    "read_return_file", "validate_columns",
]

#: what a template column can carry, with its Chinese name
FIELDS: dict[str, str] = {
    "seq": "序号",
    "account": "账号",
    "name": "户名",
    "amount": "金额（元）",
    "id_number": "身份证号",
    "bank": "开户行",
    "remark": "备注",
    "phone": "手机号",
    "fixed": "固定内容",
}
_TEXT_FIELDS = {"account", "id_number", "phone", "name", "bank", "remark", "fixed"}


@dataclass(frozen=True)
class BankColumn:
    header: str
    field: str
    value: str = ""  # for field "fixed": the same text on every row (e.g. 用途：困难职工救助金)
    width: float | None = None


DEFAULT_COLUMNS: tuple[BankColumn, ...] = (
    BankColumn("序号", "seq", width=6),
    BankColumn("收款账号", "account", width=24),
    BankColumn("收款人姓名", "name", width=12),
    BankColumn("金额（元）", "amount", width=14),
    BankColumn("身份证号码", "id_number", width=22),
    BankColumn("开户行", "bank", width=28),
    BankColumn("备注", "remark", width=30),
)


def validate_columns(columns: Sequence[BankColumn]) -> list[str]:
    """Problems (Chinese) with a template's columns; empty when usable."""
    problems = []
    if not columns:
        return ["模板至少要有一列"]
    fields = [c.field for c in columns]
    for c in columns:
        if c.field not in FIELDS:
            problems.append(f"列“{c.header}”的内容“{c.field}”无效，可选：{'、'.join(FIELDS)}")
        if not c.header.strip():
            problems.append("列标题不能为空")
    for needed in ("account", "name", "amount"):
        if needed not in fields:
            problems.append(f"模板必须包含“{FIELDS[needed]}”列")
    if fields.count("amount") > 1:
        problems.append("金额列只能有一列")
    headers = [c.header.strip() for c in columns]
    if len(set(headers)) != len(headers):
        problems.append("列标题不能重复")
    return problems


@dataclass(frozen=True)
class BankRow:
    account: str
    name: str
    amount_fen: int
    id_number: str = ""
    bank: str = ""
    remark: str = ""
    phone: str = ""


@dataclass(frozen=True)
class BankFileTotals:
    count: int
    total_fen: int


class BankFileMismatch(RuntimeError):
    """The written file does not read back with the intended count and total."""


def _value(col: BankColumn, seq: int, row: BankRow):
    if col.field == "seq":
        return seq
    if col.field == "amount":
        return row.amount_fen
    if col.field == "fixed":
        return col.value
    if col.field == "account":
        return normalize_account(row.account)
    return getattr(row, col.field) or ""


def write_bank_file(
    columns: Sequence[BankColumn],
    rows: Sequence[BankRow],
    target: str | os.PathLike,
    *,
    amount_as_text: bool = False,
    sheet_title: str = "代发明细",
    summary_lines: Sequence[tuple[str, str]] = (),
) -> BankFileTotals:
    """Write the payment file; read it back and check count and total; return them."""
    problems = validate_columns(columns)
    if problems:
        raise ValueError("；".join(problems))
    for row in rows:
        if isinstance(row.amount_fen, bool) or not isinstance(row.amount_fen, int) or row.amount_fen <= 0:
            raise ValueError(f"{row.name} 的金额无效：{row.amount_fen!r}")
    expected = BankFileTotals(len(rows), sum(r.amount_fen for r in rows))

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width or max(10.0, len(col.header) * 2.2)
        if col.field in _TEXT_FIELDS:
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    center = Alignment(horizontal="center", vertical="center")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, safe_cell(col.header))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = bold, fill, center
        header.append(cell)
    ws.append(header)
    text, number, amount = text_cells(ws), number_cells(ws), number_cells(ws, "0.00")

    def cell(col: BankColumn):
        if col.field == "amount":
            if amount_as_text:
                return lambda fen: text(format_yuan(fen, thousands=False))
            return lambda fen: amount(yuan_decimal(fen))
        if col.field == "seq":
            return number
        return lambda value: text(str(value))

    data = xml_rows(ws, [cell(col) for col in columns])
    for seq, row in enumerate(rows, start=1):
        data.append([_value(col, seq, row) for col in columns])

    info = wb.create_sheet("汇总")
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 30
    for label, text in [("总笔数", str(expected.count)),
                        ("总金额（元）", format_yuan(expected.total_fen, thousands=False)),
                        *summary_lines]:
        a = WriteOnlyCell(info, safe_cell(label))
        a.data_type = "s"
        b = WriteOnlyCell(info, safe_cell(text))
        b.data_type = "s"
        info.append([a, b])

    with atomic_path(target) as tmp:
        save_workbook(wb, tmp)
        got = read_bank_file_totals(tmp, columns, sheet_title=sheet_title[:31])
        if got != expected:
            raise BankFileMismatch(
                f"代发文件核对不符：应为 {expected.count} 笔 {format_yuan(expected.total_fen)} 元，"
                f"读回 {got.count} 笔 {format_yuan(got.total_fen)} 元；文件未保存"
            )
    return expected


def read_bank_file_totals(path: str | os.PathLike, columns: Sequence[BankColumn],
                          sheet_title: str = "代发明细") -> BankFileTotals:
    """Count and total of a payment file written by :func:`write_bank_file`: the sheet's XML read
    straight from the file (openpyxl's reader cost more than writing the file did)."""
    amount_column = get_column_letter(next(i for i, c in enumerate(columns) if c.field == "amount") + 1)
    count = total = 0
    for row, text in column_texts(path, sheet_title, amount_column):
        if row > 1:  # below the header
            count += 1
            total += parse_yuan(text)
    return BankFileTotals(count, total)


# ---------------------------------------------------------------- return files

_HEADERS = {
    "account": ("账号", "帐号", "卡号", "银行账号", "银行卡号", "收款账号", "收款人账号", "收款帐号",
                "账户", "帐户", "社保卡号", "卡号/账号", "账号/卡号", "收款账户"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "身份证"),
    "name": ("姓名", "户名", "收款人", "收款人姓名", "收款人名称", "账户名称", "账户名", "客户姓名"),
    "amount": ("金额", "金额（元）", "金额(元)", "交易金额", "发放金额", "代发金额", "退回金额", "退票金额"),
    "status": ("状态", "处理结果", "交易状态", "结果", "处理状态", "交易结果"),
    "reason": ("失败原因", "退票原因", "退回原因", "原因", "错误信息", "失败信息", "备注", "说明", "返回信息"),
}


class ReturnFileError(ValueError):
    """The return file cannot be read; the message says why, for the clerk."""


@dataclass(frozen=True)
class ReturnRow:
    row_no: int  # as the clerk sees it in the spreadsheet (1-based, header included)
    account: str
    id_number: str
    name: str
    amount_fen: int | None
    status: str
    reason: str

    @property
    def succeeded(self) -> bool:
        s = self.status
        return bool(s) and "成功" in s and not any(w in s for w in ("不成功", "未成功", "失败"))


@dataclass(frozen=True)
class ReturnFile:
    rows: tuple[ReturnRow, ...]
    has_status: bool
    columns: dict[str, str]  # field -> header found


def _norm_header(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).replace("(", "（").replace(")", "）")


_NORMAL_HEADERS = {f: tuple(_norm_header(h) for h in hs) for f, hs in _HEADERS.items()}


def _map_header(values: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        text = _norm_header(value)
        if not text:
            continue
        for field, names in _NORMAL_HEADERS.items():
            if field not in found and text in names:
                found[field] = index
                break
    return found


def _cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip().lstrip("'")


def _load_rows(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx_reader import WorkbookError, open_workbook

        try:
            with open_workbook(path) as wb:
                visible = [sh for sh in wb.sheets if not sh.hidden] or wb.sheets
                return [list(r) for r in visible[0].rows()]
        except WorkbookError as exc:
            raise ReturnFileError(str(exc)) from exc
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise ReturnFileError(f"无法识别“{path.name}”的文字编码")
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
        return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    raise ReturnFileError(f"不支持的文件类型“{path.suffix}”：请使用 .xlsx 或 .csv")


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def read_return_file(path: str | os.PathLike) -> ReturnFile:
    """Parse a bank return file; raise :class:`ReturnFileError` if it makes no sense."""
    path = Path(path)
    if not path.is_file():
        raise ReturnFileError(f"文件不存在：{path}")
    table = _load_rows(path)
    header_at, mapping = None, {}
    for index, values in enumerate(table[:15]):
        found = _map_header(values)
        if "account" in found or "id_number" in found:
            header_at, mapping = index, found
            break
    if header_at is None:
        raise ReturnFileError("未找到表头：退票文件应有“账号/卡号”或“身份证号”列")
    headers = table[header_at]
    rows = []
    problems = []
    for index in range(header_at + 1, len(table)):
        values = table[index]
        if not values or all(_cell_str(v) == "" for v in values):
            continue

        def get(field: str) -> str:
            col = mapping.get(field)
            return _cell_str(values[col]) if col is not None and col < len(values) else ""

        account = normalize_account(get("account"))
        id_number = get("id_number").upper().replace(" ", "")
        if not _has_digit(account) and not _has_digit(id_number):
            # totals / notes lines at the bottom of bank files carry neither, or a word such
            # as 合计 / 总计 / 制表人 in the account column: not a payment, not "unmatched"
            continue
        amount = None
        if get("amount"):
            try:
                amount = parse_yuan(get("amount"))
            except AmountError as exc:
                problems.append(f"第 {index + 1} 行金额无效：{exc}")
        rows.append(ReturnRow(index + 1, account, id_number, get("name"), amount, get("status"), get("reason")))
    if problems:
        raise ReturnFileError("；".join(problems))
    return ReturnFile(tuple(rows), "status" in mapping,
                      {f: _cell_str(headers[i]) for f, i in mapping.items()})
