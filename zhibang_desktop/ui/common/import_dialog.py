"""The result of checking an import file: its problems (nothing imported), or a summary to confirm."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.errors import ServiceError
from . import messages

HEADERS = ("工作表", "行", "列", "原值", "问题")


class ImportCheckDialog(QDialog):
    """`check` is an ImportCheck: `problems` (sheet, row, column, value, reason) and, when
    clean, the counts, `new_units` and `follow_up`; an ImportRejected is shown the same way."""

    def __init__(self, check, filename: str, parent: QWidget | None = None, *, subject: str = "档案"):
        super().__init__(parent)
        self.check = check
        self.subject = subject  # what was not imported: 档案, 名单 …
        self.problems = list(getattr(check, "problems", None) or [])
        self.setWindowTitle(f"导入检查：{filename}")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if self.problems:
            self._problem_view(layout, buttons)
        else:
            self._summary_view(layout, buttons)
        layout.addLayout(buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.problems:  # wrapped reasons need the final column widths
            self.table.resizeRowsToContents()

    # -- problems: nothing can be imported --
    def _problem_view(self, layout: QVBoxLayout, buttons: QHBoxLayout) -> None:
        self.title.setText(f"<b style='color:#c62828'>文件中有 {len(self.problems)} 处问题，没有导入任何{self.subject}。</b>"
                           "<br>请按下表逐行修改 Excel 文件后重新导入；也可以保存错误报告，对照修改。")
        self.table = QTableWidget(len(self.problems), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 50)
        self.table.setColumnWidth(2, 130)
        self.table.setColumnWidth(3, 170)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        for row, p in enumerate(self.problems):
            cells = (p.sheet, p.row, p.column, p.value, p.reason)
            for col, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setToolTip(item.text())
                if col == 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        layout.addWidget(self.table, 1)
        self.report_button = QPushButton("保存错误报告…")
        self.report_button.clicked.connect(self.save_report)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.report_button)
        buttons.addWidget(close)

    def save_report(self) -> str | None:
        from ...services.archive.household_import import write_import_report

        default = str(Path.home() / "导入错误报告.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "保存错误报告", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        path = path if path.lower().endswith(".xlsx") else path + ".xlsx"
        try:
            write_import_report(path, self.problems)
        except (ServiceError, OSError) as exc:
            messages.warn(self, "无法保存错误报告", str(exc))
            return None
        messages.info(self, "保存错误报告", "已保存错误报告。", f"文件：{path}")
        return path

    # -- clean: confirm --
    def _summary_view(self, layout: QVBoxLayout, buttons: QHBoxLayout) -> None:
        households, members = self.check.households, self.check.members
        self.title.setText(f"<b style='color:#2e7d32'>检查通过：可以导入档案 {households} 户，家庭成员 {members} 人。</b>"
                           "<br>导入的档案按台账直接列为“在档”；下列事项请在导入后补办。")
        new_units, follow_up = list(self.check.new_units), self.check.follow_up
        if self.check.warnings:
            self.warnings_label = QLabel("注意：" + "；".join(self.check.warnings))
            self.warnings_label.setWordWrap(True)
            self.warnings_label.setStyleSheet("color: #b26a00;")
            layout.addWidget(self.warnings_label)
        layout.addWidget(QLabel(f"将新建的基层工会（{len(new_units)} 个，挂在区总工会下，可在“单位与组织”中调整）："))
        self.units_list = QListWidget()
        self.units_list.addItems(new_units or ["（无）"])
        self.units_list.setMaximumHeight(130)
        layout.addWidget(self.units_list)
        layout.addWidget(QLabel(f"导入后需补办的工作（{follow_up.count} 项）："))
        self.follow_list = QListWidget()  # the first examples; the rest are counted, not listed
        self.follow_list.addItems(follow_up.examples or ["（无）"])
        if follow_up.more:
            self.follow_list.addItem(f"……另有 {follow_up.more} 项")
        layout.addWidget(self.follow_list, 1)
        self.confirm_button = QPushButton("确认导入")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)
