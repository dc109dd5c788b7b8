"""Waiting for the GUI's database work, which runs off the GUI thread (ui/common/executor.py)."""
from __future__ import annotations


def settle(qtbot, holder, timeout: int = 15000) -> None:
    """Wait until every query and write submitted through the executor has been delivered;
    `holder` is a UiSession, a page, or anything with a `session` (a window)."""
    executor = getattr(holder, "executor", None) or holder.session.executor
    qtbot.waitUntil(lambda: not executor.busy, timeout=timeout)
