"""Write the annual exchange workbook (layout: documents.exchange_layout), optionally with a
password (real ECMA-376 agile encryption through msoffcrypto-tool, the same that Excel and WPS
open with their 打开密码).

Every value is turned into what the sheet holds (text, integer or empty) before it is hashed
and written, so the hash in 说明 is the hash of what a reader gets back.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exchange_layout import (
    DATA_SHEETS, FORMAT_NAME, INFO_KEYS, INFO_SHEET, LAYOUT_VERSION, SHEET_TABLE_HEADER, SheetHasher, SheetLayout,
)
from .output import atomic_path
from .xlsx_safe import XlsxWriter, safe_cell

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class ExchangeInfo:
    office: str
    union_code: str
    region: str
    year: int
    exported_at: str  # local time, YYYY-MM-DD HH:MM:SS
    exported_by: str


def cell_value(value: Any) -> Any:
    """What the exchange workbook holds for ``value``: text, an integer or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = safe_cell(str(value))
    return text if text != "" else None


def _write_sheet(xw: XlsxWriter, layout: SheetLayout, rows: Iterable[Sequence[Any]],
                 progress: ProgressFn | None) -> tuple[int, str]:
    hasher = SheetHasher()
    hasher.add(layout.columns)
    xw.add_sheet(layout.title, layout.columns, text_columns=layout.text_columns, auto_filter=True)
    count = 0
    for row in rows:
        values = [cell_value(v) for v in row]
        if len(values) != len(layout.columns):
            raise ValueError(f"{layout.title}: {len(values)} values for {len(layout.columns)} columns")
        hasher.add(values)
        xw.append(values)
        count += 1
        if progress and count % 500 == 0:
            progress(500)
    if progress:
        progress(count % 500)
    return count, hasher.hexdigest()


def info_rows(info: ExchangeInfo, sheets: Sequence[tuple[SheetLayout, int, str]]) -> list[tuple]:
    values = (FORMAT_NAME, LAYOUT_VERSION, info.office, info.union_code, info.region, info.year,
              info.exported_at, info.exported_by)
    rows: list[tuple] = [tuple(cell_value(v) for v in pair) for pair in zip(INFO_KEYS, values)]
    rows.append(())
    rows.append(SHEET_TABLE_HEADER)
    rows.extend((layout.title, count, digest) for layout, count, digest in sheets)
    return rows


def write_exchange_workbook(path, info: ExchangeInfo, data: dict[str, Iterable[Sequence[Any]]],
                            password: str | None = None, progress: ProgressFn | None = None) -> dict[str, int]:
    """Write the workbook to ``path`` (atomically); ``data`` maps each sheet key to its rows.
    Returns the row count per sheet key."""
    xw = XlsxWriter()
    written: list[tuple[SheetLayout, int, str]] = []
    try:
        for layout in DATA_SHEETS:
            count, digest = _write_sheet(xw, layout, data[layout.key], progress)
            written.append((layout, count, digest))
        xw.add_sheet(INFO_SHEET, ("项目", "值"), (16, 70), auto_filter=False, freeze_header=False,
                     landscape=False)
        for row in info_rows(info, written):
            xw.append(row)
        xw.move_sheet_first(INFO_SHEET)
    except BaseException:
        xw.discard()
        raise
    if not password:
        xw.save(path)
    else:
        plain = io.BytesIO()
        xw.save(plain)
        _encrypt_to(plain, Path(path), password)
    return {layout.key: count for layout, count, _ in written}


def _encrypt_to(plain: io.BytesIO, path: Path, password: str) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain.seek(0)
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        OOXMLFile(plain).encrypt(password, out)
