"""Read and check an annual exchange workbook (layout: documents.exchange_layout).

The 说明 sheet is checked first: the format and its version, then every data sheet's header,
row count and SHA-256. Any difference refuses the whole file with a Chinese reason naming the
sheet (:class:`ExchangeRefused`); nothing is returned half-read.
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exchange_layout import (
    DATA_SHEETS, FORMAT_NAME, INFO_KEYS, INFO_SHEET, LAYOUT_VERSION, SHEET_TABLE_HEADER, SheetHasher,
)
from .xlsx_reader import WorkbookError, open_workbook

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ExchangeRefused(Exception):
    """The file is not a sound exchange workbook; ``str(exc)`` says why, in Chinese."""


@dataclass(frozen=True)
class ExchangeFile:
    name: str
    sha256: str  # of the file as received (encrypted or not)
    office: str
    union_code: str
    region: str
    year: int
    exported_at: str
    exported_by: str
    counts: dict[str, int]  # sheet key -> data rows
    sheets: dict[str, list[tuple[Any, ...]]]  # sheet key -> data rows (header left out)


def _file_sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decrypted_copy(path: Path, password: str | None) -> Path | None:
    """A temporary plain copy of a password-protected workbook; None when it is not protected."""
    with path.open("rb") as fh:
        if fh.read(8) != _OLE2_MAGIC:
            return None
    import msoffcrypto

    if not password:
        raise ExchangeRefused(f"“{path.name}”设有打开密码，请输入与报送单位约定的密码。")
    try:
        with path.open("rb") as fh:
            office_file = msoffcrypto.OfficeFile(fh)
            office_file.load_key(password=password, verify_password=True)
            plain = io.BytesIO()
            office_file.decrypt(plain)
    except Exception:
        raise ExchangeRefused(f"“{path.name}”的密码不正确，或文件不是加密的 Excel 工作簿。") from None
    fd, name = tempfile.mkstemp(suffix=".xlsx")
    with os.fdopen(fd, "wb") as out:
        out.write(plain.getvalue())
    return Path(name)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_info(rows: list[tuple]) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    info: dict[str, str] = {}
    listed: dict[str, tuple[int, str]] = {}
    in_table = False
    for row in rows[1:]:
        cells = [_text(v) for v in row] + ["", "", ""]
        if tuple(cells[:3]) == SHEET_TABLE_HEADER:
            in_table = True
        elif in_table and cells[0]:
            count = cells[1]
            listed[cells[0]] = (int(count) if count.isdigit() else -1, cells[2].lower())
        elif not in_table and cells[0]:
            info[cells[0]] = cells[1]
    return info, listed


def _check_info(name: str, info: dict[str, str]) -> None:
    if info.get("格式") != FORMAT_NAME:
        raise ExchangeRefused(f"“{name}”的说明页不是{FORMAT_NAME}的说明页，不能作为年度上报文件导入。")
    version = info.get("格式版本", "")
    if version != str(LAYOUT_VERSION):
        raise ExchangeRefused(
            f"“{name}”是格式版本 {version or '（未写明）'} 的上报文件，本程序只读取格式版本 {LAYOUT_VERSION}；"
            "请报送单位用当前版本的职帮重新导出。")
    missing = [k for k in INFO_KEYS if not info.get(k) and k not in ("所在地区",)]
    if missing:
        raise ExchangeRefused(f"“{name}”的说明页缺少：{'、'.join(missing)}。")
    if not info["年度"].isdigit():
        raise ExchangeRefused(f"“{name}”的说明页中年度“{info['年度']}”不是年份。")


def _read_sheet(name: str, wb, layout, listed: dict[str, tuple[int, str]]) -> list[tuple]:
    if layout.title not in listed:
        raise ExchangeRefused(f"“{name}”的说明页没有列出工作表“{layout.title}”。")
    try:
        sheet = wb.sheet(layout.title)
    except Exception:
        raise ExchangeRefused(f"“{name}”缺少工作表“{layout.title}”（文件不完整）。") from None
    hasher = SheetHasher()
    rows: list[tuple] = []
    header_seen = False
    for raw in sheet.rows():
        if not header_seen:
            header = tuple(_text(v) for v in raw)[:len(layout.columns)]
            if header != layout.columns:
                raise ExchangeRefused(f"“{name}”的工作表“{layout.title}”表头与格式不符（列被改动过）。")
            hasher.add(raw)
            header_seen = True
            continue
        if all(v is None or v == "" for v in raw):
            continue
        hasher.add(raw)
        row = tuple(raw[:len(layout.columns)]) + (None,) * (len(layout.columns) - len(raw))
        rows.append(row)
    count, digest = listed[layout.title]
    if len(rows) != count:
        raise ExchangeRefused(
            f"“{name}”的工作表“{layout.title}”应有 {count} 行数据，实有 {len(rows)} 行：文件不完整或被删改过。")
    if hasher.hexdigest() != digest:
        raise ExchangeRefused(
            f"“{name}”的工作表“{layout.title}”的内容与说明页记录的校验值（SHA-256）不符：文件导出后被改动过。"
            "请向报送单位索取原文件。")
    return rows


def read_exchange_workbook(path, password: str | None = None) -> ExchangeFile:
    """Read ``path`` whole and check it; raise :class:`ExchangeRefused` with the reason."""
    path = Path(path)
    if not path.is_file():
        raise ExchangeRefused(f"找不到文件：{path}")
    digest = _file_sha256(path)
    plain = _decrypted_copy(path, password)
    try:
        try:
            wb = open_workbook(plain or path)
        except WorkbookError as exc:
            raise ExchangeRefused(f"“{path.name}”无法读取（文件不完整或已损坏）：{exc}") from None
        with wb:
            names = [s.name for s in wb.sheets]
            if not names or names[0] != INFO_SHEET:
                raise ExchangeRefused(f"“{path.name}”的第一个工作表不是“{INFO_SHEET}”，不是年度上报文件。")
            info, listed = _read_info(list(wb.sheet(INFO_SHEET).rows()))
            _check_info(path.name, info)
            sheets = {layout.key: _read_sheet(path.name, wb, layout, listed) for layout in DATA_SHEETS}
    finally:
        if plain is not None:
            plain.unlink(missing_ok=True)
    return ExchangeFile(
        name=path.name, sha256=digest, office=info["单位名称"], union_code=info["单位代码"],
        region=info.get("所在地区", ""), year=int(info["年度"]), exported_at=info["导出时间"],
        exported_by=info["导出人"], counts={k: len(v) for k, v in sheets.items()}, sheets=sheets)
