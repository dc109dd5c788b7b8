"""The installed Qt binding keeps Python's singletons alive through heavy use.

PySide6 6.12.0 on CPython 3.11 drops a reference to True on every ``emit()`` and to None on
every void call (``setText``) or empty ``currentData()``; after a few thousand calls the
interpreter aborts ("bool_dealloc" / "none_dealloc"). pyproject.toml pins it out; this
test fails if such a build comes back.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_qt_calls_do_not_free_singletons():
    script = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QObject, Signal
        from PySide6.QtWidgets import QApplication, QComboBox, QLabel

        class Emitter(QObject):
            changed = Signal(str)

        app = QApplication([])
        e, label, combo = Emitter(), QLabel(), QComboBox()
        e.changed.connect(lambda text: None)
        combo.addItem("a")
        before = sys.getrefcount(True), sys.getrefcount(None)
        for _ in range(20000):
            e.changed.emit("x")
            label.setText("x")
            combo.currentData()
        after = sys.getrefcount(True), sys.getrefcount(None)
        assert after[0] >= before[0] - 100 and after[1] >= before[1] - 100, (before, after)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
