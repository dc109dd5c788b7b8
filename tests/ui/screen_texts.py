"""Every text a user can read in a widget tree: labels, buttons, tooltips, fields, combo items,
tabs, group titles, menus, window titles, table headers and cells (display and tooltip)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

MAX_ROWS = 60  # per table: enough to meet every kind of row of the demo year


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # list models keep columnCount private: one column
        return 1


def _model_texts(view: QAbstractItemView) -> list[tuple[str, str]]:
    model = view.model()
    if model is None:
        return []
    out = []
    header_name = {}
    for col in range(_columns(model, QModelIndex())):
        name = str(model.headerData(col, Qt.Horizontal, Qt.DisplayRole) or "")
        header_name[col] = name
        out.append(("表头", name))
        tip = model.headerData(col, Qt.Horizontal, Qt.ToolTipRole)
        if tip:
            out.append(("表头提示", str(tip)))

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(min(model.rowCount(parent), MAX_ROWS)):
            for col in range(_columns(model, parent)):
                index = model.index(row, col, parent)
                for role in (Qt.DisplayRole, Qt.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str) and value:
                        out.append((f"列“{header_name.get(col, col)}”", value))
                if col == 0 and depth < 4 and model.rowCount(index) > 0:
                    walk(index, depth + 1)

    walk(QModelIndex(), 0)
    return out


def _raw(widget: QWidget, root: QWidget) -> bool:
    """Marked `rawText`, or inside a widget that is (a table's header and viewport are)."""
    while widget is not None:
        if widget.property("rawText"):
            return True
        if widget is root:
            return False
        widget = widget.parentWidget()
    return False


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text) pairs for everything visible in `root` (and `root` itself)."""
    out: list[tuple[str, str]] = []
    if root.windowTitle():
        out.append(("窗口标题", root.windowTitle()))
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w is not root and not w.isVisibleTo(root) and not isinstance(w, QMenu):
            continue
        if _raw(w, root):  # an editor of a file's raw text (the policy JSON), third-party names
            continue
        if w.toolTip():
            out.append(("提示", _plain(w.toolTip())))
        if isinstance(w, QLabel):
            out.append(("标签", _plain(w.text())))
        elif isinstance(w, QAbstractButton):
            out.append(("按钮", w.text()))
        elif isinstance(w, QLineEdit):
            out.append(("输入框", w.text()))
            out.append(("输入提示", w.placeholderText()))
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out.append(("文本", w.toPlainText()))
            out.append(("输入提示", w.placeholderText()))
        elif isinstance(w, QComboBox):
            out.extend(("选项", w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QGroupBox):
            out.append(("分组", w.title()))
        elif isinstance(w, QTabBar):
            out.extend(("标签页", w.tabText(i)) for i in range(w.count()))
            out.extend(("标签页提示", w.tabToolTip(i)) for i in range(w.count()))
        elif isinstance(w, QMenu):
            out.append(("菜单", w.title()))
        if isinstance(w, QAbstractItemView):
            out.extend(_model_texts(w))
        for action in w.actions():
            out.append(("菜单项", action.text()))
            if action.toolTip() != action.text().replace("&", ""):
                out.append(("菜单项提示", action.toolTip()))
            out.append(("状态提示", action.statusTip()))
    return [(what, text) for what, text in out if text and text.strip()]
