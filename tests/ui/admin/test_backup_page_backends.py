"""备份与恢复 and the automatic backups on whichever database the tests run against: the demo
SQLite file, or the PostgreSQL server when ZHIBANG_TEST_PG is set (pg_dump / pg_restore)."""
from __future__ import annotations

import uuid

import pytest
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import func, select

from tests import pg_backend
from zhibang_desktop.services.admin import audit, backup
from zhibang_desktop.storage.database import open_database
from zhibang_desktop.storage.models import Household
from zhibang_desktop.ui.admin import backup_page
from zhibang_desktop.ui.admin.auto_backup import AutoBackup

from ..waiting import click, click_row
from .test_backup_page import make_page


@pytest.fixture
def page(admin, qtbot, platformdirs_isolated):  # a server's backups go to this user's data folder
    return make_page(admin, qtbot)


def suffix(db) -> str:
    return ".sqlite3" if db.is_sqlite else ".dump"


def test_the_page_says_where_backups_go_and_the_button_makes_a_checked_one(page, admin, qtbot):
    folder = backup.backup_dir_for(admin.db)
    assert page.folder.text() == str(folder) and page.table.rowCount() == 0
    notes = " ".join(label.text() for label in page.findChildren(backup_page.QLabel))
    if admin.db.is_sqlite:
        assert folder == backup.default_backup_dir(admin.db.path) and "关闭时也备份" in notes
    else:
        assert folder.name == f"backups-{admin.db.engine.url.database}"
        assert "pg_dump" in notes and admin.db.location in notes and "空数据库" in notes
    with qtbot.waitSignal(page.backup_done, timeout=120000) as done:
        click(qtbot, page.backup_button)
    info = done.args[0]
    assert info.verified and info.path.parent == folder and info.path.suffix == suffix(admin.db)
    assert page.table.rowCount() == 1 and page.table.item(0, 3).text() == info.path.name
    assert page.table.item(0, 1).text() == "手动" and "最近一次备份" in page.last_label.text()
    recorded = audit.query_audit(admin, action="backup").rows
    assert recorded and info.path.name in recorded[0].summary and audit.verify_chain(admin).ok


def test_the_daily_automatic_backup_once_a_day(admin, qtbot, platformdirs_isolated):
    auto = AutoBackup(admin.db, server_daily=True)
    assert backup.due_daily_backup(admin.db)
    with qtbot.waitSignal(auto.backup_done, timeout=120000) as done:
        assert auto.check()
    info = done.args[0]
    assert info.kind == "daily" and info.path.suffix == suffix(admin.db)
    assert not backup.due_daily_backup(admin.db) and not auto.check()  # once a day
    listed = backup.list_backups(backup.backup_dir_for(admin.db))
    assert [(b.kind, b.path) for b in listed] == [("daily", info.path)]
    closing = auto.backup_on_close()
    assert (closing is None) == (not admin.db.is_sqlite)  # a server is not dumped at every close


@pytest.mark.server_only
def test_a_server_without_an_administrators_pc_makes_no_automatic_backup(admin):
    assert not AutoBackup(admin.db).check()  # a clerk's PC (server_daily not set)


@pytest.mark.server_only
def test_restore_on_a_server_goes_into_an_empty_database_whose_address_is_asked(page, admin, qtbot, boxes,
                                                                                    monkeypatch, request):
    name = f"zt_{uuid.uuid4().hex[:16]}"
    target = pg_backend.create_database(name)
    request.addfinalizer(lambda: pg_backend.drop_database(name))
    asked = []

    def get_text(parent, title, label, text=""):
        asked.append((title, label, text))
        return target, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    with qtbot.waitSignal(page.backup_done, timeout=120000):
        click(qtbot, page.backup_button)
    click_row(qtbot, page.table, 0)
    click(qtbot, page.restore_button)
    assert asked and asked[0][0] == "恢复到空数据库" and asked[0][2].endswith("_restored")
    assert boxes.shown[-1][:2] == ("info", "恢复完成"), boxes.shown
    restored = open_database(target)
    try:
        with restored.session() as s, admin.db.session() as live:
            count = select(func.count()).select_from(Household)
            assert s.execute(count).scalar_one() == live.execute(count).scalar_one() > 0
    finally:
        restored.close()
    click(qtbot, page.restore_button)  # the same address again: it holds data now, refused
    assert boxes.shown[-1][1] == "未恢复" and "空数据库" in boxes.shown[-1][2]
