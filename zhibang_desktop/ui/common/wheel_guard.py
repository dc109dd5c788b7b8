"""The mouse wheel scrolls the page, not the value under the pointer.

Qt gives a combo box, spin box or date edit the wheel even when it does not have the focus,
so a clerk scrolling a long form changed 所属工会 or 具体情形 without noticing. Installed once
on the application (make_app): such a widget takes the wheel only while it has the focus
(clicked or tabbed into); otherwise the wheel goes on to the scrolled page around it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)  # QDateEdit and QDoubleSpinBox are spin boxes


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            area = _scroll_area_around(watched)
            if area is None:
                event.ignore()  # nothing to scroll: the parents may use it
            else:
                viewport = area.viewport()
                at = QPointF(watched.mapTo(viewport, event.position().toPoint()))
                QApplication.sendEvent(viewport, QWheelEvent(
                    at, event.globalPosition(), event.pixelDelta(), event.angleDelta(), event.buttons(),
                    event.modifiers(), event.phase(), event.inverted(), event.source()))
            return True
        if kind == QEvent.Polish and isinstance(watched, GUARDED) and watched.focusPolicy() == Qt.WheelFocus:
            watched.setFocusPolicy(Qt.StrongFocus)  # the wheel alone does not focus it either
        return False


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on `app` once; returns it."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard


__all__ = ["WheelGuard", "install_wheel_guard"]
