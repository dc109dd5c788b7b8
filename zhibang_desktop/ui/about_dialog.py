"""关于职帮: the version, the build date, where the data lives, and the parts this copy carries
with their licences (read from the installed packages, see build_info.py)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import build_info
from ..services.admin import backup
from ..services.errors import ServiceError
from .common.session import UiSession


def _path_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AboutDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("关于职帮")
        self.resize(760, 560)
        db = session.ctx.db
        built = build_info.build_date()

        form = QFormLayout()
        title = QLabel("职帮 — 县区工会困难职工帮扶管理（离线桌面版）")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.version_label = QLabel(build_info.version())
        self.build_label = QLabel(built if built else "从源代码运行（未打包）")
        db_path = Path(db.path) if db.path is not None else None
        self.db_label = _path_label(str(db_path) if db_path else "服务器数据库")
        self.folder_label = _path_label(str(db_path.parent) if db_path else "服务器数据库")
        try:
            backups = str(backup.backup_dir_for(db))
        except ServiceError as exc:
            backups = str(exc)
        self.backup_label = _path_label(backups)
        form.addRow("版本：", self.version_label)
        form.addRow("构建日期：", self.build_label)
        form.addRow("数据库文件：", self.db_label)
        form.addRow("数据文件夹：", self.folder_label)
        form.addRow("备份文件夹：", self.backup_label)

        self.components = build_info.components()
        self.table = QTableWidget(len(self.components), 3)
        self.table.setHorizontalHeaderLabels(["随附组件", "版本", "许可证"])
        # Third-party names and licence titles, as their authors wrote them
        self.table.setProperty("rawText", True)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        for row, part in enumerate(self.components):
            for col, text in enumerate((part.name, part.version, part.licence)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setProperty("rawText", True)  # a licence's own text, usually in English
        self.licence_text.setPlaceholderText("选中上面的组件，这里显示它的许可证全文。")
        self.table.currentCellChanged.connect(lambda row, *_: self._show_licence(row))

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.licence_text)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(QLabel("本程序随附以下组件，各自按其许可证发布："))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.components:
            self.table.selectRow(0)

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(self.components):
            part = self.components[row]
            text = part.licence_text()
            self.licence_text.setPlainText(text or f"{part.name} 未随附许可证文件，其许可证为：{part.licence}")
