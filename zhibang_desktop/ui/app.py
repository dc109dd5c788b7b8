"""Start the GUI: font, database, first-start set-up, login, main window.

An office's start shows the sign-in window first and opens the database behind it
(login/sign_in_first.py); every other start (a first start, a server, a file the quick look
cannot vouch for, the smoke run) opens the database first. The services are imported inside
the functions, so that the sign-in window can paint with Qt alone."""
from __future__ import annotations

import logging
import sys
import traceback
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog

from ..config import db_location, save_server_address, smoke_requested
from ..services.start_check import office_ready_to_sign_in
from .common import messages
from .common.fonts import install_app_font
from .common.startup_objects import freeze_when_settled
from .translations import install_translations
from .common.wheel_guard import install_wheel_guard

log = logging.getLogger(__name__)
DEMO_FILE = "zhibang-demo.sqlite3"
DEMO_HOUSEHOLDS = 500
ICON = "data/icons/zhibang.png"


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv)
    app.setApplicationName("职帮")
    app.setOrganizationName("zhibang")
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    app.setProperty("zhibang_qt_translations", install_translations(app))
    install_app_font(app)
    app.setWindowIcon(QIcon(str(resources.files("zhibang_desktop").joinpath(ICON))))
    install_wheel_guard(app)
    return app


def _excepthook(kind, value, tb) -> None:
    """An unexpected error is shown, not swallowed: the clerk can report it; the data stays safe
    because every service call is one transaction."""
    text = "".join(traceback.format_exception(kind, value, tb))
    log.error("unexpected error: %s", text)
    sys.__stderr__.write(text)
    messages.error(QApplication.activeWindow(), "程序出错",
                   "程序遇到意外错误，刚才的操作没有完成（已保存的数据不受影响）。请把下面的信息告诉技术支持。",
                   f"{kind.__name__}: {value}")


def open_or_explain(path: Path | str, password: str | None = None):
    """The database, or None after telling the user why it cannot be opened (nothing is deleted)."""
    from ..services.session import DatabaseCorrupt, DatabaseError, DatabaseLocked, PasswordNeeded, open_office_database

    try:
        return open_office_database(path, password=password)
    except (PasswordNeeded, DatabaseCorrupt, DatabaseError, DatabaseLocked, OSError) as exc:
        return explain_open_failure(path, exc)


def explain_open_failure(path: Path | str, exc: BaseException):
    """Tell the user why the database at `path` could not be opened, and offer what can be done:
    a damaged file is kept and the newest good backup offered instead; a server that wants a
    password .pgpass and PGPASSWORD did not give is asked for one. The database that came of
    it, or None. Anything else is raised again, for the error dialog."""
    from ..services.session import DatabaseCorrupt, DatabaseError, DatabaseLocked, PasswordNeeded

    if isinstance(exc, PasswordNeeded):
        password = _ask_server_password(str(exc))
        return None if password is None else open_or_explain(path, password)
    if isinstance(exc, DatabaseCorrupt):
        from .login.restore_flow import offer_restore_for_damaged

        return offer_restore_for_damaged(None, path, str(exc))
    if isinstance(exc, (DatabaseError, DatabaseLocked)):
        messages.error(None, "无法打开数据库", str(exc), f"数据库：{path}")
    elif isinstance(exc, OSError):
        messages.error(None, "无法打开数据库", f"无法访问数据库文件：{exc.strerror or exc}", f"数据库：{path}")
    else:
        raise exc
    return None


def _ask_server_password(why: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    password, ok = QInputDialog.getText(None, "数据库服务器密码", f"{why}\n请输入密码：", QLineEdit.Password)
    return password if ok else None


def demo_location(beside: Path | str) -> Path:
    """The demo's file: next to the office's database (for a server, the local default's place)."""
    if not isinstance(beside, Path):  # a server: the demo lives in a local file
        beside = db_location(None) if isinstance(db_location(None), Path) else Path.home() / DEMO_FILE
    return beside.with_name(DEMO_FILE)


def demo_database(beside: Path | str):
    """Open (creating on first use) the demo database next to the office's database."""
    from .. import demo
    from ..services.session import setup
    from .common.worker import run_with_progress

    db = open_or_explain(demo_location(beside))
    if db is None or setup.is_initialised(db):
        return db
    try:
        run_with_progress(None, "演示数据", f"正在生成演示数据（{DEMO_HOUSEHOLDS} 户）……",
                          lambda progress, cancelled: demo.create_demo(db, DEMO_HOUSEHOLDS, progress=progress),
                          cancellable=False)
    except Exception as exc:  # noqa: BLE001 — explained, then stop
        db.close()
        messages.error(None, "无法生成演示数据", str(exc))
        return None
    return db


def first_start(db, path: Path | str):
    """Set-up wizard (or the demo). Returns the database to use, or None to quit."""
    from ..services.session import setup
    from .login.setup_wizard import SetupWizard

    wizard = SetupWizard(db, demo_tried=office_ready_to_sign_in(demo_location(path)) is not None)
    if wizard.exec() != QDialog.Accepted:
        return None
    if wizard.server_address:
        server = open_or_explain(wizard.server_address)
        if server is None:
            return None
        db.close()
        save_server_address(wizard.server_address)  # the next start opens the server again
        return server if setup.is_initialised(server) else first_start(server, wizard.server_address)
    if wizard.demo_chosen:
        db.close()
        return demo_database(path)
    return db


def is_demo(location: Path | str | None) -> bool:
    return isinstance(location, Path) and location.name == DEMO_FILE


def demo_hint() -> tuple[str, str]:
    """The sign-in window's line for the demo database, and the user name it fills in."""
    from ..demo.account import DEMO_PASSWORD

    return f"演示数据：用户名 clerk（经办人）或 admin（管理员），密码 {DEMO_PASSWORD}", "clerk"


def login(db, demo: bool):
    """The logged-in Actor, or None if the user gave up."""
    from .login.login_dialog import LoginDialog

    dialog = LoginDialog(db)
    if demo:
        dialog.set_hint(*demo_hint())
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.actor


def first_admin(db):
    """The administrator of a database that has none (new office, or `zhibang init` without
    --admin); signed in at once. None if the user gave up."""
    from .login.first_admin_dialog import FirstAdminDialog

    dialog = FirstAdminDialog(db)
    return dialog.actor if dialog.exec() == QDialog.Accepted else None


def open_and_maybe_sign_in(path: Path | str) -> tuple[int | None, object, object]:
    """(exit code or None to go on, database, actor signed in or None). Shows the sign-in window
    first when the file is an office ready for it, else opens the database first."""
    office = None if smoke_requested() else office_ready_to_sign_in(path)
    if office is None:
        db = open_or_explain(path)
        return (1 if db is None else None), db, None
    from .login.sign_in_first import sign_in_while_opening

    early = sign_in_while_opening(Path(path), office, demo_hint() if is_demo(path) else None)
    if early.quit:
        return 0, None, None
    db = early.db if early.failure is None else explain_open_failure(path, early.failure)
    return (1 if db is None else None), db, early.actor


def run_gui(db_path: str | None = None) -> int:
    app = make_app()
    sys.excepthook = _excepthook
    path = db_location(db_path)
    exit_code, db, actor = open_and_maybe_sign_in(path)
    if exit_code is not None:
        return exit_code
    try:
        from ..services.admin import users
        from ..services.session import setup
        from .smoke import run_smoke

        if smoke_requested():
            return run_smoke(app, db, bool(app.property("zhibang_qt_translations")))
        if not setup.is_initialised(db):
            db = first_start(db, path)
            if db is None:
                return 0
        if not users.has_users(db):
            actor = first_admin(db)
        if not users.has_users(db):
            return 0
        while True:
            actor = actor or login(db, is_demo(db.path))
            if actor is None:
                return 0
            outcome = _main_window_session(app, db, actor)
            actor = None
            if outcome is None:
                return 0
            db = outcome  # after a logout the same database; after a restore the restored one
    finally:
        if db is not None:
            db.close()


def _main_window_session(app: QApplication, db, actor):
    """Run the main window until it closes. Returns the database to log in to again
    (logout, or a restore replaced it), or None when the user quit."""
    from ..services.context import AppContext
    from .common.session import UiSession
    from .main_window import MainWindow

    session = UiSession(AppContext(db, actor))
    window = MainWindow(session)
    window.enable_auto_backup()
    again = []
    window.logoutRequested.connect(lambda: again.append(db))
    window.databaseReplaced.connect(again.append)
    screen = app.primaryScreen()
    if screen is not None:  # fills the screen even where maximising is not honoured
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    freeze_when_settled(window)
    app.exec()
    window.deleteLater()
    session.deleteLater()
    return again[-1] if again else None
