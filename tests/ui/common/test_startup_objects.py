"""ui/common/startup_objects.py: the start's objects leave the garbage collector's walk, once, a
moment after the main window shows; what comes later is still collected. Run in processes of
their own: freezing the test process would keep every earlier test's objects."""
from __future__ import annotations

from tests.fresh_process import last_line_of

FREEZE = """
import gc, weakref
from zhibang_desktop.ui.common.startup_objects import freeze_startup_objects

class Node:
    pass

def cycle():
    node = Node()
    node.me = node  # only the cyclic collector can free it
    return weakref.ref(node)

before = cycle()  # garbage already at the start: collected, not frozen for good
first, again = freeze_startup_objects(), freeze_startup_objects()
frozen = gc.get_freeze_count()
after = cycle()  # garbage made later: still collected
gc.collect()
print(first, again, frozen > 1000, before() is None, after() is None)
"""


def test_the_start_is_frozen_once_and_later_garbage_is_still_collected():
    assert last_line_of(FREEZE) == "True False True True True"


SETTLED = """
import gc
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from zhibang_desktop.ui.common import startup_objects

app = QApplication([])
window = QWidget()
startup_objects.freeze_when_settled(window)
seen = []
QTimer.singleShot(startup_objects.SETTLE_MS // 2, lambda: seen.append(gc.get_freeze_count()))
QTimer.singleShot(startup_objects.SETTLE_MS + 500, app.quit)
app.exec()
print(seen[0] == 0, gc.get_freeze_count() > 0)
"""


def test_the_freeze_waits_until_the_window_has_settled():
    assert last_line_of(SETTLED) == "True True"


def test_the_app_session_freezes_the_start_after_showing_its_window(clerk, qtbot, monkeypatch):
    """run_gui's main-window session (ui/app.py) asks for the freeze with the window it shows."""
    from PySide6.QtWidgets import QApplication

    from zhibang_desktop.ui import app as app_module
    from zhibang_desktop.ui.main_window import MainWindow

    qapp = QApplication.instance()
    asked = []
    monkeypatch.setattr(app_module, "freeze_when_settled", asked.append)

    def fake_exec():  # instead of the event loop: the window was shown, then the user quits
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert asked == shown
        shown[0].close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    monkeypatch.setattr(MainWindow, "showMaximized", MainWindow.show)
    assert app_module._main_window_session(qapp, clerk.db, clerk.actor) is None
    assert len(asked) == 1
