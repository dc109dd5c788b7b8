"""Run a read-only service call off the GUI thread; deliver only the newest result.

Search-as-you-type at 100,000 households takes about a second per query on an office PC;
running it here keeps the window responsive, and a query overtaken by newer typing is
simply dropped when it finishes.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(int, object, object)  # generation, result, error


class LatestQuery(QObject):
    """`submit(work, on_result, on_error)`: `work()` runs on a pool thread; of all the
    submitted calls only the newest one's callbacks run, on the GUI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._callbacks: tuple[Callable[[Any], None], Callable[[Exception], None]] | None = None
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._callbacks is not None

    def submit(self, work: Callable[[], Any], on_result: Callable[[Any], None],
               on_error: Callable[[Exception], None]) -> None:
        self._generation += 1
        generation, relay = self._generation, self._relay
        self._callbacks = (on_result, on_error)

        def run() -> None:
            try:
                result, error = work(), None
            except Exception as exc:  # delivered to on_error on the GUI thread
                result, error = None, exc
            try:
                relay.done.emit(generation, result, error)
            except RuntimeError:  # the page was closed meanwhile
                pass

        QThreadPool.globalInstance().start(run)

    def cancel(self) -> None:
        """Forget whatever is running: its result will not be delivered."""
        self._generation += 1
        self._callbacks = None

    def _deliver(self, generation: int, result: Any, error: Exception | None) -> None:
        if generation != self._generation or self._callbacks is None:
            return
        on_result, on_error = self._callbacks
        self._callbacks = None
        if error is not None:
            on_error(error)
        else:
            on_result(result)
