"""超预算说明: a batch would draw past a budget line's balance; the clerk writes why (the
reason is stored with each draw and printed on the batch's receipt list)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...services.funds import OverdrawNeedsReason
from ..common.widgets.dialog_parts import ErrorLine, ok_cancel


class OverdrawDialog(QDialog):
    def __init__(self, exc: OverdrawNeedsReason, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("超出预算")
        self.setMinimumWidth(520)
        facts = QLabel("\n".join(p.message for p in exc.problems))
        facts.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("如：第一季度申请集中，已报请年中调增预算")
        self.reason.setFixedHeight(80)
        self.error = ErrorLine()
        self.buttons = ok_cancel(self, "仍然建立批次")
        layout = QVBoxLayout(self)
        layout.addWidget(facts)
        layout.addWidget(QLabel("超预算的书面说明（将打印在签领表上）："))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.show_error("请填写超预算的书面说明")
            return
        super().accept()


def ask_overdraw_reason(parent: QWidget | None, exc: OverdrawNeedsReason) -> str | None:
    dialog = OverdrawDialog(exc, parent)
    return dialog.reason.toPlainText().strip() if dialog.exec() else None
