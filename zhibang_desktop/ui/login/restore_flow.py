"""Restoring a backup from the GUI: close the database, restore, reopen.

`services.admin.backup.restore` refuses while the database is open (it takes the writer
lock), so the page that offers a restore only emits `BackupPage.restore_requested(path)`; the
main window, which owns the `Database`, handles it:

    def on_restore_requested(self, path):
        new_db = restore_flow.restore_with_progress(self, self.session.ctx.db, path, self.session.actor)
        if new_db is not None:        # restored: the users are those of the backup now
            ...close the pages, drop the UiSession, show LoginDialog(new_db) again...

`services.session.close_restore_reopen` does the work without any dialog. If the restore is
refused (a bad file, no permission) the original database is reopened unchanged.

At start-up, when `open_office_database` raises `DatabaseCorrupt`, `offer_restore_for_damaged`
explains the damage and offers the newest good backup (or another file); the damaged
file is kept as `<name>.replaced-….sqlite3`, never deleted. An administrator signs in first
(`RestoreLoginDialog`): the restore is recorded under that name, never as the system.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from ...services.admin import backup
from ...services.admin.backup import RestoreResult
from ...services.context import Actor
from ...services.errors import ServiceError
from ...services.session import Database, close_restore_reopen, restore_damaged as restore_damaged_database
from ..common import messages


def result_text(result: RestoreResult) -> str:
    lines = [f"已从备份恢复：{result.backup_file}"]
    if result.replaced_path is not None:
        lines.append(f"原数据库已另存为：{result.replaced_path}")
    if result.migrated:
        lines.append("备份的数据库版本较旧，已自动升级。")
    lines.append("恢复后的用户和密码与备份时相同，请重新登录。")
    return "\n".join(lines)


def restore_with_progress(parent: QWidget | None, db: Database, backup_file: str | Path,
                          actor: Actor) -> Database | None:
    """The GUI flow: returns the reopened database after a restore, None if nothing was restored
    (then `db` is still open and unchanged — or reopened unchanged if the restore failed late)."""
    from ..common.worker import run_with_progress

    try:
        outcome = run_with_progress(parent, "恢复备份", "正在检查备份并恢复数据库，请稍候……",
                                    lambda progress, cancelled: close_restore_reopen(db, backup_file, actor),
                                    cancellable=False)
    except Exception as exc:  # noqa: BLE001 — reopening failed: say so, nothing was deleted
        messages.error(parent, "恢复失败", f"恢复后无法打开数据库：{exc}",
                       "原数据库文件已另存保留（*.replaced-*.sqlite3），请联系技术支持。")
        return None
    if not outcome.restored:
        messages.warn(parent, "未恢复", outcome.error)
        if outcome.db is not db:
            return outcome.db  # the same file, reopened unchanged: the caller must use this one
        return None
    messages.info(parent, "恢复完成", "数据库已恢复。", result_text(outcome.result))
    return outcome.db


def offer_restore_for_damaged(parent: QWidget | None, db_path: str | Path, error: str) -> Database | None:
    """Start-up with a damaged database: explain, offer the newest good backup; None to quit."""
    db_path = Path(db_path)
    folders = backup.backup_dirs_for_path(db_path)
    newest = None
    for folder in folders:
        found = backup.newest_good_backup(folder)
        if found is not None and (newest is None or found.created_at > newest.created_at):
            newest = found
    box = QMessageBox(QMessageBox.Critical, "数据库已损坏", error, QMessageBox.NoButton, parent)
    restore_button = None
    if newest is not None:
        box.setInformativeText(
            f"找到最近的完好备份：{newest.created_at:%Y-%m-%d %H:%M}（{newest.kind_label}）\n{newest.path}\n\n"
            "恢复后，损坏的数据库会另存保留，不会删除。备份之后录入的数据需要重新录入。")
        restore_button = box.addButton("从该备份恢复", QMessageBox.AcceptRole)
    else:
        box.setInformativeText("在备份文件夹中没有找到完好的备份：" + "；".join(str(f) for f in folders))
    other_button = box.addButton("选择其他备份文件…", QMessageBox.ActionRole)
    quit_button = box.addButton("退出", QMessageBox.RejectRole)
    box.setDefaultButton(restore_button or quit_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore_button and newest is not None:
        chosen = newest.path
    elif clicked is other_button:
        start = str(folders[0] if folders and folders[0].is_dir() else db_path.parent)
        name, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", start, "职帮备份 (*.sqlite3);;所有文件 (*)")
        if not name:
            return None
        chosen = Path(name)
    else:
        return None
    return restore_damaged(parent, db_path, chosen)


def restore_damaged(parent: QWidget | None, db_path: Path, backup_file: Path,
                    actor: Actor | None = None) -> Database | None:
    """The damaged database cannot run the normal login: an administrator signs in against its
    users (or the backup's) first, and the restore is recorded under that name."""
    if actor is None:
        from .restore_login_dialog import RestoreLoginDialog

        dialog = RestoreLoginDialog(db_path, backup_file, parent)
        if dialog.exec() != QDialog.Accepted or dialog.actor is None:
            return None
        actor = dialog.actor
    try:
        db, result = restore_damaged_database(db_path, backup_file, actor)
    except ServiceError as exc:
        messages.error(parent, "未恢复", str(exc))
        return None
    except Exception as exc:  # noqa: BLE001
        messages.error(parent, "恢复失败", str(exc))
        return None
    messages.info(parent, "恢复完成", "数据库已恢复。", result_text(result))
    return db
