"""备份与恢复 page, the restore flow (close → restore → reopen) and the automatic backups."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from zhibang_desktop.services.admin import audit, backup, org, settings, users
from zhibang_desktop.services import session as session_service
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.demo.office import DEMO_PASSWORD
from zhibang_desktop.storage.models import Household
from zhibang_desktop.ui.login import restore_flow
from zhibang_desktop.ui.admin.auto_backup import AutoBackup
from zhibang_desktop.ui.admin.backup_page import BackupPage

from ..waiting import click, click_row

# the local file: its folder beside the database, its restore that replaces it (the server page is
# tested in test_backup_page_backends.py)
pytestmark = pytest.mark.sqlite_only


def make_page(ctx, qtbot) -> BackupPage:
    page = BackupPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


def households(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Household)).scalar_one()


def test_backup_now_lists_the_file(admin, qtbot):
    page = make_page(admin, qtbot)
    assert page.table.rowCount() == 0 and "还没有备份" in page.last_label.text()
    assert page.folder.text() == str(backup.default_backup_dir(admin.db.path))
    with qtbot.waitSignal(page.backup_done) as signal:
        click(qtbot, page.backup_button)
    info = signal.args[0]
    assert info.verified
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "手动" and page.table.item(0, 3).text() == info.path.name
    assert "最近一次备份" in page.last_label.text()


def choose_in_file_dialog(monkeypatch, kind: str, answer) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, kind, staticmethod(lambda *a, **k: answer))


def test_folder_and_retention_settings(admin, qtbot, tmp_path, monkeypatch):
    page = make_page(admin, qtbot)
    stick = tmp_path / "U盘"
    choose_in_file_dialog(monkeypatch, "getExistingDirectory", str(stick))
    click(qtbot, page.choose_button)
    assert page.folder.text() == str(stick)
    assert settings.get_settings(admin).backup_dir == str(stick)
    page.keep_daily.setValue(3)
    page.keep_monthly.setValue(6)
    click(qtbot, page.save_button)
    saved = settings.get_settings(admin)
    assert (saved.backup_dir, saved.keep_daily, saved.keep_monthly) == (str(stick), 3, 6)
    with qtbot.waitSignal(page.backup_done):
        click(qtbot, page.backup_button)
    assert list(stick.glob("zhibang-*.sqlite3"))
    click(qtbot, page.default_button)
    assert page.folder.text() == str(backup.default_backup_dir(admin.db.path))
    assert settings.get_settings(admin).backup_dir == ""


def test_cancelling_the_folder_dialog_changes_nothing(admin, qtbot, monkeypatch):
    page = make_page(admin, qtbot)
    before = page.folder.text()
    choose_in_file_dialog(monkeypatch, "getExistingDirectory", "")
    click(qtbot, page.choose_button)
    assert page.folder.text() == before and settings.get_settings(admin).backup_dir == ""


def test_backups_are_the_admins_a_clerk_has_no_backup_page(clerk, admin):
    """Issue 10: a backup holds every household and the password hashes; clerks could write one
    anywhere. The page is the admin's; the automatic backups still run (as the system)."""
    from zhibang_desktop.services.errors import PermissionDenied
    from zhibang_desktop.ui.navigation import pages_for

    assert "backup" not in [spec.key for spec, _ in pages_for(clerk.actor)]
    assert "backup" in [spec.key for spec, _ in pages_for(admin.actor)]
    with pytest.raises(PermissionDenied, match="备份"):
        backup.backup_now(clerk)


def test_restore_asks_and_emits(admin, qtbot, boxes):
    page = make_page(admin, qtbot)
    with qtbot.waitSignal(page.backup_done) as made:
        click(qtbot, page.backup_button)
    info = made.args[0]
    assert not page.restore_button.isEnabled()  # nothing chosen yet
    click_row(qtbot, page.table, 0)
    assert page.restore_button.isEnabled()
    boxes.answer = False
    with qtbot.assertNotEmitted(page.restore_requested):
        click(qtbot, page.restore_button)
    assert boxes.shown[-1][0] == "ask"
    boxes.answer = True
    with qtbot.waitSignal(page.restore_requested) as signal:
        click(qtbot, page.restore_button)
    assert signal.args == [str(info.path)]
    question = boxes.shown[-1]
    assert question[0] == "ask" and "另存" in question[2] and "重新登录" in question[2]
    assert "户档案" in question[2]


def test_restore_refuses_a_bad_file(admin, qtbot, boxes, tmp_path, monkeypatch):
    page = make_page(admin, qtbot)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    choose_in_file_dialog(monkeypatch, "getOpenFileName", (str(bad), ""))
    with qtbot.assertNotEmitted(page.restore_requested):
        click(qtbot, page.restore_file_button)
    assert boxes.shown[-1][0] == "warn" and "不是职帮数据库" in boxes.shown[-1][2]


def test_close_restore_reopen(admin, qtbot):
    db = admin.db
    before = households(db)
    info = backup.backup_now(admin)
    district = next(u.id for u in org.list_units(admin) if u.level == "district")
    org.add_unit(admin, "备份之后新增的工会", "grassroots", district)
    outcome = session_service.close_restore_reopen(db, info.path, admin.actor)
    assert outcome.restored and outcome.db is not db
    try:
        restored = AppContext(outcome.db, users.authenticate(outcome.db, "admin", DEMO_PASSWORD))
        assert households(outcome.db) == before
        assert "备份之后新增的工会" not in {u.name for u in org.list_units(restored)}
        assert outcome.result.replaced_path.exists()
        assert "请重新登录" in restore_flow.result_text(outcome.result)
        rows = audit.query_audit(restored, action="restore").rows
        assert rows and rows[0].username == "admin"
    finally:
        outcome.db.close()


def test_close_restore_reopen_refused_keeps_the_database_open(clerk, qtbot, tmp_path):
    info = backup.backup_now(clerk.db)
    outcome = session_service.close_restore_reopen(clerk.db, info.path, clerk.actor)
    assert not outcome.restored and "恢复备份" in outcome.error
    assert outcome.db is clerk.db and households(clerk.db) > 0  # never closed


def test_restore_with_progress(admin, qtbot, boxes):
    info = backup.backup_now(admin)
    new_db = restore_flow.restore_with_progress(None, admin.db, info.path, admin.actor)
    try:
        assert new_db is not None and households(new_db) > 0
        assert boxes.shown[-1][0] == "info" and "重新登录" in boxes.shown[-1][3]
    finally:
        new_db.close()


def test_auto_backup(admin, qtbot):
    auto = AutoBackup(admin.db)
    assert backup.due_daily_backup(admin.db)
    with qtbot.waitSignal(auto.backup_done, timeout=30000) as signal:
        assert auto.check()
    assert signal.args[0].kind == "daily"
    assert not backup.due_daily_backup(admin.db)
    assert not auto.check()  # once a day
    info = auto.backup_on_close()
    assert info is not None and info.kind == "on_close"
    # Rotation keeps the newest automatic backup of each day: the closing one replaces the daily one.
    kinds = [b.kind for b in backup.list_backups(backup.default_backup_dir(admin.db.path))]
    assert kinds == ["on_close"]


@pytest.mark.parametrize("kind", ["daily"])
def test_auto_backup_failure_is_reported(admin, qtbot, tmp_path, kind, monkeypatch):
    auto = AutoBackup(admin.db)

    def broken(*args, **kwargs):
        raise backup.BackupError("备份文件夹不可写")

    monkeypatch.setattr(backup, "backup_now", broken)
    with qtbot.waitSignal(auto.backup_failed, timeout=30000) as signal:
        auto.check()
    assert "自动备份失败" in signal.args[0]
    with qtbot.waitSignal(auto.backup_failed):
        assert auto.backup_on_close() is None


def test_the_app_session_starts_auto_backup_and_backs_up_on_close(clerk, qtbot, monkeypatch):
    """run_gui's main-window session (ui/app.py) starts the daily timer, and closing the window
    makes the closing backup (audited). Fails if either piece of wiring is dropped."""
    from PySide6.QtWidgets import QApplication

    from zhibang_desktop.ui import app as app_module
    from zhibang_desktop.ui.main_window import MainWindow

    qapp = QApplication.instance()
    seen = []

    def fake_exec():  # instead of the event loop: look at the window, then close it as the user would
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.append(window.auto_backup is not None and window.auto_backup.timer.isActive())
        window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    monkeypatch.setattr(MainWindow, "showMaximized", MainWindow.show)
    folder = backup.default_backup_dir(clerk.db.path)
    assert backup.list_backups(folder) == []
    assert app_module._main_window_session(qapp, clerk.db, clerk.actor) is None
    assert seen == [True]
    made = backup.list_backups(folder)
    assert [b.kind for b in made] == ["on_close"]
    row = audit.query_audit(AppContext(clerk.db, users.authenticate(clerk.db, "admin", DEMO_PASSWORD)),
                            action="backup", limit=1).rows[0]
    assert "关闭时备份" in row.summary and made[0].path.name in row.summary



def test_closing_lets_a_save_in_flight_finish_and_backs_it_up(clerk, qtbot):
    """The user closes the window while a save still runs on the thread pool: the window waits
    for it, so it is committed and in the closing backup (before, the backup was taken under it
    and the database could be closed before it committed)."""
    import threading
    import time
    from dataclasses import replace

    from zhibang_desktop.services.context import SYSTEM
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.ui.common.session import UiSession
    from zhibang_desktop.ui.main_window import MainWindow

    window = MainWindow(UiSession(clerk))
    qtbot.addWidget(window)
    window.enable_auto_backup()
    window.show()
    system = AppContext(clerk.db, SYSTEM)
    before = settings.get_settings(system)
    started = threading.Event()

    def slow_save():
        started.set()
        time.sleep(0.5)
        settings.save_settings(system, replace(before, region=before.region + "（关闭前保存）"))

    window.session.executor.run(slow_save)
    assert started.wait(5)
    window.close()
    assert settings.get_settings(system).region == before.region + "（关闭前保存）"
    [made] = backup.list_backups(backup.default_backup_dir(clerk.db.path))
    copy = open_database(made.path, migrate=False, take_lock=False, create=False)
    try:
        assert settings.get_settings(AppContext(copy, SYSTEM)).region == before.region + "（关闭前保存）"
    finally:
        copy.close()

def test_start_up_with_a_damaged_database_offers_the_newest_good_backup(admin, qtbot, monkeypatch, boxes):
    """ui/app.open_or_explain: quick_check fails → the newest good backup is offered; accepting
    restores it, the damaged file is kept byte for byte and the database opens."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

    from zhibang_desktop.ui import app as app_module
    from zhibang_desktop.ui.login.restore_login_dialog import RestoreLoginDialog

    path = admin.db.path
    good = backup.backup_now(admin.db, kind="daily")
    n = households(admin.db)
    admin.db.close()
    data = bytearray(path.read_bytes())
    for i in range(2 * 4096 + 40, min(len(data), 10 * 4096), 5):
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    offered = []

    def click_restore(box):
        offered.append(box.text() + box.informativeText())
        next(b for b in box.buttons() if b.text() == "从该备份恢复").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_restore)
    tries = [("clerk", DEMO_PASSWORD), ("admin", "wrong-password1"), ("nobody", DEMO_PASSWORD), ("admin", DEMO_PASSWORD)]
    errors = []

    def sign_in(dialog):
        """The administrator must sign in: a clerk, a wrong password and an unknown name are refused first."""
        for name, password in tries:
            dialog.username.clear()
            qtbot.keyClicks(dialog.username, name)
            qtbot.keyClicks(dialog.password, password)
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
            if dialog.result() == QDialog.Accepted:
                return QDialog.Accepted
            errors.append(dialog.error.text())
        return QDialog.Rejected

    monkeypatch.setattr(RestoreLoginDialog, "exec", sign_in)
    db = app_module.open_or_explain(path)
    assert db is not None
    try:
        assert "不会修改" in offered[0] and str(good.path) in offered[0]
        assert "恢复备份" in errors[0] and errors[1] == errors[2] == "用户名或密码错误"
        assert households(db) == n
        kept = list(path.parent.glob(f"{path.stem}.replaced-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == damaged
        assert boxes.shown[-1][1] == "恢复完成"
        admin_ctx = AppContext(db, users.authenticate(db, "admin", DEMO_PASSWORD))
        restored = audit.query_audit(admin_ctx, action="restore", limit=1).rows[0]
        assert restored.username == "admin"  # before: recorded as "system", with no login at all
    finally:
        db.close()


def test_closing_waits_for_a_daily_backup_still_running(admin, qtbot, monkeypatch):
    import time

    real, order = backup.backup_now, []

    def slow(db, *args, kind="manual", **kwargs):
        if kind == "daily":
            time.sleep(0.5)
        info = real(db, *args, kind=kind, **kwargs)
        order.append(kind)
        return info

    monkeypatch.setattr(backup, "backup_now", slow)
    auto = AutoBackup(admin.db)
    assert auto.check()
    info = auto.backup_on_close()  # at once, while the daily one is still sleeping
    assert info is not None and order == ["daily", "on_close"]
