"""The main window: navigation on the left, the current page on the right, a status bar.

A page is imported and built when it is first shown (or first asked for through `pages`): the
stack holds an empty placeholder in its place until then, so the window paints after building
only the page it opens on.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, Iterator

from PySide6.QtCore import QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ..services.admin.settings import demo_banner_of, get_settings
from .navigation import PageSpec, pages_for
from .common.session import UiSession

NAV_WIDTH = 150
FINISH_WORK_MS = 120_000  # closing waits this long at most for calls still running (as for a daily backup)


class LazyPages(Mapping):
    """key → page; a page not built yet is built on first access (`build(key)`)."""

    def __init__(self, keys: list[str], build: Callable[[str], QWidget]):
        self._keys = keys
        self._build = build
        self.built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._keys:
            raise KeyError(key)
        page = self.built.get(key)
        return page if page is not None else self._build(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


class MainWindow(QMainWindow):
    """Signals: `logoutRequested()`; `databaseReplaced(Database)` after a restore (log in again
    on the new database)."""

    logoutRequested = Signal()
    databaseReplaced = Signal(object)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._logging_out = False
        self.auto_backup = None
        self._specs: list[PageSpec] = []
        self._factories: dict[str, Callable] = {}
        self.pages = LazyPages([], self._build_page)

        self.nav = QListWidget()
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet("#navigation { font-size: 11pt; outline: none; }"
                               " #navigation::item { padding: 9px 10px; }")
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for spec, factory in pages_for(session.actor):
            self._add_page(spec, factory)
        self.pages = LazyPages([spec.key for spec in self._specs], self._build_page)
        self.nav.currentRowChanged.connect(self._show_row)

        self._build_status_bar()
        self._build_actions()
        session.changed.connect(lambda changes: changes.settings and self._refresh_title())
        self._refresh_title()
        if self.nav.count():
            self.nav.setCurrentRow(0)
        self.resize(1280, 720)

    # -- pages --
    def _add_page(self, spec: PageSpec, factory: Callable) -> None:
        self._specs.append(spec)
        self._factories[spec.key] = factory
        self.stack.addWidget(QWidget())  # the placeholder until the page is first shown
        item = QListWidgetItem(spec.label)
        item.setData(Qt.UserRole, spec.key)
        self.nav.addItem(item)

    def _build_page(self, key: str) -> QWidget:
        """Import and build page `key` in its placeholder's place (once)."""
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        page = self._factories[key](self.session, self.stack)
        self.pages.built[key] = page
        placeholder = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        if current == row:
            self.stack.setCurrentIndex(row)
        placeholder.deleteLater()
        self._connect_page(page)
        if key == "archive":
            self._fill_archive_menu()
        return page

    def _connect_page(self, page: QWidget) -> None:
        status = getattr(page, "statusText", None)
        if status is not None:
            status.connect(lambda text, p=page: self._page_status(p, text))
        restore = getattr(page, "restore_requested", None)
        if restore is not None:
            restore.connect(self.restore_backup)
        opener = getattr(page, "openListRequested", None)
        if opener is not None:
            opener.connect(self.open_list)

    def show_page(self, key: str) -> QWidget | None:
        for row, spec in enumerate(self._specs):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return self.pages[key]
        return None

    def open_list(self, key: str, filters: dict) -> QWidget | None:
        """Show page `key` with these filters (its `show_filtered`); None when the user lacks it."""
        page = self.show_page(key)
        if page is not None:
            page.show_filtered(**filters)
        return page

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[self._specs[row].key]
        self.stack.setCurrentIndex(row)
        self.counts_label.setText(getattr(page, "status_text", ""))
        if hasattr(page, "activated"):
            page.activated()

    def _page_status(self, page: QWidget, text: str) -> None:
        if page is self.stack.currentWidget():
            self.counts_label.setText(text)

    # -- chrome --
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.office_label = QLabel()
        self.user_label = QLabel()
        self.counts_label = QLabel()
        bar.addWidget(self.counts_label, 1)
        bar.addPermanentWidget(self.office_label)
        bar.addPermanentWidget(QLabel("|"))
        bar.addPermanentWidget(self.user_label)
        actor = self.session.actor
        self.user_label.setText(f"当前用户：{actor.display_name}（{actor.username}）")

    def _build_actions(self) -> None:
        can_edit = self.session.can("archive.edit")
        self.new_action = QAction("新建档案(&N)", self, shortcut=QKeySequence.New, enabled=can_edit)
        self.new_action.setStatusTip("新建一户困难职工档案（Ctrl+N）")
        self.new_action.triggered.connect(self.new_household)
        self.find_action = QAction("查找档案(&F)", self, shortcut=QKeySequence.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.logout_action = QAction("注销(&L)", self)
        self.logout_action.triggered.connect(self.logout)
        self.password_action = QAction("修改密码(&P)…", self)
        self.password_action.triggered.connect(self.change_password)
        self.quit_action = QAction("退出(&Q)", self, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction("关于职帮(&A)", self)
        self.about_action.setStatusTip("版本、构建日期、数据存放位置和随附组件的许可证")
        self.about_action.triggered.connect(self.show_about)

        file_menu = self.menuBar().addMenu("文件(&F)")
        file_menu.addActions([self.new_action, self.find_action])
        file_menu.addSeparator()
        file_menu.addActions([self.password_action, self.logout_action, self.quit_action])
        self.archive_menu = None
        if "archive" in self.pages:  # its commands are the page's: filled in when the page is built
            self.archive_menu = self.menuBar().addMenu("档案(&D)")
            self.archive_menu.setToolTipsVisible(True)  # a disabled 新建救助申请 says why
            self.archive_menu.aboutToShow.connect(lambda: self.pages["archive"])
            self._fill_archive_menu()
        self.menuBar().addMenu("帮助(&H)").addAction(self.about_action)

        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        toolbar.addActions([self.new_action, self.find_action])
        toolbar.addSeparator()
        toolbar.addAction(self.logout_action)

    def _fill_archive_menu(self) -> None:
        archive = self.pages.built.get("archive")
        menu = getattr(self, "archive_menu", None)
        if menu is not None and archive is not None and not menu.actions() and hasattr(archive, "menu_actions"):
            menu.addActions(archive.menu_actions())

    def _refresh_title(self) -> None:
        office = get_settings(self.session.ctx).office_name
        demo = demo_banner_of(self.session.ctx)
        self.setWindowTitle((f"职帮 — {office}" if office else "职帮") + (f"（{demo}）" if demo else ""))
        self.office_label.setText(office)

    # -- commands --
    def new_household(self) -> None:
        if self.session.can("archive.edit"):
            from .archive.household_windows import new_household  # the editor loads when first opened

            new_household(self.session, self)

    def focus_search(self) -> None:
        page = self.current_page()
        if not hasattr(page, "focus_search"):
            page = self.show_page("archive")
        if page is not None and hasattr(page, "focus_search"):
            page.focus_search()

    def show_about(self) -> None:
        from .about_dialog import AboutDialog

        AboutDialog(self.session, self).exec()

    def change_password(self) -> None:
        from .login.change_password_dialog import ChangePasswordDialog

        ChangePasswordDialog(self.session, self).exec()

    def enable_auto_backup(self) -> None:
        """The daily backup while the app runs and one when it closes (the real app, not tests)."""
        from .admin.auto_backup import AutoBackup

        self.auto_backup = AutoBackup(self.session.ctx.db, self, server_daily=self.session.can("backup.run"))
        self.auto_backup.backup_failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.auto_backup.start()

    def restore_backup(self, path: str) -> None:
        """The backup page asked for a restore: close the editors, restore, log in again."""
        from .login.restore_flow import restore_with_progress

        if not self._close_editors():
            return
        if self.auto_backup is not None:
            self.auto_backup.stop()
        new_db = restore_with_progress(self, self.session.ctx.db, path, self.session.actor)
        if new_db is None:
            if self.auto_backup is not None:
                self.auto_backup.start()
            return
        self.auto_backup = None  # the old database is closed: no backup of it on close
        self._logging_out = True
        self.close()
        self.databaseReplaced.emit(new_db)

    def _close_editors(self) -> bool:
        for editor in self.session.open_editors():
            if not editor.close():
                return False
        return True

    def logout(self) -> None:
        if not self._close_editors():
            return
        self._logging_out = True
        self.close()
        self.logoutRequested.emit()

    def _finish_background_work(self) -> None:
        """A save or any other call still running on the thread pool is let finish before the
        closing backup and before the database is closed: it is in that backup, and no save is
        cut off (a read lingering after the window went printed errors at the exit)."""
        pool = QThreadPool.globalInstance()
        if pool.activeThreadCount() == 0:
            return
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            pool.waitForDone(FINISH_WORK_MS)
        finally:
            QApplication.restoreOverrideCursor()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._logging_out and not self._close_editors():
            event.ignore()
            return
        self._finish_background_work()
        if self.auto_backup is not None:
            self.auto_backup.stop()
            self.auto_backup.backup_on_close()
            self.auto_backup = None
        event.accept()
