"""Waiting for the GUI's database work, which runs off the GUI thread (ui/common/executor.py),
and pressing the buttons a user presses (a test clicks them; it never calls the slot behind them)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QDialogButtonBox

from zhibang_desktop.ui.printing.print_preview import PdfPreviewDialog


def settle(qtbot, holder, timeout: int = 15000) -> None:
    """Wait until every query and write submitted through the executor has been delivered;
    `holder` is a UiSession, a page, or anything with a `session` (a window)."""
    executor = getattr(holder, "executor", None) or holder.session.executor
    qtbot.waitUntil(lambda: not executor.busy, timeout=timeout)


def click(qtbot, button: QAbstractButton) -> None:
    """Press `button` with the mouse, as the user does; a disabled button is a test failure."""
    assert button.isEnabled(), f"「{button.text()}」 is disabled"
    qtbot.mouseClick(button, Qt.LeftButton)


def choose(qtbot, combo, data) -> None:
    """Pick the entry holding `data` with the arrow keys, as a clerk does with the keyboard."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key_Down)
    assert combo.currentData() == data


def click_row(qtbot, view, row: int) -> None:
    """Click the first cell of `row` in a table view, as the user chooses a row."""
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())


def press_cancel_when_progress_shows() -> None:
    """Press 取消 on the progress dialog as soon as it shows (call before starting the work)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    def press() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if shown:
            shown[0].findChild(QPushButton).click()  # QProgressDialog.cancel() alone emits no canceled
        else:
            QTimer.singleShot(30, press)

    QTimer.singleShot(30, press)


def ok_button(dialog: QDialog) -> QAbstractButton:
    """The dialog's accepting button (OK, whatever its label says) in its button box."""
    for box in dialog.findChildren(QDialogButtonBox):
        button = box.button(QDialogButtonBox.Ok) or next(
            (b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.AcceptRole), None)
        if button is not None:
            return button
    raise AssertionError(f"{type(dialog).__name__} has no OK button")


def click_ok(qtbot, dialog: QDialog) -> None:
    """Press the dialog's OK button (建立批次, 登记, 保存 ...) and wait for the work it started."""
    click(qtbot, ok_button(dialog))
    if getattr(dialog, "session", None) is not None:
        settle(qtbot, dialog.session)


def _open_previews() -> set:
    return {w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()}


def click_for_preview(qtbot, button: QAbstractButton, timeout: int = 60000) -> PdfPreviewDialog:
    """Press a print button and return the print preview it opens (the PDF is built off the GUI thread)."""
    before = _open_previews()
    click(qtbot, button)
    qtbot.waitUntil(lambda: bool(_open_previews() - before), timeout=timeout)
    preview = next(iter(_open_previews() - before))
    qtbot.addWidget(preview)  # closed (and its temporary PDF removed) when the test ends
    return preview


def when_opened(monkeypatch, dialog_class, interact) -> list:
    """Each `dialog_class` the page opens modally is shown and handed to `interact(dialog)` — what the
    user does in it — instead of a nested event loop; `exec` returns the dialog's result. Returns the
    list of the dialogs opened, for the test to read afterwards."""
    opened = []

    def exec_(dialog):
        dialog.show()
        opened.append(dialog)
        interact(dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)
    return opened
