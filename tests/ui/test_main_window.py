"""The main window: only the pages the user may use, shortcuts, logout."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from zhibang_desktop import demo
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext

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


def test_a_reviewer_signs_in_to_the_requests_waiting_for_them(demo_db, qtbot):
    """Signing in as 基层工会审核人 opens 待我审核, not the archive a reviewer does not work in:
    the request to decide is one double-click away."""
    from zhibang_desktop.ui.login.login_dialog import LoginDialog
    from zhibang_desktop.ui.relief.review_page import ReviewPage

    from .waiting import click_ok, settle

    dialog = LoginDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.username.setText("reviewer")
    dialog.password.setText(demo.DEMO_PASSWORD)
    click_ok(qtbot, dialog)
    window = MainWindow(UiSession(AppContext(demo_db, dialog.actor)))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)
    assert nav_labels(window)[0] == "待我审核" and window.nav.currentRow() == 0
    page = window.current_page()
    assert isinstance(page, ReviewPage) and page.model.rowCount() > 0
    assert "待我审核" in window.counts_label.text()


def test_admin_sees_settings(admin, qtbot):
    window = MainWindow(UiSession(admin))
    qtbot.addWidget(window)
    assert "单位与组织" in nav_labels(window)
    assert not window.new_action.isEnabled()  # an admin does not edit archives


def test_an_administrator_bound_to_a_union_has_no_office_wide_pages(admin, qtbot):
    """Bound to a street union, an administrator manages its users and reads the audit trail,
    but the office's settings, calendar, policy and backups are not its pages."""
    from tests.admin_helpers import user_context
    from zhibang_desktop.services.admin import org

    street = next(u for u in org.list_units(admin) if u.level == "street")
    window = MainWindow(UiSession(user_context(admin, "street_admin", ["admin"], scope_unit_id=street.id)))
    qtbot.addWidget(window)
    labels = nav_labels(window)
    assert "用户管理" in labels and "审计日志" in labels
    assert not {"单位与组织", "节假日", "救助政策", "备份与恢复"} & set(labels)


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


def test_pages_are_built_when_first_shown(admin, qtbot):
    window = MainWindow(UiSession(admin))
    qtbot.addWidget(window)
    first = window._specs[0].key
    assert set(window.pages.built) == {first}  # only the page the window opens on
    assert "users" in window.pages and "users" not in window.pages.built
    row = next(i for i in range(window.nav.count()) if window.nav.item(i).text() == "用户管理")
    window.nav.setCurrentRow(row)
    assert "users" in window.pages.built and window.current_page() is window.pages["users"]
    assert window.stack.count() == window.nav.count() and window.stack.indexOf(window.pages["users"]) == row


@pytest.mark.parametrize("username", ["admin", "clerk", "reviewer", "head"])
def test_building_a_page_keeps_the_window_active(username, demo_db, qtbot):
    """A page built while the window is up shows no window of its own (a widget made visible
    before it has a parent is a window, which takes the activation from the main window)."""
    window = MainWindow(UiSession(AppContext(demo_db, users.authenticate(demo_db, username, demo.DEMO_PASSWORD))))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    shown = []

    class Windows(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Show and isinstance(watched, QWidget) and watched.isWindow():
                shown.append(f"{type(watched).__name__} {getattr(watched, 'text', lambda: '')()}")
            return False

    watcher = Windows()
    QApplication.instance().installEventFilter(watcher)
    try:
        for key in window.pages:
            window.pages[key]
            assert not shown, f"page {key} showed a window while it was built: {shown}"
    finally:
        QApplication.instance().removeEventFilter(watcher)
    qtbot.wait(50)
    assert window.isActiveWindow()


def test_a_user_bound_to_a_union_picks_unions_only_within_it(admin, qtbot):
    """Every union choice on every page a street-bound user opens (filters and the household's
    union alike) lists only that street's subtree, and a filter's "all" says what it covers."""
    from tests.admin_helpers import user_context
    from zhibang_desktop.services.admin import org
    from zhibang_desktop.ui.common.widgets.union_combo import SCOPED_ALL_LABEL, UnionCombo
    from zhibang_desktop.ui.archive.editor.basic_tab import BasicTab
    from zhibang_desktop.ui.payout.new_batch_dialog import NewBatchDialog

    units = org.list_units(admin)
    street = next(u for u in units if u.level == "street")
    inside = {u.id for u in org.subtree(units, street.id)}
    assert len(inside) < len(units)
    session = UiSession(user_context(admin, "street_all", ["clerk", "reviewer", "head"], scope_unit_id=street.id))
    window = MainWindow(session)
    qtbot.addWidget(window)
    dialog = NewBatchDialog(session)
    qtbot.addWidget(dialog)
    combos = [c for key in [s.key for s in window._specs] for c in window.pages[key].findChildren(UnionCombo)]
    household_form = BasicTab(session.ctx, ("因病",))
    qtbot.addWidget(household_form)
    combos += dialog.findChildren(UnionCombo) + household_form.findChildren(UnionCombo)
    filters = [c for c in combos if c.all_label is not None]
    assert len(filters) >= 5 and len(combos) > len(filters)
    for combo in combos:
        ids = {combo.itemData(i) for i in range(combo.count())} - {None}
        assert ids and ids <= inside, combo.parent().__class__.__name__
    for combo in filters:
        assert combo.itemText(0) == SCOPED_ALL_LABEL and combo.itemData(0) is None
