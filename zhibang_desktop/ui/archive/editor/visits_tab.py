"""走访核查: the household's visits, the next due date, and a form to record a visit."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....domain import clock
from ....services import archive
from ....services.archive.fields import VISIT_LABELS
from ....services.archive.types import HouseholdView, VisitInput
from ....services.errors import ServiceError
from ...common import labels, messages
from ...common.field_errors import FieldErrors, with_error
from ...common.widgets.date_edit import qdate_today


HEADERS = ("走访日期", "核查方式", "走访人", "核查情况", "处理意见")


class VisitsTab(QWidget):
    changed = Signal(object)  # the HouseholdView after a visit was added or deleted

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.household_id: int | None = None
        self.due = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for i, width in enumerate((96, 84, 90)):
            self.table.setColumnWidth(i, width)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        self.delete_button = QPushButton("删除所选记录")

        self.visit_date = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.visit_date.setMaximumDate(qdate_today())
        self.method = QComboBox()
        for code, label in labels.VISIT_METHODS.items():
            self.method.addItem(label, code)
        self.visitor = QLineEdit()
        self.findings = QPlainTextEdit(placeholderText="家庭现状、收入与困难情况核实结果")
        self.outcome = QPlainTextEdit(placeholderText="如：继续在档、建议调整类别、建议退档")
        for edit in (self.findings, self.outcome):
            edit.setFixedHeight(56)
            edit.setTabChangesFocus(True)
        self.add_button = QPushButton("添加走访记录")
        for b in (self.delete_button, self.add_button):
            b.setAutoDefault(False)
        self.errors = FieldErrors()
        form_box = QGroupBox("新增走访记录")
        form = QFormLayout(form_box)
        for field, widget in (("visit_date", self.visit_date), ("method", self.method), ("visitor", self.visitor),
                              ("findings", self.findings), ("outcome", self.outcome)):
            form.addRow(VISIT_LABELS[field] + "：", with_error(widget, self.errors.add(field, widget)))
        form.addRow("", self.add_button)

        top = QHBoxLayout()
        top.addWidget(self.due, 1)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(form_box)
        self.add_button.clicked.connect(self.add_visit)
        self.delete_button.clicked.connect(self.delete_selected)
        self.reset_form()

    def reset_form(self) -> None:
        self.visit_date.setDate(qdate_today())
        self.method.setCurrentIndex(0)
        self.visitor.setText(self.session.actor.display_name)
        self.findings.clear()
        self.outcome.clear()
        self.errors.show([])

    def load(self, view: HouseholdView | None) -> None:
        self.household_id = view.id if view else None
        visits = view.visits if view else ()
        self.table.setRowCount(len(visits))
        for row, v in enumerate(visits):
            cells = (labels.day(v.visit_date), labels.VISIT_METHODS.get(v.method, v.method), v.visitor,
                     v.findings, v.outcome)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 0:
                    item.setData(Qt.UserRole, v.id)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.due.setText(self._due_text(view))
        editable = view is not None and self.session.can("archive.edit")
        for w in (self.add_button, self.delete_button):
            w.setEnabled(editable)

    @staticmethod
    def _due_text(view: HouseholdView | None) -> str:
        if view is None:
            return "保存档案后才能登记走访记录。"
        last = f"最近走访：{labels.day(view.last_visit_on)}" if view.last_visit_on else "尚无走访记录"
        if view.next_visit_due is None:
            return last
        days = (view.next_visit_due - clock.today()).days
        when = f"已逾期 {-days} 天" if days < 0 else f"还有 {days} 天"
        color = "#c62828" if days < 0 else ("#b26a00" if days <= 30 else "#2e7d32")
        return (f"{last}　　下次走访应于 <b style='color:{color}'>{labels.day(view.next_visit_due)}</b>"
                f" 前完成（{when}；深度困难每年一次，相对困难、意外致困每半年一次）")

    def visit_input(self) -> VisitInput:
        d = self.visit_date.date()
        return VisitInput(visit_date=date(d.year(), d.month(), d.day()), method=self.method.currentData(),
                          visitor=self.visitor.text().strip(), findings=self.findings.toPlainText().strip(),
                          outcome=self.outcome.toPlainText().strip())

    def add_visit(self) -> None:
        if self.household_id is None:
            return
        try:
            view = archive.add_visit(self.session.ctx, self.household_id, self.visit_input())
        except ServiceError as exc:
            unknown = self.errors.show(getattr(exc, "problems", []))
            if unknown or not getattr(exc, "problems", None):
                messages.show_service_error(self, exc, "无法添加走访记录")
            return
        self.reset_form()
        self.changed.emit(view)

    def delete_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            messages.info(self, "删除走访记录", "请先选择一条走访记录。")
            return
        visit_id = self.table.item(row, 0).data(Qt.UserRole)
        text = f"{self.table.item(row, 0).text()} {self.table.item(row, 1).text()}"
        if not messages.ask(self, "删除走访记录", f"确定删除走访记录“{text}”吗？删除会记入变更记录。"):
            return
        view = messages.guarded(self, archive.delete_visit, self.session.ctx, visit_id)
        if view is not None:
            self.changed.emit(view)
