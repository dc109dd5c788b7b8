"""The demo database says so in the title bar: it must never pass for a real office."""
from __future__ import annotations

from zhibang_desktop.services.admin.settings import DEMO_BANNER


def test_the_demo_is_marked_in_the_title_bar(window):
    assert window.windowTitle() == f"职帮 — 增城区总工会（{DEMO_BANNER}）"


def test_a_real_office_has_its_plain_title(window, demo_db):
    from zhibang_desktop.storage.models import Setting

    with demo_db.session() as s:
        s.delete(s.get(Setting, "demo_data"))
    window._refresh_title()
    assert window.windowTitle() == "职帮 — 增城区总工会"
