"""Private temporary folders for generated documents (they hold personal data), removed
when their preview closes and, at the latest, when the program exits.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_TEMP_DIRS: set[Path] = set()


def _new_temp_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="zhibang-print-"))
    _TEMP_DIRS.add(path)
    return path


def _remove_temp(path: Path) -> None:
    """Generated documents hold personal data: do not leave them in the temp folder."""
    if path in _TEMP_DIRS:
        shutil.rmtree(path, ignore_errors=True)
        _TEMP_DIRS.discard(path)


@atexit.register
def _remove_all_temp() -> None:
    for path in list(_TEMP_DIRS):
        _remove_temp(path)


__all__ = ["_TEMP_DIRS", "_new_temp_dir", "_remove_temp", "_remove_all_temp"]
