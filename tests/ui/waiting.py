"""Waiting for the GUI's database work, which runs off the GUI thread (ui/executor.py)."""
from __future__ import annotations


def settle(qtbot, holder, timeout: int = 5000) -> None:
    """Wait until every query and write submitted through the session's executor has been
    delivered; `holder` is the UiSession or anything with a `session` (a window, a page)."""
    session = getattr(holder, "session", holder)
    qtbot.waitUntil(lambda: not session.executor.busy, timeout=timeout)
