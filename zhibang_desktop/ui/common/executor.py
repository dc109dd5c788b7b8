"""The one way the GUI does database work: off the GUI thread, with a summary of what changed.

As Anki's CollectionOp/OpChanges: an operation is a service call; the caller says what kind
of record it changes (a `ChangeSummary`); when it succeeds the executor announces the
summary on `changed`, and every page that shows such records refreshes itself::

    session.executor.run(lambda: relief.submit_request(ctx, rid), on_done, on_error,
                         changes=ChangeSummary(requests=True, request_id=rid))

- `run` — a call on the thread pool; `on_done(result)` / `on_error(exc)` on the GUI thread.
- `call` — the same call in the GUI thread, for a dialog's save the user waits for anyway;
  it raises as the service does and announces the change on success.
- `run_with_progress` — long work with a progress dialog and 取消 (see worker.py).
List queries that only need their newest result use `background_query.LatestQuery`,
which submits through an executor.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, fields, replace
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from . import worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChangeSummary:
    """Which kinds of record an operation changed (all False: a read)."""

    households: bool = False  # archive records, members, visits, attachments, lifecycle
    requests: bool = False  # relief requests and their reviews
    notices: bool = False  # notices, their entries and objections
    payouts: bool = False  # payout batches and their lines
    funds: bool = False  # budget lines, adjustments, allocations, carry-overs, fund sources
    users: bool = False
    settings: bool = False  # office settings, yearly standards, the union tree
    policies: bool = False
    holidays: bool = False
    casework: bool = False  # follow-ups, complaints, cross-check lists and their findings
    request_id: int | None = None  # the request to select afterwards, when there is one

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "request_id")

    def __or__(self, other: "ChangeSummary") -> "ChangeSummary":
        merged = {f.name: getattr(self, f.name) or getattr(other, f.name)
                  for f in fields(self) if f.name != "request_id"}
        return replace(self, **merged, request_id=other.request_id or self.request_id)


NO_CHANGES = ChangeSummary()
Changes = ChangeSummary | Callable[[Any], ChangeSummary]


def _summary(changes: Changes, result: Any) -> ChangeSummary:
    return changes(result) if callable(changes) else changes


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


class Executor(QObject):
    """One per logged-in session. Signal: `changed(ChangeSummary)` after a successful write."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._running: set[worker.BackgroundTask] = set()

    @property
    def busy(self) -> bool:
        """Something submitted with `run` has not delivered its result yet."""
        return bool(self._running)

    def run(self, op: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, *, changes: Changes = NO_CHANGES,
            owner: QObject | None = None) -> None:
        """Run `op()` on the thread pool. On the GUI thread afterwards: the change is announced,
        then `on_done(result)`, or `on_error(exc)`. Nothing is delivered to a deleted `owner`
        (a page or dialog closed meanwhile); the change is still announced."""
        task = worker.BackgroundTask(lambda progress, cancelled: op())
        self._running.add(task)

        def done(result: Any) -> None:
            self._running.discard(task)
            self.announce(_summary(changes, result))
            if on_done is not None and _alive(owner):
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._running.discard(task)
            if not _alive(owner):
                return
            if on_error is not None and isinstance(exc, Exception):
                on_error(exc)
            else:
                sys.excepthook(type(exc), exc, exc.__traceback__)

        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.start()

    def call(self, op: Callable[[], Any], *, changes: Changes = NO_CHANGES) -> Any:
        """`op()` in the GUI thread (a quick save the user waits for); announces the change."""
        result = op()
        self.announce(_summary(changes, result))
        return result

    def run_with_progress(self, parent: QWidget | None, title: str, label: str, job: worker.Job, *,
                          changes: Changes = NO_CHANGES, cancellable: bool = True) -> Any:
        """Long work behind a progress dialog with 取消 (worker.run_with_progress); announces
        the change when it completes."""
        result = worker.run_with_progress(parent, title, label, job, cancellable=cancellable)
        self.announce(_summary(changes, result))
        return result

    def announce(self, changes: ChangeSummary) -> None:
        """Tell the pages that records changed (also for changes made outside `run`/`call`)."""
        if changes:
            self.changed.emit(changes)
