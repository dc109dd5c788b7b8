"""Row-by-row error report for a rejected import, as .xlsx.

Columns: 工作表｜行号｜列｜原值｜问题.  Values come from untrusted files, so every
cell goes through :func:`.xlsx_safe.safe_cell` and the original value is
always written as text (an 18-digit number stays 18 digits).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..domain.idnumber import mask_numbers_in_text
from .clerk_values import ValueProblem, number_text
from .xlsx_safe import XlsxWriter

__all__ = ["Problem", "write_error_report", "ERROR_REPORT_HEADERS"]

ERROR_REPORT_HEADERS = ("工作表", "行号", "列", "原值", "问题")


@dataclass(frozen=True)
class Problem:
    """One problem found in an imported file.

    ``row`` is the Excel row number (1-based) or ``None`` for a problem with
    the whole sheet/file; ``column`` is the column's header text (or letter).
    """

    sheet: str
    row: int | None
    column: str | None
    value: Any
    reason: str

    def __post_init__(self) -> None:
        # the on-screen and saved report never echo a full ID or card number (issue 10)
        object.__setattr__(self, "reason", mask_numbers_in_text(self.reason))
        if isinstance(self.value, (str, int, float)) and not isinstance(self.value, bool):
            text = str(int(self.value)) if isinstance(self.value, float) and self.value.is_integer() else str(self.value)
            masked = mask_numbers_in_text(text)
            if masked != text:
                object.__setattr__(self, "value", masked)


def _value_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return number_text(value)
        except ValueProblem:
            return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_error_report(
    path: str | os.PathLike | BinaryIO,
    problems: Sequence[Problem],
    *,
    sheet_title: str = "导入问题",
) -> None:
    """Write ``problems`` (in the given order) to an .xlsx file, atomically."""
    writer = XlsxWriter()
    writer.add_sheet(
        sheet_title,
        list(ERROR_REPORT_HEADERS),
        [16, 8, 18, 30, 60],
        text_columns=[0, 2, 3, 4],
        landscape=True,
    )
    for p in problems:
        writer.append([p.sheet, p.row, p.column, _value_text(p.value), p.reason])
    writer.save(path)
