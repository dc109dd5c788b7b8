"""GUI fixtures: real widgets on a seeded temporary database (demo data, a few hundred households).

Message boxes are replaced by a recorder so that no test waits for a click; `answers`
says what a question (messages.ask) is answered.
"""
from __future__ import annotations

import pytest

from zhibang_desktop import demo
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.ui.common import messages

from .waiting import settle

class Boxes:
    def __init__(self):
        self.shown: list[tuple[str, str, str, str]] = []  # (kind, title, text, detail)
        self.answer = True

    def texts(self) -> str:
        return "\n".join(" ".join(s[1:]) for s in self.shown)


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory):
    """Remembered column widths and the like go to a folder of this run, not the user's profile."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path_factory.mktemp("settings")))
    yield


@pytest.fixture(autouse=True)
def boxes(monkeypatch) -> Boxes:
    rec = Boxes()
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(messages, kind, lambda parent, title, text, detail="", k=kind:
                            rec.shown.append((k, title, text, detail)))

    def ask(parent, title, text, yes="是", no="否", default_yes=False):
        rec.shown.append(("ask", title, text, ""))
        return rec.answer

    monkeypatch.setattr(messages, "ask", ask)
    return rec


@pytest.fixture(autouse=True)
def wheel_guard(qapp):
    """As in the app (make_app): the wheel changes a combo or spin box only while it has the focus."""
    from zhibang_desktop.ui.common.wheel_guard import install_wheel_guard

    return install_wheel_guard(qapp)


@pytest.fixture(autouse=True)
def no_freeze(monkeypatch):
    """The app freezes its start's objects out of the garbage collector a second after its window
    shows (ui/app.py); a test process never does: it would keep every earlier test's objects."""
    from zhibang_desktop.ui.common import startup_objects

    monkeypatch.setattr(startup_objects, "freeze_startup_objects", lambda: False)


@pytest.fixture
def demo_db(demo_copy):
    db = open_database(demo_copy)
    yield db
    db.close()


@pytest.fixture
def clerk(demo_db) -> AppContext:
    return AppContext(demo_db, users.authenticate(demo_db, "clerk", demo.DEMO_PASSWORD))


@pytest.fixture
def admin(demo_db) -> AppContext:
    return AppContext(demo_db, users.authenticate(demo_db, "admin", demo.DEMO_PASSWORD))


@pytest.fixture
def session(clerk, qtbot):
    from zhibang_desktop.ui.common.session import UiSession

    s = UiSession(clerk)
    yield s
    settle(qtbot, s)  # nothing still reading the database when it closes
    for editor in s.open_editors():
        editor._baseline = None  # closing without the "discard changes?" question
        editor.close()


@pytest.fixture
def window(session, qtbot):
    from zhibang_desktop.ui.main_window import MainWindow

    w = MainWindow(session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    settle(qtbot, w)  # the pages' first queries
    return w
