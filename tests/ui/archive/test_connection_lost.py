"""The database goes away in the middle of a save (the server's connection is cut; on SQLite the
disk fails under the write): a clear Chinese message, the form keeps what was typed, nothing
of the save is stored, and pressing 保存 again saves exactly what was typed.

Runs on the demo SQLite file, and against the PostgreSQL server when ZHIBANG_TEST_PG is set
(the connection is then really ended by the server, with pg_terminate_backend)."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from sqlalchemy import event, text

from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import audit

from ..waiting import click
from .test_household_editor import open_first


def cut_the_next_household_update(db):
    """Arm a one-shot failure of the next UPDATE of a household, as the server or the disk would fail it."""
    armed = [True]

    @event.listens_for(db.engine, "before_cursor_execute")
    def fail(conn, _cursor, statement, *_):
        if not (armed[0] and statement.startswith("UPDATE households")):
            return
        armed[0] = False
        if db.is_sqlite:
            raise sqlite3.OperationalError("disk I/O error")
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    return armed, lambda: event.remove(db.engine, "before_cursor_execute", fail)


def test_a_save_cut_off_keeps_the_form_and_a_retry_saves_it(window, qtbot, clerk, demo_db, admin, boxes):
    editor = open_first(window, qtbot, "active")
    hid = editor.household_id
    before = archive.get_household(clerk, hid)
    chain_before = audit.verify_chain(admin).rows
    editor.basic.phone.setFocus()
    editor.basic.phone.selectAll()
    qtbot.keyClicks(editor.basic.phone, "13922223333")
    editor.basic.remarks.setFocus()
    qtbot.keyClicks(editor.basic.remarks, "call back on 12-05")
    armed, disarm = cut_the_next_household_update(demo_db)
    try:
        click(qtbot, editor.save_button)
    finally:
        disarm()
    assert not armed[0]
    kind, title, message, _ = boxes.shown[-1]
    assert title == "未保存" and "本次操作未保存" in message and "已全部撤销" in message, boxes.shown
    if not demo_db.is_sqlite:
        assert "与数据库服务器的连接中断" in message and "再点一次保存" in message
    # the form keeps what was typed; nothing of the save reached the database
    assert editor.basic.phone.text() == "13922223333"
    assert "call back on 12-05" in editor.basic.remarks.toPlainText() and editor.is_dirty()
    stored = archive.get_household(clerk, hid)
    assert (stored.version, stored.data.phone, stored.data.remarks) == (before.version, before.data.phone,
                                                                        before.data.remarks)
    assert audit.verify_chain(admin).rows == chain_before
    click(qtbot, editor.save_button)  # the retry
    saved = archive.get_household(clerk, hid)
    assert saved.data.phone == "13922223333" and "call back on 12-05" in saved.data.remarks
    assert saved.version == before.version + 1 and not editor.is_dirty()
    assert audit.verify_chain(admin).ok
