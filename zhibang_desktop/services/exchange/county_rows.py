"""A county's exchange-file rows turned back into column values for the city's tables.

The file's hash already proved the rows are what the county wrote; this reads each cell as
the layout says it holds (text, integer fen, YYYY-MM-DD, 是/否, the Chinese labels of codes)
and names the sheet, row and column of any cell that is not, so a file from a program that
wrote the layout wrongly is refused whole.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ...documents.exchange_layout import SheetLayout
from ...domain.household import ASSISTANCE_STATUSES, CATEGORIES, SCHOOLING_STAGES, STATUSES

SEX_CODES = {"男": "M", "女": "F"}
ACCOUNT_KINDS = {"银行卡": "bank", "社保卡": "social_security"}
STATUS_CODES = {v: k for k, v in STATUSES.items()}
CATEGORY_CODES = {v: k for k, v in CATEGORIES.items()}
ASSISTANCE_CODES = {v: k for k, v in ASSISTANCE_STATUSES.items()}
SCHOOLING_CODES = {v: k for k, v in SCHOOLING_STAGES.items()}
MAX_LISTED = 20


class BadCells:
    """Collects what is wrong, cell by cell, over a whole file."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}：{message}")

    def text(self) -> str:
        shown = self.problems[:MAX_LISTED]
        more = len(self.problems) - len(shown)
        return "；".join(shown) + (f"；另有 {more} 处" if more > 0 else "")


class Row:
    """One data row of a sheet, read cell by cell; problems go to ``bad``."""

    def __init__(self, layout: SheetLayout, index: int, values: tuple[Any, ...], bad: BadCells):
        self.layout, self.index, self.bad = layout, index, bad
        self.values = dict(zip(layout.columns, values))

    def _where(self, column: str) -> str:
        return f"工作表“{self.layout.title}”第 {self.index + 2} 行“{column}”"

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.values.get(column)
        text = None if value is None else str(value).strip() or None
        if required and text is None:
            self.bad.add(self._where(column), "不能为空")
        return text

    def integer(self, column: str, required: bool = False) -> int | None:
        value = self.values.get(column)
        if value is None or value == "":
            if required:
                self.bad.add(self._where(column), "不能为空")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if text.lstrip("-").isdigit():
            return int(text)
        self.bad.add(self._where(column), f"“{text}”不是整数")
        return None

    def day(self, column: str, required: bool = False) -> date | None:
        text = self.text(column, required)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.bad.add(self._where(column), f"“{text}”不是 YYYY-MM-DD 格式的日期")
            return None

    def yes(self, column: str) -> bool:
        text = self.text(column)
        if text not in (None, "是", "否"):
            self.bad.add(self._where(column), f"应为“是”或“否”，不是“{text}”")
        return text == "是"

    def code(self, column: str, codes: dict[str, str], default: str | None = None) -> str | None:
        """A code written as its Chinese label (a code the labels do not know is kept as written)."""
        text = self.text(column)
        if text is None:
            return default
        return codes.get(text, text)


def rows_of(layout: SheetLayout, rows: list[tuple[Any, ...]], bad: BadCells) -> list[Row]:
    return [Row(layout, i, values, bad) for i, values in enumerate(rows)]
