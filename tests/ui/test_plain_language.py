"""Walking every page and dialog of the demo year as the admin, the clerk and a reviewer finds no
internal word: no policy key, English UI word, source path, database id, ISO/UTC time, quarter
code, format pattern, or login name where a person's name belongs.

Login names are shown on purpose only where the account itself is the subject: the user
management and audit pages, and the login dialog.
"""
from __future__ import annotations

import pytest

from zhibang_desktop.demo.office import DEMO_PASSWORD, DEMO_USERS
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.ui.app import make_app
from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.common.session import UiSession

from ..plain_language import findings
from .screen_texts import widget_texts
from .screen_walk import cancel_everything, walk

LOGINS = {username for username, _, _ in DEMO_USERS} | {"system"}
ACCOUNT_PAGES = ("用户管理", "审计日志")


@pytest.mark.parametrize("username", ["admin", "clerk", "reviewer"])
def test_no_internal_words_on_any_page_or_dialog(demo_db, username, qtbot, monkeypatch, boxes):
    make_app()  # Qt's own dialogs and buttons in Chinese, as in the real program
    ctx = AppContext(demo_db, users.authenticate(demo_db, username, DEMO_PASSWORD))
    boxes.answer = False  # every question answered "no": the walk changes nothing
    found: dict[tuple, str] = {}
    where = ["?"]

    def read(place: str, widget) -> None:
        for what, text in widget_texts(widget):
            allowed = place.startswith(ACCOUNT_PAGES) or "用户名" in what
            for f in findings(f"{place} {what}", text, LOGINS, login_allowed=allowed):
                found.setdefault((f.kind, f.word, place.split("/")[0].split("：")[0], what), str(f))

    cancel_everything(monkeypatch, read, where)
    window = MainWindow(UiSession(ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    walk(window, read, where)
    for kind, title, text, detail in boxes.shown:
        for f in findings(f"消息框“{title}”", f"{title} {text} {detail}", LOGINS):
            found.setdefault((f.kind, f.word, title), str(f))
    assert not found, "\n".join(sorted(found.values()))


@pytest.mark.parametrize("text, kind", [
    ("保存人 system", "login name"), ("经办人 clerk", "login name"), ("〔causes〕", "English word"),
    ("〔emergency.subcases.illness_surgery〕", "internal key"), ("household_year_caps", "internal key"),
    ("quarterly", "English word"), ("seeds/001_a2bf9c590569c23b.txt", "source path"),
    ("公示编号 5", "database id"), ("2026-Q4", "quarter code"), ("{prefix}{year}{seq:05d}", "format pattern"),
    ("自 2026-11-23T02:00:00+00:00 起", "ISO/UTC time"), ("Look in:", "English word"),
])
def test_the_finder_catches_each_kind_the_issue_names(text, kind):
    assert kind in {f.kind for f in findings("例", text, LOGINS)}


@pytest.mark.parametrize("text", [
    "当前用户：王建国（admin）", "经办人 陈晓", "2026年第四季度", "公示编号 GS2026-001", "批次 2026-Q1-01",
    "档案号 ZC202600001", "Ctrl+N 新建", "已保存到 /home/li/帮扶/名单.pdf", "上一页（Page Up）", "导出 Excel",
])
def test_the_finder_lets_plain_chinese_and_real_numbers_pass(text):
    assert findings("例", text, LOGINS) == []
