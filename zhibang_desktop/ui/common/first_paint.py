"""Doing something once a window is on screen: at its first paint (the start's sign-in window,
the smoke run, the bench's start probe)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject


class _FirstPaint(QObject):
    def __init__(self, watched: QObject, then: Callable, widget_class: type | None) -> None:
        super().__init__(watched)
        self._watched, self._then, self._class = watched, then, widget_class
        watched.installEventFilter(self)

    def eventFilter(self, widget, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Paint and self._then is not None and (
                self._class is None or isinstance(widget, self._class)):
            then, self._then = self._then, None
            self._watched.removeEventFilter(self)
            then(widget)
        return False


def on_first_paint(watched: QObject, then: Callable, widget_class: type | None = None) -> None:
    """`then(widget)` once, when `watched` first paints — or, with `widget_class`, the first such
    widget among those `watched` (the application) sees paint."""
    _FirstPaint(watched, then, widget_class)
