"""The audit trail as a lazily loaded table: 200 rows at a time from `services.audit.query_audit`,
off the GUI thread (see lazy_rows_model.py).

Newest first; a trail of a million rows costs one page plus the count.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...services.admin.audit import AuditFilter, AuditPage, AuditRow
from ..common.executor import Executor
from ..common.lazy_rows_model import PAGE_SIZE, LazyRowsModel  # noqa: F401  (PAGE_SIZE: the page size of this list)

HEADERS = ("序号", "时间", "用户", "操作", "对象", "对象编号", "摘要", "变更内容")
FAILED_COLOR = QColor("#c62828")
Query = Callable[[AuditFilter, int, int], AuditPage]  # (filters, offset, limit)


class AuditTableModel(LazyRowsModel):
    """`query(filters, offset, limit)` runs off the GUI thread; `filters` are those of the rows shown."""

    def __init__(self, query: Query, executor: Executor, parent=None):
        super().__init__(executor, parent)
        self._query = query
        self.filters = AuditFilter()

    @staticmethod
    def key(row: AuditRow) -> object:
        return row.seq

    def set_filters(self, filters: AuditFilter | None = None) -> None:
        """Run the query again from the newest row (errors: the `failed` signal)."""
        wanted = filters if filters is not None else self.filters
        query = self._query

        def shown() -> None:
            self.filters = wanted

        self.load(lambda offset, limit: query(wanted, offset, limit), on_shown=shown)

    # -- the table --
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
            lines = [r.summary, *r.change_lines]
            lines.append(f"哈希：{r.hash}")
            return "\n".join(x for x in lines if x)
        if role == Qt.ForegroundRole and r.action == "login_failed":
            return QBrush(FAILED_COLOR)
        if role == Qt.TextAlignmentRole and col == 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return r.seq
        return None
