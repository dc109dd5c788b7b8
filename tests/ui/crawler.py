"""Click everything: every enabled button, menu action and shortcut of a window, and of every
dialog and window those open, recursively (bounded by depth and time).

A modal dialog's exec() is replaced: the dialog is shown, explored, and exec() returns
Accepted only when one of the crawler's clicks accepted it (so the code after an accepted
dialog runs too). File dialogs are answered with a path in a temporary folder (save) or a
small junk file (open); input dialogs with their default value; message boxes are recorded
by tests/ui/conftest.py. Every exception that reaches sys.excepthook while a control is
being clicked is recorded with the path of clicks that led to it.
"""
from __future__ import annotations

import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction, QDesktopServices, QShortcut
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QApplication, QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QMenu,
    QMessageBox, QProgressDialog, QTabWidget, QWidget,
)

ACCEPTING = ("确定", "保存", "提交", "完成")
CLOSING = ("关闭", "取消", "退出", "注销")


@dataclass
class Failure:
    trail: str
    error: str

    def __str__(self) -> str:
        return f"{self.trail}\n{self.error}"


@dataclass
class Crawler:
    qtbot: object
    folder: Path
    max_depth: int = 3
    budget_s: float = 200.0
    skip: tuple[str, ...] = ()  # control texts not to click (they end the session under the crawler)
    executor: object = None  # the session's executor: its database work is waited for after each click
    failures: list[Failure] = field(default_factory=list)
    clicked: list[str] = field(default_factory=list)
    out_of_time: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._started = time.monotonic()
        self._trail: list[str] = []
        self._explored: set[str] = set()
        self._depth = 0
        self._exec_counts: dict[int, int] = {}
        self._files = 0

    # ------------------------------------------------------------------ set-up
    def install(self, monkeypatch) -> None:
        crawler = self
        for cls in (QDialog, QMessageBox, QFileDialog, QInputDialog, QPrintDialog, QPageSetupDialog,
                    QProgressDialog):
            monkeypatch.setattr(cls, "exec", lambda dialog, *a: crawler._exec(dialog))
        monkeypatch.setattr(QMenu, "exec", lambda menu, *a, **k: None)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._save_name))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(self._open_name))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(self._open_names))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._directory))
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(self._text))
        monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(self._text))
        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(self._item))
        monkeypatch.setattr(QInputDialog, "getInt", staticmethod(self._number))
        monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(self._number))
        monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda *a: True))

    # -------------------------------------------------------------- answers
    def _new_file(self, filter_text: str, content: bytes | None) -> str:
        self._files += 1
        match = re.search(r"\*(\.[\w.]+)", filter_text or "")
        path = self.folder / f"file{self._files}{match.group(1) if match else '.bin'}"
        if content is not None:
            path.write_bytes(content)
        return str(path)

    @staticmethod
    def _filter(args, kwargs) -> str:
        return kwargs.get("filter") or (args[3] if len(args) > 3 else "")

    def _save_name(self, *args, **kwargs):
        return self._new_file(self._filter(args, kwargs), None), ""

    def _open_name(self, *args, **kwargs):
        return self._new_file(self._filter(args, kwargs), b"not what it claims to be"), ""

    def _open_names(self, *args, **kwargs):
        return [self._new_file(self._filter(args, kwargs), b"an attachment")], ""

    def _directory(self, *args, **kwargs):
        path = self.folder / f"folder{self._files}"
        path.mkdir(exist_ok=True)
        return str(path)

    @staticmethod
    def _text(*args, **kwargs):
        return (kwargs.get("text") or "点遍测试"), True

    @staticmethod
    def _item(*args, **kwargs):
        items = kwargs.get("items", args[3] if len(args) > 3 else [])
        current = kwargs.get("current", args[4] if len(args) > 4 else 0)
        return (items[current] if items else ""), bool(items)

    @staticmethod
    def _number(*args, **kwargs):
        return kwargs.get("value", args[3] if len(args) > 3 else 0), True

    # ---------------------------------------------------------------- dialogs
    def _exec(self, dialog: QDialog) -> int:
        count = self._exec_counts.get(address(dialog), 0)
        self._exec_counts[address(dialog)] = count + 1
        ours = type(dialog).__module__.startswith("zhibang_desktop")
        if not ours or count > 0:  # a dialog shown again in a loop is cancelled the second time
            return QDialog.Rejected
        dialog.setResult(QDialog.Rejected)
        dialog.show()
        accepted = self.explore(dialog, f"对话框“{dialog.windowTitle()}”", until_accepted=True)
        dialog.hide()
        return QDialog.Accepted if accepted else QDialog.Rejected

    # --------------------------------------------------------------- exploring
    def time_left(self) -> bool:
        return time.monotonic() - self._started < self.budget_s

    def explore(self, root: QWidget, label: str, *, until_accepted: bool = False) -> bool:
        """Click every enabled control of `root`; True when a click accepted `root` (a dialog)."""
        key = f"{type(root).__name__}:{root.windowTitle() if root.isWindow() else label}"
        if self._depth >= self.max_depth or key in self._explored:
            return False
        self._explored.add(key)
        self._depth += 1
        self._trail.append(label)
        try:
            return self._explore(root, until_accepted) and until_accepted
        finally:
            self._trail.pop()
            self._depth -= 1

    def _explore(self, root: QWidget, until_accepted: bool) -> bool:
        """Controls that do something first (tab by tab), then actions and shortcuts, then the
        buttons that close the window: accepting ones before cancelling ones."""
        settle(self.executor)
        select_first_rows(root)
        closing: list[QAbstractButton] = []
        done: set[int] = set()
        for tabs in root.findChildren(QTabWidget):
            if tabs.window() is not root.window():
                continue
            for i in range(tabs.count()):
                if not alive(root) or not alive(tabs):
                    return False
                if tabs.isTabEnabled(i):
                    tabs.setCurrentIndex(i)  # as a click on the tab
                    select_first_rows(tabs.widget(i))
                    if self._click(buttons_of(tabs.widget(i), root), root, done, closing):
                        return True
        if not alive(root) or self._click(buttons_of(root, root), root, done, closing):
            return alive(root)
        for action in actions_of(root):
            if alive(root) and alive(action) and self._usable(action) and plain(action.text()) not in self.skip:
                self._run(f"动作“{plain(action.text())}”", action.trigger, root)
                if self._accepted(root):
                    return True
        for shortcut in root.findChildren(QShortcut) if alive(root) else ():
            if alive(root) and alive(shortcut) and shortcut.isEnabled():
                # what pressing the keys does: the shortcut's activated() signal
                self._run(f"快捷键 {shortcut.key().toString()}", shortcut.activated.emit, root)
                if self._accepted(root):
                    return True
        closing.sort(key=lambda b: closing_rank(b))
        return self._click(closing, root, done, None)

    def _click(self, buttons, root: QWidget, done: set[int], closing: list | None) -> bool:
        """Click each button once; those that close the window are put in `closing` for later."""
        for button in buttons:
            if not alive(root):
                return False
            if not alive(button) or address(button) in done:
                continue
            if closing is not None and closing_rank(button) is not None:
                closing.append(button)
                continue
            done.add(address(button))
            settle(self.executor)
            select_first_rows(root)
            if not (button.isEnabled() and button.isVisible()) or plain(button.text()) in self.skip:
                continue
            self._run(f"按钮“{plain(button.text()) or button.toolTip() or type(button).__name__}”", button.click,
                      root)
            if self._accepted(root):
                return True
            if alive(root) and isinstance(root, QDialog) and not root.isVisible():
                root.setResult(QDialog.Rejected)
                root.show()  # cancelled: open it again for the next control
        return False

    @staticmethod
    def _accepted(root: QWidget) -> bool:
        return alive(root) and isinstance(root, QDialog) and not root.isVisible() \
            and root.result() == QDialog.Accepted

    def _usable(self, action: QAction) -> bool:
        return action.isEnabled() and not action.isSeparator() and action.menu() is None and bool(action.text())

    def _run(self, what: str, fire, root: QWidget) -> None:
        if not self.time_left():
            self.out_of_time.append(" → ".join([*self._trail, what]))
            return
        before = {address(w) for w in visible_windows()}
        self.clicked.append(what)
        previous = sys.excepthook
        caught: list[str] = []
        sys.excepthook = lambda kind, value, tb: caught.append("".join(traceback.format_exception(kind, value, tb)))
        self._trail.append(what)
        try:
            try:
                fire()
            except Exception:  # noqa: BLE001 — an exception out of a signal emission is the same failure
                caught.append(traceback.format_exc())
            settle(self.executor)
            for window in visible_windows():
                if address(window) not in before and window is not root and alive(window):
                    self.explore(window, f"窗口“{window.windowTitle()}”")
                    if alive(window):
                        close_window(window)
            QApplication.processEvents()
        finally:
            sys.excepthook = previous
            trail = " → ".join(self._trail)
            self._trail.pop()
        self.failures.extend(Failure(trail, text) for text in caught)


def alive(obj) -> bool:
    return shiboken6.isValid(obj)


def address(obj) -> int:
    """The C++ object's address: Python wrappers (and their id()) can be short-lived."""
    return shiboken6.getCppPointer(obj)[0]


def plain(text: str) -> str:
    return text.replace("&", "")


def settle(executor=None) -> None:
    """Let background work (lists load off the GUI thread) finish and deliver its results."""
    deadline = time.monotonic() + 15
    while True:
        QThreadPool.globalInstance().waitForDone(10_000)
        QApplication.processEvents()
        if executor is None or not executor.busy or time.monotonic() > deadline:
            return


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, (QMenu,))
            and w.isWindow() and not isinstance(w, QProgressDialog)]


def close_window(window: QWidget) -> None:
    if hasattr(window, "_baseline"):
        window._baseline = None  # an editor: close without its "discard changes?" question
    window.close()


def select_first_rows(root: QWidget) -> None:
    """What a user does first on a list: click its first row (so row actions are enabled)."""
    for view in root.findChildren(QAbstractItemView):
        if view.window() is not root.window() or not view.isVisible() or view.model() is None:
            continue
        if view.objectName() == "navigation" or view.model().rowCount() == 0:
            continue
        if not view.selectionModel() or view.selectionModel().hasSelection():
            continue
        view.setCurrentIndex(view.model().index(0, 0))


def buttons_of(where: QWidget, root: QWidget) -> list[QAbstractButton]:
    return [b for b in where.findChildren(QAbstractButton) if b.window() is root.window()]


def actions_of(root: QWidget) -> list[QAction]:
    found: list[QAction] = []
    seen: set[int] = set()

    def add(action: QAction) -> None:
        if id(action) in seen:
            return
        seen.add(id(action))
        found.append(action)
        if action.menu() is not None:
            for sub in action.menu().actions():
                add(sub)

    for owner in [root, *root.findChildren(QWidget)]:
        if owner.window() is not root.window() and not isinstance(owner, QMenu):
            continue
        for action in owner.actions():
            add(action)
    for action in root.findChildren(QAction):
        add(action)
    return found


def closing_rank(button: QAbstractButton) -> int | None:
    """0 for a button that accepts its window (确定, 保存 …), 1 for one that cancels or closes it,
    None for the others."""
    box = button.parent()
    if isinstance(box, QDialogButtonBox):
        role = box.buttonRole(button)
        return 0 if role in (QDialogButtonBox.AcceptRole, QDialogButtonBox.YesRole) else 1
    text = plain(button.text())
    if text.startswith(ACCEPTING):
        return 0
    if text.startswith(CLOSING):
        return 1
    return None


__all__ = ["Crawler", "Failure"]
