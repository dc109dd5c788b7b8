"""The users list (用户管理) as a table model."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain import clock
from ...services.admin.users import UserView, role_names

HEADERS = ("用户名", "姓名", "角色", "管辖范围", "状态")
INACTIVE_COLOR = QColor("#8a8a8a")
LOCKED_COLOR = QColor("#c62828")


def user_state(u: UserView) -> str:
    if not u.active:
        return "停用"
    if u.locked_until is not None and u.locked_until > clock.now():
        return f"已锁定（至 {u.locked_until.astimezone():%H:%M}）"
    return "启用"


class UsersTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[UserView] = []
        self._units: dict[int, str] = {}

    def set_users(self, rows: list[UserView], unit_names: dict[int, str]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._units = dict(unit_names)
        self.endResetModel()

    def user(self, row: int) -> UserView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, user_id: int) -> int:
        return next((i for i, u in enumerate(self._rows) if u.id == user_id), -1)

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
        u = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return u.username
            if col == 1:
                return u.display_name
            if col == 2:
                return role_names(u.roles)
            if col == 3:
                return "全单位" if u.scope_unit_id is None else self._units.get(u.scope_unit_id, f"（编号 {u.scope_unit_id}）")
            return user_state(u)
        if role == Qt.ForegroundRole:
            if not u.active:
                return QBrush(INACTIVE_COLOR)
            if col == 4 and user_state(u).startswith("已锁定"):
                return QBrush(LOCKED_COLOR)
        if role == Qt.UserRole:
            return u.id
        return None
