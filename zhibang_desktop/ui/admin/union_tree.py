"""The union tree of the office, editable: add a child union, rename, deactivate/activate."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.admin import org
from ...services.errors import ServiceError
from ..common import messages
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel
from ..common.widgets.union_combo import ordered_tree

CHILD_LEVEL = {"district": ("street", "grassroots"), "street": ("grassroots",), "grassroots": ()}


class UnitNameDialog(QDialog):
    """The name of a union to add or rename. 保存 runs `save(name)`; a refusal (a name taken, or
    someone else changed the union since the tree was read) is shown here, the name typed kept."""

    def __init__(self, title: str, prompt: str, name: str, save, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.save = save
        self.saved = None
        self.name = QLineEdit(name)
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(QLabel(prompt))
        form.addRow("名称：", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "保存"))

    def accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.show_error("请填写工会名称")
            return
        try:
            self.saved = self.save(name)
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()


class UnionTreeEditor(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["工会名称", "层级", "状态"])
        self.tree.setColumnWidth(0, 380)
        self.tree.setColumnWidth(1, 120)
        self.add_street = QPushButton("添加镇街/系统工会")
        self.add_grassroots = QPushButton("添加基层工会")
        self.rename = QPushButton("改名")
        self.toggle = QPushButton("停用")
        bar = QHBoxLayout()
        for b in (self.add_street, self.add_grassroots, self.rename, self.toggle):
            bar.addWidget(b)
        bar.addStretch(1)
        note = QLabel("档案归属基层工会或镇街/系统工会；基层工会可直接挂在区总工会下（如区直机关工会）。"
                      "还有未退档档案的工会不能停用。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        self.add_street.clicked.connect(lambda: self.add_child("street"))
        self.add_grassroots.clicked.connect(lambda: self.add_child("grassroots"))
        self.rename.clicked.connect(self.rename_selected)
        self.toggle.clicked.connect(self.toggle_selected)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.selected_id()
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for unit, _depth in ordered_tree(org.list_units(self.ctx)):
            parent = items.get(unit.parent_id)
            item = QTreeWidgetItem([unit.name, org.LEVELS[unit.level], "启用" if unit.active else "已停用"])
            item.setData(0, Qt.UserRole, unit)
            if not unit.active:
                for col in range(3):
                    item.setForeground(col, QBrush(QColor("#888")))
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[unit.id] = item
        self.tree.expandAll()
        current = items.get(select_id) or (self.tree.topLevelItem(0) if self.tree.topLevelItemCount() else None)
        if current is not None:
            self.tree.setCurrentItem(current)
        self._update_buttons()

    def selected(self):
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def selected_id(self) -> int | None:
        unit = self.selected()
        return unit.id if unit else None

    def _update_buttons(self) -> None:
        unit = self.selected()
        allowed = CHILD_LEVEL.get(unit.level, ()) if unit else ()
        self.add_street.setEnabled("street" in allowed)
        self.add_grassroots.setEnabled("grassroots" in allowed)
        self.rename.setEnabled(unit is not None)
        self.toggle.setEnabled(unit is not None and unit.level != "district")
        self.toggle.setText("启用" if unit is not None and not unit.active else "停用")

    def add_child(self, level: str) -> None:
        parent = self.selected()
        if parent is None:
            return
        what = org.LEVELS[level]
        self._named(f"添加{what}", f"在“{parent.name}”下添加{what}", "",
                    lambda name: org.add_unit(self.ctx, name, level, parent.id))

    def rename_selected(self) -> None:
        unit = self.selected()
        if unit is None:
            return
        self._named("工会改名", f"“{unit.name}”的新名称", unit.name,
                    lambda name: unit if name == unit.name else org.update_unit(self.ctx, unit.id, name=name,
                                                                                 version=unit.version))

    def _named(self, title: str, prompt: str, name: str, save) -> None:
        dialog = UnitNameDialog(title, prompt, name, save, self)
        if dialog.exec() == QDialog.Accepted and dialog.saved is not None:
            self.reload(dialog.saved.id)
            self.changed.emit()

    def toggle_selected(self) -> None:
        unit = self.selected()
        if unit is None:
            return
        if unit.active and not messages.ask(self, "停用工会", f"确定停用“{unit.name}”吗？停用后不能再选为档案的所属工会。"):
            return
        self._apply(lambda: org.update_unit(self.ctx, unit.id, active=not unit.active, version=unit.version), "无法停用")

    def _apply(self, call, title: str) -> None:
        try:
            view = call()
        except ServiceError as exc:
            messages.show_service_error(self, exc, title)
            return
        self.reload(view.id)
        self.changed.emit()
