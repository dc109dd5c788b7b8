"""Inline validation: a red frame on the field and the Chinese message right under it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...services.errors import FieldProblem
from .widgets.dialog_parts import ERROR_STYLE

INVALID_PROPERTY = "invalid"
# Applied once on the editor: widgets with invalid=true get a red frame.
EDITOR_STYLE = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QAbstractSpinBox[invalid="true"],
QPlainTextEdit[invalid="true"], QGroupBox[invalid="true"] { border: 1px solid #c62828; }
"""


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.hide()
    return label


def with_error(widget: QWidget, label: QLabel) -> QWidget:
    """The widget with its error label under it, as one form cell."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(widget)
    layout.addWidget(label)
    return box


def set_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property(INVALID_PROPERTY)) == invalid:
        return
    widget.setProperty(INVALID_PROPERTY, invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FieldErrors:
    """Field name → (widget, error label). `show()` marks the problems and clears the rest."""

    def __init__(self):
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, field: str, widget: QWidget, label: QLabel | None = None) -> QLabel:
        label = label or error_label()
        self._fields[field] = (widget, label)
        return label

    def fields(self) -> set[str]:
        return set(self._fields)

    def widget(self, field: str) -> QWidget | None:
        entry = self._fields.get(field)
        return entry[0] if entry else None

    def label(self, field: str) -> QLabel | None:
        entry = self._fields.get(field)
        return entry[1] if entry else None

    def show(self, problems: list[FieldProblem]) -> list[FieldProblem]:
        """Mark the problems of known fields; return those this registry does not know."""
        messages: dict[str, list[str]] = {}
        unknown = []
        for p in problems:
            if p.field in self._fields:
                messages.setdefault(p.field, []).append(p.message)
            else:
                unknown.append(p)
        for field, (widget, label) in self._fields.items():
            texts = messages.get(field)
            set_invalid(widget, bool(texts))
            label.setText("；".join(dict.fromkeys(texts)) if texts else "")
            label.setVisible(bool(texts))
        return unknown

    def first_invalid(self) -> QWidget | None:
        for widget, label in self._fields.values():
            if label.isVisibleTo(label.window()) and label.text():
                return widget
        return None


class EnterMovesFocus(QObject):
    """Enter in a one-line field, a check box or a radio button moves to the next field
    instead of closing the dialog (or stopping there: Enter does nothing on a check box)."""

    TYPES = (QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and event.modifiers() in (Qt.NoModifier, Qt.KeypadModifier)
                and isinstance(obj, self.TYPES)):
            if isinstance(obj, QComboBox) and obj.view().isVisible():
                return False
            obj.focusNextChild()
            return True
        return False

    def install(self, root: QWidget) -> None:
        for widget in root.findChildren(QWidget):
            if isinstance(widget, self.TYPES):
                widget.installEventFilter(self)
