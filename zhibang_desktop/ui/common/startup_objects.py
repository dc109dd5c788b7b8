"""The objects of the program's start, taken out of the reach of Python's cyclic garbage collector.

A full collection walks every object Python tracks. Once the main window is up that is about
120,000 objects: SQLAlchemy's mappers and compiled statements, the Qt wrappers, the modules.
Such a collection came every few tens of thousands of allocations, so now and then in the
middle of a search, and took 47 ms at 100,000 households (the slowest Enter and the slowest
keystroke of each benchmark round).

What exists a moment after the main window has painted lives as long as the window. After one
last collection, `gc.freeze` moves it out of the collector's walk. Everything made later (a
search's rows, a dialog) is collected as before, in a walk that is now short. Once per process:
after a logout, the next window's objects stay with the collector, which is a few thousand.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

SETTLE_MS = 1000  # after the window shows: its first page has its rows, and nobody is typing yet


def freeze_startup_objects() -> bool:
    """Collect once, then freeze what is left. True if it froze now; False if the process had
    already done it."""
    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True


def freeze_when_settled(window: QObject) -> None:
    """Freeze the start's objects SETTLE_MS after now (while `window` still exists)."""
    QTimer.singleShot(SETTLE_MS, window, lambda: freeze_startup_objects())
