"""Every page of the demo year, as the administrator, a clerk and a reviewer: every enabled button, menu
action and shortcut, on every page and on every dialog and window they open (recursively, see
crawler.py). A slot that raises — e.g. clicked(bool) reaching a slot whose first parameter is a
path — fails this test with the clicks that led to it.
"""
from __future__ import annotations

import pytest

from zhibang_desktop import demo
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.ui.common import messages
from zhibang_desktop.ui.main_window import MainWindow
from zhibang_desktop.ui.common.session import UiSession

from .crawler import Crawler

ENDS_THE_SESSION = ("注销(L)", "退出(Q)")  # triggered last, on their own
DECLINED = ("确认恢复",)  # restoring a backup replaces the database under the crawler


@pytest.mark.parametrize("username", ["admin", "clerk", "reviewer"])
def test_every_button_action_and_shortcut_runs_without_an_exception(username, demo_db, qtbot, monkeypatch,
                                                                    tmp_path, boxes):
    session = UiSession(AppContext(demo_db, users.authenticate(demo_db, username, demo.DEMO_PASSWORD)))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)

    def ask(parent, title, text, yes="是", no="否", default_yes=False):
        boxes.shown.append(("ask", title, text, ""))
        return title not in DECLINED

    monkeypatch.setattr(messages, "ask", ask)
    files = tmp_path / "files"
    files.mkdir()
    crawler = Crawler(qtbot, files, max_depth=4, budget_s=200, skip=ENDS_THE_SESSION, executor=session.executor)
    crawler.install(monkeypatch)

    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        crawler.explore(window.current_page(), f"页面“{window.nav.item(row).text()}”")
    crawler.explore(window, "主窗口")
    for text in ENDS_THE_SESSION:
        action = next(a for a in window.findChildren(type(window.new_action)) if a.text().replace("&", "") == text)
        with qtbot.captureExceptions() as raised:
            action.trigger()
        assert not raised, f"{text}: {raised}"

    assert not crawler.failures, "\n\n".join(map(str, crawler.failures))
    assert not crawler.out_of_time, f"not reached within the time bound: {crawler.out_of_time[:10]}"
    if username == "clerk":  # the clerk holds payout.manage: the batch page's file commands ran
        for text in ("导出银行代发文件…", "导入银行回执…", "打印签领表…"):
            assert any(text in c for c in crawler.clicked), text
    assert len(crawler.clicked) > 50
