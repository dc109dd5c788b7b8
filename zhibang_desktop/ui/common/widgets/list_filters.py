"""The filter combos list pages share: a status (or other code) list and recent years."""
from __future__ import annotations

from typing import Mapping

from PySide6.QtWidgets import QComboBox
from ....domain import clock


def code_combo(all_text: str, labels: Mapping[str, str]) -> QComboBox:
    """'全部…' (data None) followed by one entry per code."""
    combo = QComboBox()
    combo.addItem(all_text, None)
    for code, text in labels.items():
        combo.addItem(text, code)
    return combo


def year_combo(back: int = 5) -> QComboBox:
    """'全部年度', next year, this year and `back` years before it."""
    combo = QComboBox()
    combo.addItem("全部年度", None)
    this_year = clock.today().year
    for y in range(this_year + 1, this_year - back - 1, -1):
        combo.addItem(f"{y} 年", y)
    return combo
