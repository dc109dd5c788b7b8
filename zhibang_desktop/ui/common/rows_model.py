"""A small table model over a list of service dataclasses, with its columns declared as `Col`s.

For short lists that the services return in one call (a notice or a batch holds tens to a few
hundred people); long lists use `lazy_rows_model`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")

LEFT = Qt.AlignLeft | Qt.AlignVCenter
RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter

@dataclass(frozen=True)
class Col(Generic[T]):
    header: str
    text: Callable[[Any], str]
    align: Qt.AlignmentFlag = LEFT
    width: int = 100  # px at the app's 10 pt font; the `stretch` column takes what is left
    stretch: bool = False
    tip: Callable[[Any], str | None] | None = None


class RowsModel(QAbstractTableModel):
    """Rows of one dataclass type; `key(row)` identifies a row across reloads (default `row.id`)."""

    def __init__(self, columns: Sequence[Col], parent=None, *,
                 foreground: Callable[[Any, int], QColor | None] | None = None,
                 background: Callable[[Any], QColor | None] | None = None,
                 key: Callable[[Any], Any] = lambda r: r.id):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list = []
        self._foreground = foreground
        self._background = background
        self._key = key

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def key_of(self, row: int):
        item = self.row_at(row)
        return None if item is None else self._key(item)

    def row_of(self, key) -> int:
        return next((i for i, r in enumerate(self._rows) if self._key(r) == key), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(item)
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ToolTipRole:
            return column.tip(item) if column.tip else None
        if role == Qt.ForegroundRole and self._foreground is not None:
            color = self._foreground(item, index.column())
            return QBrush(color) if color is not None else None
        if role == Qt.BackgroundRole and self._background is not None:
            color = self._background(item)
            return QBrush(color) if color is not None else None
        if role == Qt.UserRole:
            return self._key(item)
        return None
