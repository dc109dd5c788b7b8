"""Column widths a clerk set stay as they were set, per list, across restarts (QSettings)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableView

PREFIX = "columns/"


def remember_columns(view: QTableView, key: str, by_user: Callable[[], bool] = lambda: True) -> bool:
    """Restore the header's saved layout under `key` and save it again whenever the user
    resizes a column (`by_user()` tells a program's own resizing apart); True when a saved
    layout was restored."""
    header = view.horizontalHeader()
    state = QSettings().value(PREFIX + key)
    restored = state is not None and header.restoreState(state)

    def save(*_args) -> None:
        if by_user():
            QSettings().setValue(PREFIX + key, header.saveState())

    header.sectionResized.connect(save)
    return bool(restored)
