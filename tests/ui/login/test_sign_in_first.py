"""The start that shows the sign-in window before the database is open: the clerk types while
the program loads behind it; Enter pressed too early waits; anything but a plain sign-in goes
back to the ordinary start; quitting never leaves the file half-open."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from zhibang_desktop.demo.account import DEMO_PASSWORD
from zhibang_desktop.services import session as services_session
from zhibang_desktop.services.session import DatabaseCorrupt
from zhibang_desktop.ui import app as start
from zhibang_desktop.ui.login import login_dialog, sign_in_first
from zhibang_desktop.ui.login.login_dialog import LoginDialog

from tests.fresh_process import heavy_loaded, last_line_of
from ..waiting import click, click_ok, when_opened

pytestmark = pytest.mark.sqlite_only  # the quick look is into a local file; a server opens first


@pytest.fixture
def held_open(monkeypatch):
    """Opening the database waits until the test lets it go: the clerk is faster than the load.
    Returns (the event that lets it go, the databases opened, the opens begun)."""
    go_on = threading.Event()
    opened, begun = [], []
    real = services_session.open_office_database

    def slow_open(path, **kwargs):
        begun.append(path)
        assert go_on.wait(30)
        opened.append(real(path, **kwargs))
        return opened[-1]

    monkeypatch.setattr(services_session, "open_office_database", slow_open)
    return go_on, opened, begun


def type_in(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)


def test_the_window_shows_the_office_before_the_database_is_open_and_enter_waits_for_it(
        demo_copy, held_open, qtbot, monkeypatch):
    go_on, opened, _begun = held_open
    seen = {}

    def clerk(dialog):
        qtbot.waitExposed(dialog)
        seen["title"] = dialog.title.text()
        seen["open at paint"] = bool(opened)
        type_in(dialog, "clerk", DEMO_PASSWORD)
        click_ok(qtbot, dialog)
        seen["waiting"] = dialog.status.isVisible() and dialog.status.text() == login_dialog.OPENING
        seen["ok enabled"] = dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
        go_on.set()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=30000)

    when_opened(monkeypatch, LoginDialog, clerk)
    early = sign_in_first.sign_in_while_opening(demo_copy, "增城区总工会")
    try:
        assert "增城区总工会" in seen["title"] and not seen["open at paint"]  # painted before anything was opened
        assert seen["waiting"] and not seen["ok enabled"]
        assert early.actor.username == "clerk" and early.db is opened[0] and not early.quit
    finally:
        early.db.close()


def test_a_wrong_password_after_the_wait_is_explained_and_the_clerk_tries_again(
        demo_copy, held_open, qtbot, monkeypatch):
    go_on, _opened, _begun = held_open
    errors = []

    def clerk(dialog):
        qtbot.waitExposed(dialog)
        type_in(dialog, "clerk", "wrong-password")
        click_ok(qtbot, dialog)
        go_on.set()
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30000)
        errors.append(dialog.error.text())
        assert dialog.password.text() == "" and dialog.password.isEnabled() and not dialog.status.isVisible()
        type_in(dialog, "clerk", DEMO_PASSWORD)
        click_ok(qtbot, dialog)

    when_opened(monkeypatch, LoginDialog, clerk)
    early = sign_in_first.sign_in_while_opening(demo_copy, "增城区总工会")
    try:
        assert errors == [start_users().WRONG_LOGIN]
        assert early.actor.username == "clerk"
    finally:
        early.db.close()


def start_users():
    from zhibang_desktop.services.admin import users

    return users


def test_a_damaged_file_closes_the_window_and_goes_back_with_the_reason(demo_copy, qtbot, monkeypatch):
    def damaged(path, **kwargs):
        raise DatabaseCorrupt("数据库完整性检查未通过")

    monkeypatch.setattr(services_session, "open_office_database", damaged)
    when_opened(monkeypatch, LoginDialog,
                lambda dialog: qtbot.waitUntil(lambda: dialog.result() == sign_in_first.NOT_A_SIGN_IN, timeout=30000))
    early = sign_in_first.sign_in_while_opening(demo_copy, "增城区总工会")
    assert isinstance(early.failure, DatabaseCorrupt) and early.db is None and early.actor is None and not early.quit


def test_quitting_while_it_opens_waits_for_the_open_and_closes_the_file(demo_copy, held_open, qtbot, monkeypatch):
    go_on, opened, begun = held_open

    def quit_(dialog):
        qtbot.waitUntil(lambda: bool(begun))
        threading.Timer(0.3, go_on.set).start()  # the open finishes after the clerk has quit
        click(qtbot, dialog.buttons.button(QDialogButtonBox.Cancel))

    when_opened(monkeypatch, LoginDialog, quit_)
    early = sign_in_first.sign_in_while_opening(demo_copy, "增城区总工会")
    assert early.quit and early.db is None
    assert len(opened) == 1 and opened[0].lock is None  # opened, then closed: the writer lock is free


def test_an_office_file_starts_with_the_sign_in_window_and_a_new_one_opens_first(
        demo_copy, tmp_path, qtbot, monkeypatch):
    shown = []

    def clerk(dialog):
        shown.append(dialog.db)
        qtbot.waitExposed(dialog)
        type_in(dialog, "clerk", DEMO_PASSWORD)
        click_ok(qtbot, dialog)
        qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=30000)

    when_opened(monkeypatch, LoginDialog, clerk)
    demo_file = demo_copy.rename(demo_copy.with_name(start.DEMO_FILE))
    exit_code, db, actor = start.open_and_maybe_sign_in(demo_file)
    try:
        assert exit_code is None and actor.username == "clerk" and shown == [None]
    finally:
        db.close()

    exit_code, db, actor = start.open_and_maybe_sign_in(tmp_path / "new-office.sqlite3")
    try:
        assert exit_code is None and actor is None and len(shown) == 1  # opened first: the wizard comes next
    finally:
        db.close()


def test_the_sign_in_window_paints_with_qt_alone(demo_copy):
    """What the window needs before it paints: no SQLAlchemy, no models, no argon2 (a fresh
    process, as at a start: this one has long imported them all)."""
    probe = (
        "import sys\n"
        "from zhibang_desktop.ui import app\n"
        "from zhibang_desktop.ui.login.login_dialog import LoginDialog\n"
        "from zhibang_desktop.ui.login import sign_in_first\n"
        "qt = app.make_app()\n"
        f"office = app.office_ready_to_sign_in({str(demo_copy)!r})\n"
        "dialog = LoginDialog(None, office=office)\n"
        "dialog.show()\n"
        "qt.processEvents()\n"
        f"print(office, {heavy_loaded()})\n"
    )
    assert last_line_of(probe) == "增城区总工会 []"


def test_while_the_clerk_types_the_main_window_is_loaded_before_sign_in_and_the_printing_and_pages_after(demo_copy):
    """The loading thread imports the main window and the archive page before the window may
    sign in (after 登录 only argon2 and building the window remain) and nothing that prints or
    exports; then, with the clerk still typing, what a first print needs and every other page."""
    probe = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import Qt\n"
        "from zhibang_desktop.ui import app\n"
        "from zhibang_desktop.ui.login.sign_in_first import DatabaseOpener\n"
        "qt = app.make_app()\n"
        f"opener = DatabaseOpener(Path({str(demo_copy)!r}))\n"
        "seen = {}\n"
        "def at_opened():\n"
        "    seen['ahead'] = [m for m in ('zhibang_desktop.ui.main_window', 'zhibang_desktop.ui.archive.archive_page')"
        " if m in sys.modules]\n"
        f"    seen['printing'] = {heavy_loaded(('openpyxl', 'reportlab', 'pypdfium2'))}\n"
        "opener.opened.connect(at_opened, Qt.DirectConnection)\n"
        "opener.start()\n"
        "[t.join() for t in threading.enumerate() if t.name == 'zhibang-open-database']\n"
        f"later = {heavy_loaded(('openpyxl', 'reportlab', 'pypdfium2'))}\n"
        "from zhibang_desktop.ui.navigation import PAGES\n"
        "prints = 'zhibang_desktop.ui.archive.archive_prints' in sys.modules\n"
        "pages = [s.key for s in PAGES if s.factory.partition(':')[0] not in sys.modules]\n"
        "print(opener.ready_to_sign_in, len(seen['ahead']), seen['printing'], later, prints, pages)\n"
        "opener.finish()\n"
        "opener.db.close()\n"
    )
    assert last_line_of(probe) == "True 2 [] ['openpyxl', 'pypdfium2', 'reportlab'] True []"


def test_the_window_imports_nothing_while_the_thread_loads_ahead_and_closing_it_stops_the_loading(demo_copy):
    """Signing in (the office's name, argon2) uses only what the thread loaded before the window
    may sign in, so the two threads never import at once; when the window closes the thread stops
    at the next module and is waited for before the start goes on. The thread's loading of the
    printing is held until it is told to stop, so the whole sign-in lands in the middle of it."""
    probe = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import Qt, QTimer\n"
        "from PySide6.QtWidgets import QDialogButtonBox\n"
        "from zhibang_desktop.demo.account import DEMO_PASSWORD\n"
        "from zhibang_desktop.ui import app\n"
        "from zhibang_desktop.ui.common.first_paint import on_first_paint\n"
        "from zhibang_desktop.ui.login import sign_in_first\n"
        "from zhibang_desktop.ui.login.login_dialog import LoginDialog\n"
        "events = []\n"
        "class Recorder:  # finds nothing; sees each module imported for the first time, and on which thread\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        events.append(('gui' if threading.current_thread() is threading.main_thread() else 'thread', name))\n"
        "sys.meta_path.insert(0, Recorder())\n"
        "real_load_ahead = sign_in_first.load_ahead\n"
        "def held(modules, stop=None):\n"
        "    if stop is not None:\n"
        "        assert stop.wait(60)\n"
        "    real_load_ahead(modules, stop)\n"
        "sign_in_first.load_ahead = held\n"
        "class Opener(sign_in_first.DatabaseOpener):\n"
        "    def __init__(self, path):\n"
        "        super().__init__(path)\n"
        "        self.opened.connect(lambda: events.append(('opened', '')), Qt.DirectConnection)\n"
        "    def _run(self):\n"
        "        super()._run()\n"
        "        events.append(('thread done', ''))\n"
        "sign_in_first.DatabaseOpener = Opener\n"
        "qt = app.make_app()\n"
        "def clerk(dialog):\n"
        "    dialog.username.setText('clerk')\n"
        "    dialog.password.setText(DEMO_PASSWORD)\n"
        "    QTimer.singleShot(0, dialog.buttons.button(QDialogButtonBox.Ok).click)\n"
        "on_first_paint(qt, clerk, LoginDialog)\n"
        f"early = sign_in_first.sign_in_while_opening(Path({str(demo_copy)!r}), '增城区总工会')\n"
        "events.append(('returned', ''))\n"
        "marks = [e for e, _ in events]\n"
        "opened, done = marks.index('opened'), marks.index('thread done')\n"
        "gui_meanwhile = [n for who, n in events[opened:done] if who == 'gui']\n"
        f"stopped = {heavy_loaded(('openpyxl', 'reportlab', 'pypdfium2'))} == []\n"
        "print(early.actor.username, gui_meanwhile, marks.index('returned') > done, stopped)\n"
        "early.db.close()\n"
    )
    assert last_line_of(probe) == "clerk [] True True"


def test_a_file_another_program_has_open_is_explained_without_a_sign_in_window(demo_copy, boxes, monkeypatch):
    from zhibang_desktop.storage.lock import WriterLock

    shown = []
    when_opened(monkeypatch, LoginDialog, shown.append)
    holder = WriterLock(demo_copy)  # the same file held through another handle, as by a second copy
    holder.acquire()
    try:
        exit_code, db, actor = start.open_and_maybe_sign_in(demo_copy)
    finally:
        holder.release()
    assert (exit_code, db, actor) == (1, None, None) and shown == []
    assert [(kind, title) for kind, title, *_ in boxes.shown] == [("error", "无法打开数据库")]
    assert "正被另一个职帮程序使用" in boxes.shown[0][2]
