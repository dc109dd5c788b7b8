"""A start that shows the sign-in window first and loads the program behind it.

Most of a start is Python loading SQLAlchemy and the models (and argon2), then opening the
file (its check, migrations, the writer lock): about 0.8 s on a quiet two-core PC, several
seconds on a busy old one. None of it needs the clerk, and the clerk needs none of it to type
a name and a password. So when a look into the file (services.start_check) says it is a set-up
office with users, the sign-in window is painted with Qt alone, and the rest is loaded and the
database opened on a thread of its own while the clerk types. Enter pressed before the
database is open waits for it ("正在打开数据库……").

Anything the opening finds that is not a plain sign-in (a damaged or locked file, a database
without users) closes the window and is handed back to the ordinary start, which explains it
exactly as when it opens the file itself.

Only the loading thread imports the program's modules while the window is up (two threads
importing the same modules in opposite orders can deadlock on Python's import locks). Once the
database is open it goes on loading what a first print and the other pages need (load_ahead.py); the window,
meanwhile, only takes typing and signs in with what is already loaded, and when it closes the
thread stops at the next module and is waited for before anything else is imported.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from ..common.first_paint import on_first_paint
from .load_ahead import FOR_THE_MAIN_WINDOW, WHILE_THE_CLERK_TYPES, load_ahead
from .login_dialog import LoginDialog

NOT_A_SIGN_IN = 2  # the dialog's result when the opening found something other than a sign-in


@dataclass
class EarlyStart:
    """What the window and the thread came to: signed in (db and actor), quit, or the database
    (or why it could not be opened) for the ordinary start to go on with."""
    quit: bool = False
    db: object = None
    actor: object = None
    failure: BaseException | None = None


class DatabaseOpener(QObject):
    """Loads the program and opens the database on a thread; `opened` is emitted (and received
    on the GUI thread) when the window may sign in, with `db` or `failure` set. The thread then
    loads what a first print and the other pages need until `finish`."""

    opened = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.db = None
        self.ready_to_sign_in = False
        self.failure: BaseException | None = None
        self._stop_loading = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zhibang-open-database")

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def started(self) -> bool:
        return self._thread.ident is not None

    def _run(self) -> None:
        try:
            from ...services.admin import users  # with argon2, which signing in needs next
            from ...services.session import open_office_database, setup

            self.db = open_office_database(self.path)
            self.ready_to_sign_in = setup.is_initialised(self.db) and users.has_users(self.db)
        except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread, which explains it
            self.failure = exc
        if self.ready_to_sign_in:
            load_ahead(FOR_THE_MAIN_WINDOW)
        self.opened.emit()
        if self.ready_to_sign_in:
            load_ahead(WHILE_THE_CLERK_TYPES, self._stop_loading)

    def finish(self) -> None:
        """Stop loading ahead at the next module and wait for the thread: after this the GUI
        thread may import, and the file is never left half-open (opening may be migrating it)."""
        self._stop_loading.set()
        if self._thread.ident is not None:
            self._thread.join()


def sign_in_while_opening(path: Path, office: str, hint: tuple[str, str] | None = None) -> EarlyStart:
    """Show the sign-in window for the office at `path` at once and open the database behind it.
    `hint`: (text, user name) shown above the fields, as for the demo database."""
    dialog = LoginDialog(None, office=office)
    if hint:
        dialog.set_hint(*hint)
    opener = DatabaseOpener(path)
    closed = []

    def opened() -> None:
        if closed:  # the clerk quit first; what was opened is closed below
            return
        if opener.failure is None and opener.ready_to_sign_in:
            dialog.set_database(opener.db)
        else:
            dialog.done(NOT_A_SIGN_IN)

    opener.opened.connect(opened)
    on_first_paint(dialog, lambda _dialog: opener.start())  # on screen before the thread competes with it
    result = dialog.exec()
    closed.append(True)
    if not opener.started():  # quit before the window painted
        return EarlyStart(quit=True)
    opener.finish()
    if result == QDialog.Accepted:
        return EarlyStart(db=opener.db, actor=dialog.actor)
    if result == NOT_A_SIGN_IN:
        return EarlyStart(db=opener.db, failure=opener.failure)
    if opener.db is not None:
        opener.db.close()
    return EarlyStart(quit=True)
