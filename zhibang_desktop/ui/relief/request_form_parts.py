"""Pieces of the request form: check-box rows with long wrapped labels, choosing a combo item by
its data, reading a typed amount, and laying out a row of widgets."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ..common import labels


class ClickableLabel(QLabel):
    """A wrapped label that toggles its check box when clicked (long condition texts)."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


def checkbox_row(text: str, tooltip: str = "") -> tuple[QWidget, QCheckBox]:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    box = QCheckBox()
    label = ClickableLabel(text)
    label.setWordWrap(True)
    label.clicked.connect(box.toggle)
    if tooltip:
        label.setToolTip(tooltip)
    layout.addWidget(box, 0, Qt.AlignTop)
    layout.addWidget(label, 1)
    return row, box


def select(combo: QComboBox, code) -> None:
    """Choose the item of `combo` whose data is `code` (nothing changes when there is none)."""
    index = combo.findData(code)
    if index >= 0:
        combo.setCurrentIndex(index)


def parse_amount(edit: QLineEdit, *, required: bool) -> tuple[int | None, str]:
    """(fen, "") from a typed amount in yuan, or (None or 0, the reason it cannot be read)."""
    text = edit.text().strip().replace(",", "").replace("，", "").removesuffix("元")
    if not text:
        return (0 if required else None), ""
    try:
        return labels.parse_yuan(text), ""
    except labels.AmountError as exc:
        return (0 if required else None), str(exc)


def wrap(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box


def clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
