"""审计日志 (admin, auditor): filter by user, action, entity and date; export; verify the chain.

Construct with an `AppContext` or the main window's `UiSession`. The chain head (the hash
of the newest row, also printed on disbursement lists) is shown at the bottom.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...services.admin import audit
from ...services.admin.audit import AuditFilter
from ...services.audit_chain import ChainReport
from ...services.errors import ServiceError
from ..common import messages
from .audit_model import AuditTableModel
from ..common.widgets.date_edit import DateEdit
from ..common.worker import Cancelled, run_with_progress
from ..common.page import Page

ALL = "（全部）"
OK_STYLE = "color: #2e7d32; font-weight: bold;"
BAD_STYLE = "color: #c62828; font-weight: bold;"


class AuditPage(Page):
    """Signals: `statusText(str)`; `verified(object)` with the ChainReport after a check."""

    verified = Signal(object)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.last_report: ChainReport | None = None

        title = QLabel("审计日志")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")

        self.user_box = QComboBox()
        self.user_box.setEditable(True)
        self.user_box.setMinimumWidth(120)
        self.action_box = QComboBox()
        self.entity_box = QComboBox()
        self.from_check = QCheckBox("从")
        self.from_date = DateEdit(clock.today() - timedelta(days=30))
        self.to_check = QCheckBox("至")
        self.to_date = DateEdit(clock.today())
        self.from_date.setEnabled(False)
        self.to_date.setEnabled(False)
        self.from_check.toggled.connect(self.from_date.setEnabled)
        self.to_check.toggled.connect(self.to_date.setEnabled)
        self.search_button = QPushButton("查询")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.run_query)
        self.clear_button = QPushButton("清除条件")
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for label, widget in (("用户：", self.user_box), ("操作：", self.action_box), ("对象：", self.entity_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addSpacing(8)
        for widget in (self.from_check, self.from_date, self.to_check, self.to_date, self.search_button,
                       self.clear_button):
            filters.addWidget(widget)
        filters.addStretch(1)

        ctx = self.ctx
        self.model = AuditTableModel(lambda f, offset, limit: audit.query_audit(
            ctx, offset=offset, limit=limit, filters=f), self.executor, self)
        self.model.loaded.connect(self._show_count)
        self.model.failed.connect(lambda exc: messages.show_service_error(self, exc, "无法查询")
                                  if isinstance(exc, ServiceError) else self.query_failed(exc))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((60, 150, 90, 80, 100, 70, 320)):
            self.table.setColumnWidth(col, width)

        self.count_label = QLabel()
        self.head_label = QLabel()
        self.head_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.verify_button = QPushButton("校验审计链")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.head_label)
        layout.addWidget(self.verify_label)
        self.refresh()

    # -- filters --
    def _fill_options(self) -> None:
        ctx = self.ctx
        self.query(lambda: audit.filter_options(ctx), self._show_options, lambda exc: None, key="options")

    def _show_options(self, options) -> None:
        user = self.user_box.currentText()
        action, entity = self.action_box.currentData(), self.entity_box.currentData()
        for box in (self.user_box, self.action_box, self.entity_box):
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
        for name in options.users:
            self.user_box.addItem(name, name)
        for code in options.actions:
            self.action_box.addItem(audit.action_label(code), code)
        for code in options.entities:
            self.entity_box.addItem(audit.entity_label(code), code)
        self.user_box.setCurrentText(user or ALL)
        self.action_box.setCurrentIndex(max(0, self.action_box.findData(action)))
        self.entity_box.setCurrentIndex(max(0, self.entity_box.findData(entity)))
        for box in (self.user_box, self.action_box, self.entity_box):
            box.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        user = self.user_box.currentText().strip()
        return AuditFilter(
            user=None if user in ("", ALL) else user,
            action=self.action_box.currentData(),
            entity=self.entity_box.currentData(),
            date_from=self.from_date.value() if self.from_check.isChecked() else None,
            date_to=self.to_date.value() if self.to_check.isChecked() else None,
        )

    def set_filter(self, user: str | None = None, action: str | None = None, entity: str | None = None,
                   date_from: date | None = None, date_to: date | None = None) -> None:
        self.user_box.setCurrentText(user or ALL)
        self.action_box.setCurrentIndex(max(0, self.action_box.findData(action)))
        self.entity_box.setCurrentIndex(max(0, self.entity_box.findData(entity)))
        self.from_check.setChecked(date_from is not None)
        self.to_check.setChecked(date_to is not None)
        if date_from:
            self.from_date.set_value(date_from)
        if date_to:
            self.to_date.set_value(date_to)

    def clear_filters(self) -> None:
        self.set_filter()
        self.run_query()

    # -- data (queried off the GUI thread) --
    def reload(self) -> None:
        self._fill_options()
        self.run_query()
        self.show_head()

    def refresh(self) -> None:
        self.reload()

    def run_query(self) -> None:
        self.model.set_filters(self.current_filter())

    def _show_count(self, loaded: int, total: int) -> None:
        text = f"共 {total} 条" + (f"（已显示最新 {loaded} 条，向下滚动加载更多）" if loaded < total else "")
        self.count_label.setText(text)
        self.set_status(f"审计日志：{text}")

    def show_head(self) -> None:
        ctx = self.ctx
        self.query(lambda: audit.chain_head(ctx), self._show_head, lambda exc: None, key="head")

    def _show_head(self, head) -> None:
        self.head_label.setText(f"审计链头：第 {head.seq} 条 · {head.hash}")
        self.head_label.setToolTip("链头是最新一条审计记录的哈希。打印的发放名单上也印有链头，"
                                   "日后可据此确认此前的记录未被改动。")

    # -- actions --
    def verify(self) -> ChainReport | None:
        try:
            report = run_with_progress(self, "校验审计链", "正在逐条校验审计记录……",
                                       lambda progress, cancelled: audit.verify_chain(self.ctx), cancellable=False)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法校验")
            return None
        self.last_report = report
        if report.ok:
            text = f"✓ 审计链完整：共 {report.rows} 条记录，均未被修改或删除。"
            self.verify_label.setStyleSheet(OK_STYLE)
        else:
            text = (f"✗ 审计链在第 {report.first_broken_seq} 条记录处断开：{report.reason}。"
                    f"此前的 {report.rows} 条完好。请立即报告单位负责人，并保留数据库文件。")
            self.verify_label.setStyleSheet(BAD_STYLE)
            messages.error(self, "审计链校验未通过", text)
        self.verify_label.setText(text)
        self.show_head()
        self.verified.emit(report)
        return report

    def export(self) -> None:
        default = str(Path.home() / f"审计日志-{clock.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出审计日志", default, "Excel 文件 (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_to(Path(path))

    def export_to(self, path: Path):
        filters = self.current_filter()
        try:
            result = run_with_progress(self, "导出审计日志", f"正在导出到 {path.name}……",
                                       lambda progress, cancelled: audit.export_audit(
                                           self.ctx, path, filters, progress=progress, cancelled=cancelled))
        except Cancelled:
            self.set_status("已取消导出")
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "导出失败")
            return None
        messages.info(self, "导出审计日志", f"已导出 {result.rows} 条记录。", str(result.path))
        self.refresh()  # the export itself is a new audit row
        return result
