"""What a start imports, seen in a process of its own (the test process has long imported
everything)."""
from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("sqlalchemy", "argon2", "openpyxl", "reportlab")


def last_line_of(probe: str) -> str:
    """Run `probe` (Python source) in a fresh offscreen process; its last printed line."""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def heavy_loaded(among=HEAVY) -> str:
    """Probe source printing which of `among` the probe's process has imported, sorted."""
    return f"sorted({{m.split('.')[0] for m in sys.modules}} & {set(among)!r})"
