"""The audit trail as a lazily loaded table: 200 rows at a time from `services.audit.query_audit`.

Newest first; the view fetches more rows as the user scrolls (`canFetchMore`/`fetchMore`),
so a trail of a million rows costs one page plus the count.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ...services.admin.audit import AuditFilter, AuditPage, AuditRow

PAGE_SIZE = 200
HEADERS = ("序号", "时间", "用户", "操作", "对象", "对象编号", "摘要", "变更内容")
FAILED_COLOR = QColor("#c62828")
Query = Callable[[AuditFilter, int, int], AuditPage]  # (filters, offset, limit)


class AuditTableModel(QAbstractTableModel):
    loaded = Signal(int, int)  # rows loaded, total

    def __init__(self, query: Query, parent=None):
        super().__init__(parent)
        self._query = query
        self._rows: list[AuditRow] = []
        self._total = 0
        self.filters = AuditFilter()

    @property
    def total(self) -> int:
        return self._total

    def set_filters(self, filters: AuditFilter | None = None) -> None:
        """Run the query again from the newest row (errors propagate to the caller)."""
        if filters is not None:
            self.filters = filters
        page = self._query(self.filters, 0, PAGE_SIZE)
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self.endResetModel()
        self.loaded.emit(len(self._rows), self._total)

    def row_at(self, row: int) -> AuditRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- lazy loading --
    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or not self.canFetchMore():
            return
        page = self._query(self.filters, len(self._rows), PAGE_SIZE)
        if not page.rows:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self.endInsertRows()
        self.loaded.emit(len(self._rows), self._total)

    # -- the table --
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return (
                str(r.seq),
                r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                r.username,
                r.action_label,
                r.entity_label,
                r.entity_id or "",
                r.summary,
                r.changes_text,
            )[col]
        if role == Qt.ToolTipRole:
            lines = [r.summary] + [f"{f}：{o or '（空）'} → {n or '（空）'}" for f, o, n in r.changes]
            lines.append(f"哈希：{r.hash}")
            return "\n".join(x for x in lines if x)
        if role == Qt.ForegroundRole and r.action == "login_failed":
            return QBrush(FAILED_COLOR)
        if role == Qt.TextAlignmentRole and col == 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return r.seq
        return None
