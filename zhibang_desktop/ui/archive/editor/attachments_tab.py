"""附件: scans and photos kept in the database, with their sha256; open, add, remove."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....services import archive
from ....services.archive.types import HouseholdView
from ....services.errors import ServiceError
from ...common import labels, messages

HEADERS = ("文件名", "类别", "大小", "SHA-256", "添加时间", "添加人", "说明")
WIDTHS = (200, 90, 70, 170, 130, 70)
KINDS = ("", "身份证", "户口本", "收入证明", "低保证", "病历/诊断证明", "残疾证", "入户核查照片", "申请书", "其他")
FILE_FILTER = "常见附件 (*.pdf *.jpg *.jpeg *.png *.bmp *.tif *.tiff *.doc *.docx *.xls *.xlsx);;所有文件 (*)"

_temp_dir: Path | None = None


def temp_dir() -> Path:
    """A private folder for opened attachments, removed when the program exits."""
    global _temp_dir
    if _temp_dir is None:
        _temp_dir = Path(tempfile.mkdtemp(prefix="zhibang-"))
        atexit.register(shutil.rmtree, _temp_dir, True)
    return _temp_dir


class AttachmentsTab(QWidget):
    changed = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.household_id: int | None = None
        self.note = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        for i, width in enumerate(WIDTHS):
            self.table.setColumnWidth(i, width)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.open_selected())
        self.kind = QComboBox(editable=True)
        self.kind.addItems(KINDS)
        self.kind.setMinimumWidth(130)
        self.kind_note = QLineEdit(placeholderText="说明（可不填）")
        self.add_button = QPushButton("添加文件…")
        self.open_button = QPushButton("打开")
        self.remove_button = QPushButton("删除")
        for b in (self.add_button, self.open_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("类别："))
        bar.addWidget(self.kind)
        bar.addWidget(self.kind_note, 1)
        bar.addWidget(self.add_button)
        bar.addSpacing(20)
        bar.addWidget(self.open_button)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def load(self, view: HouseholdView | None) -> None:
        self.household_id = view.id if view else None
        items = view.attachments if view else ()
        self.table.setRowCount(len(items))
        for row, a in enumerate(items):
            cells = (a.filename, a.kind, labels.file_size(a.size), a.sha256, labels.moment(a.added_at),
                     a.added_by, a.note)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(a.sha256 if col == 3 else text)
                if col == 0:
                    item.setData(Qt.UserRole, a.id)
                if col == 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        can_edit = view is not None and self.session.can("archive.edit")
        self.add_button.setEnabled(can_edit)
        self.remove_button.setEnabled(can_edit)
        self.open_button.setEnabled(bool(items))
        self.note.setText("保存档案后才能添加附件。" if view is None else
                          f"共 {len(items)} 个附件。附件保存在数据库中，随数据库一起备份；SHA-256 用于核对文件未被改动。")

    def _selected_id(self) -> int | None:
        row = self.table.currentRow()
        return self.table.item(row, 0).data(Qt.UserRole) if row >= 0 else None

    def add_files(self) -> None:
        if self.household_id is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "选择附件", "", FILE_FILTER)
        added = 0
        for path in paths:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                messages.warn(self, "无法读取文件", f"无法读取“{path}”：{exc.strerror or exc}")
                continue
            if self.add_bytes(Path(path).name, data):
                added += 1
        if added:
            self.changed.emit()

    def add_bytes(self, filename: str, data: bytes) -> bool:
        result = messages.guarded(self, archive.add_attachment, self.session.ctx, self.household_id, filename, data,
                                  kind=self.kind.currentText().strip(), note=self.kind_note.text().strip(),
                                  title="无法添加附件")
        return result is not None

    def open_selected(self) -> None:
        attachment_id = self._selected_id()
        if attachment_id is None:
            messages.info(self, "打开附件", "请先选择一个附件。")
            return
        try:
            filename, data = archive.attachment_content(self.session.ctx, attachment_id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法打开附件")
            return
        folder = temp_dir() / str(attachment_id)
        folder.mkdir(exist_ok=True)
        path = folder / filename
        path.write_bytes(data)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            messages.warn(self, "无法打开附件", f"系统中没有能打开“{filename}”的程序。", f"文件已保存在：{path}")

    def remove_selected(self) -> None:
        attachment_id = self._selected_id()
        if attachment_id is None:
            return
        name = self.table.item(self.table.currentRow(), 0).text()
        if not messages.ask(self, "删除附件", f"确定删除附件“{name}”吗？删除会记入变更记录。"):
            return
        try:
            archive.remove_attachment(self.session.ctx, attachment_id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法删除附件")
            return
        self.changed.emit()
