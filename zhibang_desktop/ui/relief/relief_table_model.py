"""Relief requests as a lazily loaded table (the 救助申请 list and the 待我审核 queue).

``load(fetch)`` with ``fetch(offset, limit) -> RequestPage`` shows the first 200 rows and
the next ones as the user scrolls, off the GUI thread (see lazy_rows_model.py), like the
archive list.  The queue, which the service returns whole, passes a fetch that returns
everything at once.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain import clock
from ...services.relief.types import RequestSummary
from ..common import labels
from .relief_common import (
    ERROR_COLOR,
    STATUS_COLORS,
    WARNING_COLOR,
    due_text,
    period_text,
    type_text,
)
from ..common.executor import Executor
from ..common.lazy_rows_model import LazyRowsModel

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter
LEFT = Qt.AlignLeft | Qt.AlignVCenter


def _name(r: RequestSummary) -> str:
    return r.name if r.archived else f"{r.name}（未建档）"


def _pending(r: RequestSummary) -> str:
    if not r.current_level_name:
        return ""
    if r.due_date is None:
        return r.current_level_name
    if r.due_date < clock.today():
        days = (clock.today() - r.due_date).days
        return f"{r.current_level_name}（{r.due_date.isoformat()}，超期 {days} 天）"
    return f"{r.current_level_name}（{r.due_date.isoformat()} 前）"


def _late(r: RequestSummary) -> bool:
    """The pending level is past its due date (``overdue`` also counts a level decided late)."""
    return r.due_date is not None and r.due_date < clock.today()


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    text: Callable[[RequestSummary], str]
    align: Qt.AlignmentFlag = LEFT
    width: int = 100  # 0: takes the remaining width
    keep_end: bool = False  # a cut text loses its beginning, not its middle (the end says the most)


LIST_COLUMNS: tuple[Column, ...] = (
    Column("number", "申请编号", lambda r: r.number, width=118),
    Column("name", "姓名", _name, width=96),
    Column("unit", "所属工会", lambda r: r.unit_name, width=0),
    Column("type", "救助类型", lambda r: type_text(r.relief_type_name, r.subcase_name), width=140),
    Column("period", "期间", lambda r: period_text(r.year, r.quarter), width=106),
    Column("requested", "申请金额(元)", lambda r: labels.yuan(r.requested_amount_fen), RIGHT, 88),
    Column("approved", "核定金额(元)", lambda r: labels.yuan(r.approved_amount_fen), RIGHT, 88),
    Column("status", "状态", lambda r: r.status_label, CENTER, 60),
    # “镇（街）或区直局（系统）工会（2026-10-19，超期 45 天）”: the due date and the days overdue stay
    Column("pending", "当前审核（到期日）", _pending, width=250, keep_end=True),
    Column("created", "录入日期", lambda r: labels.moment(r.created_at)[:10], width=90),
)

QUEUE_COLUMNS: tuple[Column, ...] = (
    Column("number", "申请编号", lambda r: r.number, width=118),
    Column("name", "姓名", _name, width=96),
    Column("unit", "所属工会", lambda r: r.unit_name, width=0),
    Column("type", "救助类型", lambda r: type_text(r.relief_type_name, r.subcase_name), width=150),
    Column("period", "期间", lambda r: period_text(r.year, r.quarter), width=116),
    Column("requested", "申请金额(元)", lambda r: labels.yuan(r.requested_amount_fen), RIGHT, 92),
    Column("level", "审核级别", lambda r: r.current_level_name, width=150),
    Column("received", "收到时间", lambda r: labels.moment(r.received_at), width=120),
    Column("due", "到期日", lambda r: due_text(r.due_date, _late(r)) + (" ⚠" if r.due_warning else ""), width=180),
)

class ReliefTableModel(LazyRowsModel):
    """Rows come from `load(fetch)`, off the GUI thread (see lazy_rows_model.py)."""

    def __init__(self, executor: Executor, columns: tuple[Column, ...] = LIST_COLUMNS, parent=None):
        super().__init__(executor, parent)
        self.columns = columns

    def request_at(self, index: QModelIndex) -> RequestSummary | None:
        return self.row_at(index.row()) if index.isValid() else None

    # -- QAbstractTableModel --
    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(self.columns) and role == Qt.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        row = self.request_at(index)
        if row is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ForegroundRole:
            if column.key in ("pending", "due") and row.overdue and _late(row):
                return QBrush(QColor(ERROR_COLOR))
            if column.key == "number" and row.overdue:
                return QBrush(QColor(ERROR_COLOR))
            if column.key in ("pending", "due") and row.due_warning:
                return QBrush(QColor(WARNING_COLOR))
            if column.key == "name" and not row.archived:
                return QBrush(QColor(WARNING_COLOR))
            if column.key == "status" and row.status in STATUS_COLORS:
                return QBrush(STATUS_COLORS[row.status])
        if role == Qt.ToolTipRole:
            if column.key == "name":
                return f"身份证号：{row.id_number}" + ("" if row.archived else "\n该职工未建立困难职工档案")
            tips = [column.text(row)]  # the full text of a cut-off cell
            if column.key in ("pending", "due", "number") and row.overdue:
                tips.append("当前审核级已超过规定的工作日期限" if _late(row) else "有一级审核超过了规定的工作日期限")
            if column.key in ("pending", "due", "level") and row.due_warning:
                tips.append(row.due_warning)
            return "\n".join(t for t in tips if t) or None
        if role == Qt.UserRole:
            return row.id
        return None
