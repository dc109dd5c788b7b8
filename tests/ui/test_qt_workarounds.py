"""The GUI survives many signal emits (PySide6 6.12.0 drops a reference to True on each emit)."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_emits_do_not_free_true():
    script = textwrap.dedent("""
        import sys
        import zhibang_desktop.ui  # applies the work-around
        from PySide6.QtCore import QObject, Signal

        class Emitter(QObject):
            changed = Signal(str)

        e = Emitter()
        e.changed.connect(lambda text: None)
        for _ in range(20000):
            e.changed.emit("x")
        assert sys.getrefcount(True) > 1000
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
