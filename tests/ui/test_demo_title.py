"""The demo database says so in the title bar: it must never pass for a real office."""
from __future__ import annotations

from zhibang_desktop.services.admin.settings import DEMO_BANNER

from .waiting import settle


def test_the_demo_is_marked_in_the_title_bar(window):
    assert window.windowTitle() == f"职帮 — 增城区总工会（{DEMO_BANNER}）"


def test_a_real_office_has_its_plain_title(demo_db, clerk, qtbot):
    from zhibang_desktop.storage.models import Setting
    from zhibang_desktop.ui.common.session import UiSession
    from zhibang_desktop.ui.main_window import MainWindow

    with demo_db.session() as s:
        s.delete(s.get(Setting, "demo_data"))
    window = MainWindow(UiSession(clerk))
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "职帮 — 增城区总工会"
    settle(qtbot, window)  # the pages' first queries, before the database closes
