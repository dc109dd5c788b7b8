"""Archive sub-commands: demo, import/export households, check."""
from __future__ import annotations


def register(sub) -> None:
    """Filled in by the archive services work (demo, import, export, check)."""
