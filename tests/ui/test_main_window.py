"""The main window: only the pages the user may use, shortcuts, logout."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.navigation import PAGES, PageSpec, load_factory
from zhibang_desktop.ui.common.session import UiSession


def nav_labels(window):
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_clerk_sees_archive_and_visits_not_settings(window):
    labels = nav_labels(window)
    assert labels[:2] == ["困难职工档案", "走访核查"]
    assert "单位与组织" not in labels
    assert "陈晓" in window.user_label.text()
    assert window.office_label.text() == "增城区总工会"


def test_admin_sees_settings(admin, qtbot):
    window = MainWindow(UiSession(admin))
    qtbot.addWidget(window)
    assert "单位与组织" in nav_labels(window)
    assert not window.new_action.isEnabled()  # an admin does not edit archives


def test_missing_page_module_is_skipped():
    assert load_factory(PageSpec("x", "不存在", "zhibang_desktop.ui.pages.no_such_page:Page", None)) is None
    assert all(spec.key for spec in PAGES)


def test_ctrl_f_focuses_the_search_box(window, qtbot):
    window.show_page("visits")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    page = window.pages["archive"]
    assert window.current_page() is page
    assert QApplication.focusWidget() is page.search


def test_logout_closes_the_window_and_asks_for_login_again(window, qtbot):
    with qtbot.waitSignal(window.logoutRequested):
        window.logout_action.trigger()
    assert not window.isVisible()
