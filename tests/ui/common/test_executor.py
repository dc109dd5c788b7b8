"""The executor: database work off the GUI thread, results on it, and the change summary."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.ui.common.executor import NO_CHANGES, ChangeSummary, Executor


def test_run_works_off_the_gui_thread_and_delivers_on_it(qtbot):
    executor = Executor()
    threads, got = [], []

    def op():
        threads.append(threading.current_thread())
        return 42

    executor.run(op, lambda result: got.append((result, threading.current_thread())))
    assert executor.busy
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert threads[0] is not threading.main_thread()
    assert got == [(42, threading.main_thread())] and not executor.busy


def test_a_successful_write_announces_its_changes_before_on_done(qtbot):
    executor = Executor()
    order = []
    executor.changed.connect(lambda changes: order.append(changes))
    with qtbot.waitSignal(executor.changed, timeout=3000):
        executor.run(lambda: 7, lambda result: order.append(result),
                     changes=lambda result: ChangeSummary(requests=True, request_id=result))
    qtbot.waitUntil(lambda: len(order) == 2, timeout=3000)
    assert order == [ChangeSummary(requests=True, request_id=7), 7]


def test_errors_reach_on_error_and_announce_nothing(qtbot):
    executor = Executor()
    errors, changes = [], []
    executor.changed.connect(changes.append)

    def op():
        raise ValidationFailed([])

    executor.run(op, lambda _: None, lambda exc: errors.append((exc, threading.current_thread())),
                 changes=ChangeSummary(households=True))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0][0], ValidationFailed) and errors[0][1] is threading.main_thread()
    assert changes == []


def test_nothing_is_delivered_to_a_closed_owner(qtbot):
    executor = Executor()
    owner = QWidget()
    release, got, changes = threading.Event(), [], []
    executor.changed.connect(changes.append)
    executor.run(lambda: release.wait(3), got.append, owner=owner, changes=ChangeSummary(notices=True))
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: not executor.busy, timeout=3000)
    assert got == [] and changes == [ChangeSummary(notices=True)]  # the write still happened


def test_call_runs_in_place_raises_like_the_service_and_announces(qtbot):
    executor = Executor()
    changes = []
    executor.changed.connect(changes.append)
    assert executor.call(lambda: "ok", changes=ChangeSummary(payouts=True)) == "ok"
    assert changes == [ChangeSummary(payouts=True)]
    with pytest.raises(ValidationFailed):
        executor.call(lambda: (_ for _ in ()).throw(ValidationFailed([])), changes=ChangeSummary(users=True))
    assert changes == [ChangeSummary(payouts=True)]


@pytest.mark.parametrize("summary, truthy", [
    (NO_CHANGES, False),
    (ChangeSummary(request_id=3), False),  # naming a request is not a change
    (ChangeSummary(households=True), True),
    (ChangeSummary(holidays=True), True),
])
def test_a_summary_is_true_when_something_changed(summary, truthy):
    assert bool(summary) is truthy


def test_summaries_combine():
    merged = ChangeSummary(requests=True, request_id=1) | ChangeSummary(notices=True, request_id=2)
    assert merged == ChangeSummary(requests=True, notices=True, request_id=2)
