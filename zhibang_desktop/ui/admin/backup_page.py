"""备份与恢复: backup folder and retention, back up now, the list of backups, restore.

Construct with an `AppContext` or the main window's `UiSession`.

Restoring replaces the database file, which the main window holds open, so this page does
not restore by itself: after checking the file and asking for confirmation it emits
`restore_requested(path)`; the main window closes the database and calls
`ui.restore_flow.restore_with_progress` (close → restore → reopen → log in again).

On a server database (PostgreSQL) a backup is a pg_dump onto this PC, and a restore never
replaces the database in use: it loads the dump into an empty database the server's
administrator made, whose address the page asks for (services.admin.server_backup).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.admin import backup, settings
from ...services.admin.backup import BackupInfo
from ...services.admin.server_backup import restore_server
from ...services.errors import ServiceError
from ..common import messages
from ..common.executor import ChangeSummary
from ..common.labels import file_size
from ..common.worker import Cancelled, run_with_progress
from ..common.page import Page

HEADERS = ("备份时间", "类型", "大小", "文件")
FILE_NOTE = ("程序每天自动备份一次，关闭时也备份一次；超出保留份数的自动备份会被删除，手动备份不会被删除。"
             "建议把备份文件夹设在 U 盘或另一块硬盘上，并定期把 U 盘带离办公室保存。")
SERVER_NOTE = ("数据库在服务器“{server}”上。备份由本机运行 pg_dump 从服务器导出，保存到上面这个本机文件夹（.dump 文件，"
               "经 pg_restore 检查后才算完成）。每天第一位打开程序的管理员的电脑自动备份一次；超出保留份数的自动备份会被删除。"
               "恢复不会覆盖正在使用的数据库：请服务器管理员先新建一个空数据库，再恢复到它的地址。"
               "服务器本身的备份仍请按单位的制度由服务器管理员安排。")


class BackupPage(Page):
    """Signals: `restore_requested(str)` — the user confirmed restoring this file;
    `backup_done(object)` — a BackupInfo after a successful backup; `statusText(str)`."""

    restore_requested = Signal(str)
    backup_done = Signal(object)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.backups: list[BackupInfo] = []
        can_configure = self.ctx.actor.can("org.edit")
        self.can_restore = self.ctx.actor.can("backup.restore")

        title = QLabel("备份与恢复")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")

        # -- settings --
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.choose_button = QPushButton("选择文件夹…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.default_button = QPushButton("使用默认位置")
        self.default_button.clicked.connect(lambda: self.set_folder(""))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        folder_row.addWidget(self.default_button)
        self.keep_daily = QSpinBox()
        self.keep_daily.setRange(1, 365)
        self.keep_daily.setSuffix(" 份")
        self.keep_monthly = QSpinBox()
        self.keep_monthly.setRange(1, 120)
        self.keep_monthly.setSuffix(" 份")
        self.save_button = QPushButton("保存设置")
        self.save_button.clicked.connect(self.save_settings)
        retention = QHBoxLayout()
        retention.addWidget(QLabel("每日备份保留"))
        retention.addWidget(self.keep_daily)
        retention.addSpacing(16)
        retention.addWidget(QLabel("每月备份保留"))
        retention.addWidget(self.keep_monthly)
        retention.addStretch(1)
        retention.addWidget(self.save_button)
        settings_form = QFormLayout()
        settings_form.addRow("备份文件夹：", folder_row)
        settings_form.addRow("自动备份：", retention)
        self.on_server = self.ctx.db.path is None
        note = QLabel(SERVER_NOTE.format(server=self.ctx.db.location) if self.on_server else FILE_NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        settings_form.addRow("", note)
        if not can_configure:
            for w in (self.choose_button, self.default_button, self.keep_daily, self.keep_monthly, self.save_button):
                w.setEnabled(False)
            settings_form.addRow("", QLabel("（只有管理员可以修改备份设置）"))
        settings_box = QGroupBox("备份设置")
        settings_box.setLayout(settings_form)

        # -- backups --
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setStyleSheet("font-weight: bold; padding: 4px 16px;")
        self.backup_button.clicked.connect(self.backup_now)
        self.open_button = QPushButton("打开备份文件夹")
        self.open_button.clicked.connect(self.open_folder)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        self.last_label = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.backup_button)
        actions.addWidget(self.last_label, 1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.refresh_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.restore_button = QPushButton("从所选备份恢复…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("从其他备份文件恢复…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        restore_row.addStretch(1)
        if not self.can_restore:
            self.restore_file_button.setEnabled(False)
            restore_row.addWidget(QLabel("（只有管理员可以恢复备份）"))
        list_box = QGroupBox("备份文件")
        list_layout = QVBoxLayout(list_box)
        list_layout.addLayout(actions)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(restore_row)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(settings_box)
        layout.addWidget(list_box, 1)
        self.refresh()

    # -- data --
    def activated(self) -> None:
        self.refresh()

    def backup_folder(self) -> Path:
        return backup.backup_dir_for(self.ctx.db)

    def refresh(self) -> None:
        current = settings.get_settings(self.ctx)
        folder = self.backup_folder()
        self.folder.setText(str(folder))
        self.folder.setToolTip("默认位置：数据库所在文件夹下的 backups" if not current.backup_dir else "")
        self.keep_daily.setValue(int(current.keep_daily))
        self.keep_monthly.setValue(int(current.keep_monthly))
        self.backups = backup.list_backups(folder)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = (f"{b.created_at:%Y-%m-%d %H:%M:%S}", b.kind_label, file_size(b.size), b.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                self.table.setItem(row, col, item)
        if self.backups:
            newest = self.backups[0]
            self.last_label.setText(f"最近一次备份：{newest.created_at:%Y-%m-%d %H:%M}（{newest.kind_label}）")
        else:
            self.last_label.setText("此文件夹中还没有备份")
        if current.backup_dir and not folder.is_dir():
            self.last_label.setText(f"备份文件夹不存在（U 盘未插入？）：{folder}")
        self._update_buttons()
        self.set_status(f"备份文件夹：{folder}，共 {len(self.backups)} 份备份")

    def selected_backup(self) -> BackupInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.backups[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.can_restore and self.selected_backup() is not None)

    # -- settings --
    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择备份文件夹", self.folder.text())
        if chosen:
            self.set_folder(chosen)

    def set_folder(self, folder: str) -> bool:
        return self._save(backup_dir=folder)

    def save_settings(self) -> bool:
        return self._save(keep_daily=self.keep_daily.value(), keep_monthly=self.keep_monthly.value())

    def _save(self, **values) -> bool:
        try:
            settings.save_settings(self.ctx, replace(settings.get_settings(self.ctx), **values))
        except ServiceError as exc:
            messages.show_service_error(self, exc, "未保存")
            return False
        self.announce(ChangeSummary(settings=True))
        self.refresh()
        self.set_status("已保存备份设置")
        return True

    def open_folder(self) -> None:
        folder = self.backup_folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- backup --
    def backup_now(self) -> BackupInfo | None:
        try:
            info = run_with_progress(self, "备份", "正在备份并检查备份文件……",
                                     lambda progress, cancelled: backup.backup_now(
                                         self.ctx, progress=progress, cancelled=cancelled))
        except Cancelled:
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "备份失败")
            return None
        self.refresh()
        text = f"备份完成，已通过完整性检查：{info.path.name}（{file_size(info.size)}）"
        self.set_status(text)
        if info.note:
            messages.warn(self, "备份", text, info.note)
        self.backup_done.emit(info)
        return info

    # -- restore --
    def restore_selected(self) -> bool:
        chosen = self.selected_backup()
        return chosen is not None and self.confirm_restore(chosen.path)

    def restore_from_file(self) -> bool:
        kinds = "职帮服务器备份 (*.dump)" if self.on_server else "职帮备份 (*.sqlite3)"
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", self.folder.text(), f"{kinds};;所有文件 (*)")
        return bool(name) and self.confirm_restore(Path(name))

    def confirm_restore(self, path: Path) -> bool:
        """Check the file, ask, and emit `restore_requested`; True when emitted."""
        if not self.can_restore:
            messages.warn(self, "不能恢复", "只有管理员可以恢复备份。")
            return False
        if self.on_server:
            return self.restore_to_empty_database(path)
        check = backup.check_backup(path)
        if not check.ok:
            messages.warn(self, "不能用此文件恢复", check.message, str(path))
            return False
        facts = [f"备份文件：{path}"]
        if check.office_name:
            facts.append(f"单位：{check.office_name}")
        counts = [(check.households, "户档案"), (check.users, "个用户"), (check.audit_rows, "条审计记录")]
        facts.append("内容：" + "，".join(f"{n} {label}" for n, label in counts if n is not None))
        if check.needs_migration:
            facts.append("备份的数据库版本较旧，恢复时将自动升级。")
        text = ("用此备份替换当前数据库？\n\n当前数据库会先另存（文件名含 replaced 和时间），不会删除；"
                "备份之后录入的数据将不在恢复后的数据库中。程序会关闭数据库、恢复后重新打开，然后需要重新登录。")
        if not messages.ask(self, "确认恢复", text + "\n\n" + "\n".join(facts), yes="恢复", no="取消"):
            return False
        self.restore_requested.emit(str(path))
        return True

    def restore_to_empty_database(self, path: Path) -> bool:
        """Server mode: pg_restore `path` into an empty database whose address the user gives."""
        base, _, options = self.ctx.db.location.partition("?")  # TLS options stay
        suggested = f"{base}_restored" + (f"?{options}" if options else "")
        address, ok = QInputDialog.getText(
            self, "恢复到空数据库",
            f"备份文件：{path}\n\n恢复到哪个数据库？请填写服务器管理员新建的空数据库的地址（不会覆盖已有数据）：",
            text=suggested)
        if not ok or not address.strip():
            return False
        try:
            result = run_with_progress(self, "恢复", "正在用 pg_restore 恢复并检查审计链……",
                                       lambda progress, cancelled: restore_server(
                                           address.strip(), path, actor=self.ctx.actor, password=self.ctx.db.password))
        except Cancelled:
            return False
        except ServiceError as exc:
            messages.show_service_error(self, exc, "未恢复")
            return False
        messages.info(self, "恢复完成", f"已把备份恢复到“{result.db_path}”，审计链检查通过。"
                                        "要改用恢复的数据库，请退出后在启动时填写这个地址。")
        self.set_status(f"已恢复到 {result.db_path}")
        return True
