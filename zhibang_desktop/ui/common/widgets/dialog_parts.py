"""The pieces every small form dialog has: a red error line and 确定/取消 buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit

from ....services.errors import ValidationFailed

ERROR_STYLE = "color: #c62828;"


class ErrorLine(QLabel):
    """Hidden until there is something to say; takes a text or the problems of a ValidationFailed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.hide()

    def show_error(self, exc_or_text) -> None:
        if isinstance(exc_or_text, ValidationFailed):
            text = "\n".join(str(p) for p in exc_or_text.problems)
        else:
            text = str(exc_or_text or "")
        self.setText(text)
        self.setVisible(bool(text))
        if text:
            make_room(self)


def make_room(shown) -> None:
    """Grow the window a line was just shown in by what that line needs, so that it does not
    squeeze the fields above it (a layout gives a window the height it asks for only when the
    window is first shown). A window kept smaller than its layout asks on purpose (a form in a
    scroll area) is left as it is, and none grows past the screen."""
    window = shown.window()
    layout = window.layout()
    if layout is None or not window.isVisible() or window.isMaximized():
        return
    needed = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    line = shown.heightForWidth(shown.width()) if shown.hasHeightForWidth() else shown.sizeHint().height()
    shortfall = needed - window.height()
    if not 0 < shortfall <= line + 2 * max(layout.spacing(), 0):
        return
    screen = window.screen()
    room = screen.availableGeometry().height() if screen is not None else needed
    window.resize(window.width(), min(needed, room))


def password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    return edit


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def confirmation_differs(first: QLineEdit, confirm: QLineEdit, error: ErrorLine, message: str) -> bool:
    """True (and the message shown, the confirmation cleared) when the two entries differ."""
    if first.text() == confirm.text():
        return False
    error.show_error(message)
    confirm.clear()
    confirm.setFocus()
    return True


def ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str = "取消") -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText(cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
