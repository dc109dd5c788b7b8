"""Walk the main window as a user would: every page, every tab, every button on a page with the
first row of each list selected, and every dialog or window that opens on the way.

Dialogs are read and then cancelled (their exec() returns Rejected), questions are answered
"no" and file choosers cancelled, so the walk reads everything and changes nothing that
matters. `read(where, widget)` is called for each page, tab, dialog and window.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QTabWidget,
    QTableView,
    QWidget,
)

# Buttons that leave the window (restore replaces the database, logout ends the session).
SKIP_BUTTONS = ("恢复", "注销", "退出")

Reader = Callable[[str, QWidget], None]


def settle(ms: int = 400) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _read_with_tabs(where: str, widget: QWidget, read: Reader) -> None:
    read(where, widget)
    for tabs in widget.findChildren(QTabWidget):
        if not tabs.isVisibleTo(widget):
            continue
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            settle(150)
            read(f"{where}/{tabs.tabText(i)}", widget)


def cancel_everything(monkeypatch, read: Reader, where: list[str]) -> None:
    """Dialogs are read, then rejected; file and text choosers are cancelled."""

    def exec_and_read(dialog: QDialog) -> int:
        dialog.show()
        settle(200)
        _read_with_tabs(f"{where[0]}/对话框“{dialog.windowTitle()}”", dialog, read)
        dialog.hide()
        return QDialog.Rejected

    monkeypatch.setattr(QDialog, "exec", exec_and_read)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))


def walk(window, read: Reader, where: list[str]) -> None:
    """Every page of the navigation, its tabs, and what each of its buttons opens."""
    for row in range(window.nav.count()):
        label = window.nav.item(row).text()
        where[0] = label
        window.nav.setCurrentRow(row)
        settle(800)
        page = window.stack.currentWidget()
        _read_with_tabs(label, window, read)
        for view in page.findChildren(QAbstractItemView):
            if view.isVisible() and view.model() is not None and view.model().rowCount() > 0:
                if isinstance(view, QTableView):
                    view.selectRow(0)
                else:
                    view.setCurrentIndex(view.model().index(0, 0))
        settle(300)
        buttons = [b for b in page.findChildren(QAbstractButton)
                   if b.isVisible() and b.isEnabled() and b.text() and not b.text().startswith(SKIP_BUTTONS)]
        for button in buttons:
            where[0] = f"{label}：{button.text()}"
            button.click()
            settle(300)
            read(where[0], window)
            for top in QApplication.topLevelWidgets():
                if top is not window and top.isVisible() and top.windowTitle():
                    _read_with_tabs(f"{where[0]}/窗口“{top.windowTitle()}”", top, read)
                    if hasattr(top, "_baseline"):
                        top._baseline = None  # an editor: close without "discard changes?"
                    top.close()
            settle(100)
        where[0] = label
