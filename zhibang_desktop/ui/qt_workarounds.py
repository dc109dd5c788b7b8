"""Work-arounds for defects of the Qt binding that would otherwise crash the app.

PySide6 6.12.0 with CPython 3.11: ``SignalInstance.emit()`` returns ``True`` without
taking a reference to it, so every ``.emit()`` in Python code removes one reference from
the ``True`` singleton. ``True`` starts with a few hundred references; after that many
emits (a few minutes of normal use, or one run of the GUI tests) the interpreter frees
``True`` and aborts with "Fatal Python error: bool_dealloc". PySide6 6.11.3 is not
affected, and CPython 3.12+ makes ``True``/``False`` immortal.

`protect_bool_singletons()` gives ``True`` and ``False`` a reserve of 2**40 references
once, at import of ``zhibang_desktop.ui``. They are static objects that are never freed
anyway, so the reserve changes nothing else; it is harmless with an unaffected binding.
"""
from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40
_done = False


def protect_bool_singletons() -> bool:
    """Add the reserve (once); True if it was added by this call."""
    global _done
    if _done or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (True, False):
        # ob_refcnt is the first field of every CPython object, at the object's address.
        ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE
    _done = True
    return True
