"""用户管理 (admin): list, add, edit roles / scope, reviewer scopes, disable, reset password.

Construct with an `AppContext` or the main window's `UiSession`. Every action goes through
`services.users`, which checks the permission, refuses to disable the last administrator
and audits the change (passwords never reach the audit trail).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.permissions import OFFICE_WIDE, PERMISSIONS, ROLES
from ...services.admin import org, users
from ...services.context import AppContext
from ...services.errors import ServiceError
from ..common import messages
from ..login.first_admin_dialog import PASSWORD_RULE
from .users_model import UsersTableModel
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel, password_field
from ..common.widgets.union_combo import UnionCombo, ordered_tree
from ..common.executor import ChangeSummary
from ..common.page import Page

ROLE_HELP = {
    "admin": "用户、单位设置、救助政策、备份与恢复",
    "clerk": "档案、救助申请、公示、发放",
    "reviewer": "按所设工会和层级审核救助申请",
    "head": "最终审批、预算",
    "auditor": "只读查看与导出、审计日志",
}

# What a scope takes away, whatever the roles: the rights that act on the whole office
# (domain/permissions.OFFICE_WIDE), named as the permission table names them.
SCOPE_HELP = ("设了管辖范围的用户（如镇街工会经办人）只能查看和编辑该工会及其下级工会的档案；"
              + "、".join(label for code, label in PERMISSIONS.items() if code in OFFICE_WIDE)
              + "对全单位生效，即使勾选了管理员，也只有不限管辖范围的用户能做。")


class _Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = ErrorLine()
        self.buttons = ok_cancel(self, "保存")

    def show_error(self, exc_or_text) -> None:
        self.error.show_error(exc_or_text)


class UserEditDialog(_Dialog):
    """Add a user (`user=None`) or edit one's name, roles and scope."""

    def __init__(self, ctx: AppContext, user: users.UserView | None = None, parent: QWidget | None = None):
        super().__init__("新增用户" if user is None else f"修改用户：{user.username}", parent)
        self.ctx = ctx
        self.user = user
        self.result_user: users.UserView | None = None
        self.setMinimumWidth(480)
        self.username = QLineEdit(user.username if user else "")
        self.username.setPlaceholderText("登录用，如 lina")
        self.username.setReadOnly(user is not None)
        self.display_name = QLineEdit(user.display_name if user else "")
        self.display_name.setPlaceholderText("如：李娜")
        self.password = password_field()
        self.confirm = password_field()
        self.roles: dict[str, QCheckBox] = {}
        roles_box = QVBoxLayout()
        for code, label in ROLES.items():
            box = QCheckBox(f"{label}（{ROLE_HELP[code]}）")
            box.setChecked(bool(user and code in user.roles))
            self.roles[code] = box
            roles_box.addWidget(box)
        # an administrator bound to a union gives scopes within its subtree only (the service's rule)
        mine = ctx.actor.scope_unit_id
        self.scope = UnionCombo(ctx, all_label="全单位（不限制）" if mine is None else None)
        self.scope.set_unit_id(user.scope_unit_id if user else mine, emit=False)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        if user is None:
            form.addRow("密码：", self.password)
            form.addRow("再次输入密码：", self.confirm)
            rule = QLabel(PASSWORD_RULE.split("请牢记")[0])
            rule.setStyleSheet("color: #555;")
            form.addRow("", rule)
        form.addRow("角色：", roles_box)
        form.addRow("管辖范围：", self.scope)
        scope_help = QLabel(SCOPE_HELP)
        scope_help.setWordWrap(True)
        scope_help.setStyleSheet("color: #555;")
        form.addRow("", scope_help)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def chosen_roles(self) -> list[str]:
        return [code for code, box in self.roles.items() if box.isChecked()]

    def accept(self) -> None:
        try:
            if self.user is None:
                if self.password.text() != self.confirm.text():
                    self.show_error("两次输入的密码不一致")
                    return
                self.result_user = users.add_user(self.ctx, self.username.text(), self.display_name.text(),
                                                  self.password.text(), self.chosen_roles(), self.scope.unit_id())
            else:
                self.result_user = users.update_user(self.ctx, self.user.id, roles=self.chosen_roles(),
                                                     display_name=self.display_name.text(),
                                                     scope_unit_id=self.scope.unit_id(), version=self.user.version)
        except ServiceError as exc:
            self.show_error(exc)
            return
        super().accept()


class ResetPasswordDialog(_Dialog):
    def __init__(self, ctx: AppContext, user: users.UserView, parent: QWidget | None = None):
        super().__init__(f"重置密码：{user.username}", parent)
        self.ctx, self.user = ctx, user
        self.setMinimumWidth(400)
        self.password = password_field()
        self.confirm = password_field()
        form = QFormLayout()
        form.addRow("新密码：", self.password)
        form.addRow("再次输入：", self.confirm)
        note = QLabel("重置后请把新密码当面告诉该用户，并请其登录后自行修改。锁定也将一并解除。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if self.password.text() != self.confirm.text():
            self.show_error("两次输入的密码不一致")
            return
        try:
            users.reset_password(self.ctx, self.user.id, self.password.text(), version=self.user.version)
        except ServiceError as exc:
            self.show_error(exc)
            return
        super().accept()


class ReviewerScopesDialog(_Dialog):
    """The (union, review level) pairs a reviewer or head decides for."""

    def __init__(self, ctx: AppContext, user: users.UserView, parent: QWidget | None = None):
        super().__init__(f"审核范围：{user.display_name}（{user.username}）", parent)
        self.ctx, self.user = ctx, user
        self.setMinimumSize(520, 320)
        units = org.list_units(ctx)
        if ctx.actor.scope_unit_id is not None:
            units = org.subtree(units, ctx.actor.scope_unit_id)
        self.units = [(u, depth) for u, depth in ordered_tree(units) if u.active]
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["工会", "审核层级"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.verticalHeader().hide()
        self.add_button = QPushButton("添加一行")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton("删除所选行")
        self.remove_button.clicked.connect(self.remove_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        note = QLabel("审核人在所选工会（含下级工会）的救助申请到达所选层级时可以审核。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for scope in users.reviewer_scopes(ctx, user.id):
            self.add_row(scope.unit_id, scope.level)

    def add_row(self, unit_id: int | None = None, level: str | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        unit_box = QComboBox()
        for u, depth in self.units:
            unit_box.addItem("　" * depth + u.name, u.id)
        level_box = QComboBox()
        for code, label in users.REVIEW_LEVELS.items():
            level_box.addItem(label, code)
        if unit_id is not None:
            unit_box.setCurrentIndex(max(0, unit_box.findData(unit_id)))
        if level is None and unit_box.currentIndex() >= 0:
            unit = self.units[unit_box.currentIndex()][0]
            level = unit.level
        level_box.setCurrentIndex(max(0, level_box.findData(level)))
        self.table.setCellWidget(row, 0, unit_box)
        self.table.setCellWidget(row, 1, level_box)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()} | {self.table.currentRow()}, reverse=True):
            if row >= 0:
                self.table.removeRow(row)

    def scopes(self) -> list[tuple[int, str]]:
        return [(self.table.cellWidget(r, 0).currentData(), self.table.cellWidget(r, 1).currentData())
                for r in range(self.table.rowCount())]

    def accept(self) -> None:
        try:
            users.set_reviewer_scopes(self.ctx, self.user.id, self.scopes(), version=self.user.version)
        except ServiceError as exc:
            self.show_error(exc)
            return
        super().accept()


class UsersPage(Page):
    """Signals: `users_changed()` after a change, once the list shows it; `statusText(str)`."""

    REFRESH_ON = ("users",)
    users_changed = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self._after_change: tuple[int | None, str] | None = None  # (user to select, status) after a change
        title = QLabel("用户管理")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        intro = QLabel("一人可兼任多个角色；审计日志记录每个用户的每次操作。停用的用户不能登录，其历史记录保留。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")

        self.add_button = QPushButton("新增用户…")
        self.edit_button = QPushButton("修改…")
        self.scopes_button = QPushButton("审核范围…")
        self.toggle_button = QPushButton("停用")
        self.reset_button = QPushButton("重置密码…")
        self.unlock_button = QPushButton("解除锁定")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.scopes_button.clicked.connect(self.edit_scopes)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        bar = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.scopes_button, self.toggle_button,
                  self.reset_button, self.unlock_button):
            bar.addWidget(b)
        bar.addStretch(1)

        self.model = UsersTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: self.edit_user())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.reload()

    # -- data (queried off the GUI thread) --
    def reload(self) -> None:
        current = self.selected_user()
        select_id = current.id if current else None
        if self._after_change is not None and self._after_change[0] is not None:
            select_id = self._after_change[0]
        ctx = self.ctx
        self.query(lambda: (users.list_users(ctx), {u.id: u.name for u in org.list_units(ctx)}),
                   lambda result: self._show(*result, select_id), self._failed)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            self.query_failed(exc)
            return
        messages.show_service_error(self, exc, "无法读取用户")
        self._show([], {}, None)

    def _show(self, rows, names, select_id: int | None) -> None:
        self.model.set_users(rows, names)
        row = self.model.row_of(select_id) if select_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()
        active = sum(1 for u in rows if u.active)
        self.set_status(f"用户 {len(rows)} 个，其中启用 {active} 个")
        if self._after_change is not None:
            _, status = self._after_change
            self._after_change = None
            if status:
                self.set_status(status)
            self.users_changed.emit()

    def selected_user(self) -> users.UserView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.user(rows[0].row()) if rows else None

    def select_username(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.user(row).username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        u = self.selected_user()
        for b in (self.edit_button, self.toggle_button, self.reset_button):
            b.setEnabled(u is not None)
        self.scopes_button.setEnabled(u is not None and bool({"reviewer", "head"} & set(u.roles)))
        self.unlock_button.setEnabled(u is not None and u.locked_until is not None)
        self.toggle_button.setText("启用" if u is not None and not u.active else "停用")

    def _changed(self, user_id: int | None = None, status: str = "") -> None:
        """A user was stored: say so to every page; this one reloads, selects and reports it."""
        self._after_change = (user_id, status)
        self.announce(ChangeSummary(users=True))

    # -- actions --
    def add_user(self) -> None:
        dialog = UserEditDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.Accepted and dialog.result_user:
            self._changed(dialog.result_user.id, f"已新增用户：{dialog.result_user.username}")

    def edit_user(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        dialog = UserEditDialog(self.ctx, u, self)
        if dialog.exec() == QDialog.Accepted:
            self._changed(u.id, f"已修改用户：{u.username}")

    def edit_scopes(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        dialog = ReviewerScopesDialog(self.ctx, u, self)
        if dialog.exec() == QDialog.Accepted:
            self._changed(u.id, f"已设置审核范围：{u.username}")

    def toggle_active(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        if u.active:
            if not messages.ask(self, "停用用户", f"停用“{u.display_name}（{u.username}）”？停用后不能登录，历史记录保留。",
                                yes="停用", no="取消"):
                return
            done = messages.guarded(self, users.disable_user, self.ctx, u.id, u.version, title="未停用")
        else:
            done = messages.guarded(self, users.enable_user, self.ctx, u.id, u.version, title="未启用")
        if done is not None:
            self._changed(u.id, f"已{'停用' if u.active else '启用'}用户：{u.username}")

    def reset_password(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        dialog = ResetPasswordDialog(self.ctx, u, self)
        if dialog.exec() == QDialog.Accepted:
            self._changed(u.id, f"已重置密码：{u.username}")
            messages.info(self, "重置密码", f"已为“{u.username}”设置新密码。")

    def unlock(self) -> None:
        u = self.selected_user()
        if u is not None and messages.guarded(self, users.unlock_user, self.ctx, u.id, u.version, title="未解除") is not None:
            self._changed(u.id, f"已解除锁定：{u.username}")
