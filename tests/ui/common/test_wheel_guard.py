"""The mouse wheel over a combo box or spin box that does not have the focus scrolls the page
and leaves the value alone (所属工会 in the household editor and 具体情形 in a request were
changed silently while the clerk scrolled)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox

from zhibang_desktop.ui import app as app_module
from zhibang_desktop.ui.relief.relief_request_dialog import ReliefRequestDialog
from zhibang_desktop.ui.relief.request_form_parts import select
from zhibang_desktop.ui.common.wheel_guard import WheelGuard

from ..archive.test_household_editor import open_first


def wheel_down(widget) -> None:
    """One notch of the wheel, the pointer over the middle of `widget`."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def scroll_to_show(scroll, widget, qtbot) -> None:
    scroll.verticalScrollBar().setValue(0)
    scroll.ensureWidgetVisible(widget, 0, 0)
    qtbot.wait(10)
    assert scroll.verticalScrollBar().value() < scroll.verticalScrollBar().maximum(), "no room left to scroll"


def check_wheel(scroll, combo: QComboBox, qtbot) -> None:
    scroll_to_show(scroll, combo, qtbot)
    combo.clearFocus()
    assert not combo.hasFocus() and combo.focusPolicy() == Qt.StrongFocus
    before, top = combo.currentIndex(), scroll.verticalScrollBar().value()
    wheel_down(combo)
    assert combo.currentIndex() == before  # the value is unchanged …
    assert scroll.verticalScrollBar().value() > top  # … and the page scrolled

    combo.setFocus()  # clicked or tabbed into: now the wheel changes the value as usual
    qtbot.waitUntil(combo.hasFocus, timeout=2000)
    wheel_down(combo)
    assert combo.currentIndex() == before + 1


def test_the_household_editor_scrolls_over_the_union_combo(window, qtbot):
    editor = open_first(window, qtbot)
    editor.resize(900, 420)
    basic = editor.basic
    combo = basic.unit
    assert combo.count() > combo.currentIndex() + 1 > 0
    check_wheel(basic, combo, qtbot)


def test_the_request_form_scrolls_over_the_case_combo(window, qtbot):
    page = window.show_page("relief")
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReliefRequestDialog) and w.isVisible())
    qtbot.waitExposed(dialog)
    dialog.resize(900, 420)
    select(dialog.form.type, "emergency")
    assert dialog.form.subcase.isVisible() and dialog.form.subcase.count() > 2
    dialog.form.subcase.setCurrentIndex(1)
    check_wheel(dialog.scroll, dialog.form.subcase, qtbot)
    dialog._baseline = None


def test_the_app_installs_the_guard_once():
    app = app_module.make_app()
    app_module.make_app()
    assert len(app.findChildren(WheelGuard)) == 1
