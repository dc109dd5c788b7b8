"""The yearly 低保 and 低收入 standards (yuan per person per month), one row per year."""
from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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

from ...domain import clock
from ...services.admin import settings
from ...services.errors import ServiceError
from ..common import labels, messages


class StandardDialog(QDialog):
    def __init__(self, year: int, dibao_fen: int | None, low_fen: int | None, parent: QWidget | None = None,
                 fixed_year: bool = False):
        super().__init__(parent)
        self.setWindowTitle("修改年度标准" if fixed_year else "新增年度标准")
        self.year = QSpinBox(minimum=2000, maximum=2100, value=year)
        self.year.setEnabled(not fixed_year)
        self.dibao = QLineEdit(labels.yuan_input(dibao_fen), placeholderText="如 1240")
        self.low = QLineEdit(labels.yuan_input(low_fen), placeholderText="可不填，一般为低保的 1.5 倍")
        form = QFormLayout()
        form.addRow("年度：", self.year)
        form.addRow("低保标准（元/人·月）：", self.dibao)
        form.addRow("低收入标准（元/人·月）：", self.low)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[int, int, int | None]:
        """Raises AmountError on an unreadable amount."""
        dibao = labels.parse_yuan(self.dibao.text().strip() or "0")
        low_text = self.low.text().strip()
        return self.year.value(), dibao, labels.parse_yuan(low_text) if low_text else None


class YearStandardsEditor(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["年度", "低保标准（元/人·月）", "低收入标准（元/人·月）"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.edit_selected())
        self.add_button = QPushButton("新增年度…")
        self.edit_button = QPushButton("修改所选年度…")
        self.add_button.clicked.connect(self.add_year)
        self.edit_button.clicked.connect(self.edit_selected)
        note = QLabel("档案的家庭人均月收入与当年标准比较（低于低保 / 低于低收入 / 高于低收入）。"
                      "每年当地公布新标准后在此新增。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.reload()

    def reload(self) -> None:
        self.rows = settings.list_year_standards(self.ctx)
        self.table.setRowCount(len(self.rows))
        for row, s in enumerate(self.rows):
            for col, text in enumerate((str(s.year), labels.yuan(s.dibao_fen), labels.yuan(s.low_income_fen, "—"))):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignCenter)
                self.table.setItem(row, col, item)

    def add_year(self) -> None:
        years = {s.year for s in self.rows}
        year = clock.today().year
        while year in years:
            year += 1
        latest = self.rows[0] if self.rows else None
        self._edit(StandardDialog(year, latest.dibao_fen if latest else None,
                                  latest.low_income_fen if latest else None, self))

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            messages.info(self, "修改年度标准", "请先选择一个年度。")
            return
        s = self.rows[row]
        self._edit(StandardDialog(s.year, s.dibao_fen, s.low_income_fen, self, fixed_year=True))

    def _edit(self, dialog: StandardDialog) -> None:
        while dialog.exec() == QDialog.Accepted:
            try:
                year, dibao, low = dialog.values()
                settings.set_year_standard(self.ctx, year, dibao, low)
            except labels.AmountError as exc:
                messages.warn(self, "无法保存", f"金额有误：{exc}")
                continue
            except ServiceError as exc:
                messages.show_service_error(self, exc, "无法保存")
                continue
            self.reload()
            self.changed.emit()
            return
