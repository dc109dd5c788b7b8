"""数据比对 dialogs: which agency's list and of what date (before the import), and the clerk's
decision on a finding (recorded as a data-check visit; the archive itself is not changed)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout

from ...domain.casework import CROSSCHECK_SOURCES, FINDING_DECISIONS
from ...services import casework
from ...services.errors import ServiceError
from ..common.executor import ChangeSummary
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.dialog_parts import ErrorLine, hint_label, ok_cancel


class ListSourceDialog(QDialog):
    def __init__(self, filename: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入部门比对名单")
        self.source = QComboBox()
        for label in CROSSCHECK_SOURCES.values():
            self.source.addItem(label, label)
        self.date = DateEdit()
        form = QFormLayout()
        form.addRow("文件", QLabel(filename))
        form.addRow("名单来源", self.source)
        form.addRow("名单日期", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint_label("同一来源、同一日期的名单（或同一个文件）再次导入时替换原名单；已处理的比对结果保留。"))
        layout.addWidget(ok_cancel(self, "检查并导入"))


class DecideFindingDialog(QDialog):
    def __init__(self, session, finding, parent=None):
        super().__init__(parent)
        self.session, self.finding = session, finding
        self.setWindowTitle(f"处理比对结果：{finding.name}")
        self.decision = QComboBox()
        for code, label in FINDING_DECISIONS.items():
            self.decision.addItem(label, code)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("如何核实（电话、入户、向部门核对）、结果和处理")
        self.note.setFixedHeight(90)
        self.date = DateEdit()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow("档案", QLabel(f"{finding.archive_no} {finding.household_name}"))
        form.addRow("比对发现", QLabel(f"{finding.name}：{finding.finding}"))
        form.addRow(f"{finding.source}名单", QLabel(finding.list_says))
        form.addRow("档案记载", QLabel(finding.archive_says))
        form.addRow("处理结论", self.decision)
        form.addRow("核实情况", self.note)
        form.addRow("核实日期", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint_label("处理结论记入该户的走访记录（数据比对）；档案内容如需修改，请在档案中修改。"))
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "保存"))
        self.saved = None

    def accept(self) -> None:
        ctx, f = self.session.ctx, self.finding
        args = (f.id, self.decision.currentData(), self.note.toPlainText(), self.date.value())
        try:
            self.saved = self.session.executor.call(lambda: casework.decide_finding(ctx, *args),
                                                    changes=ChangeSummary(casework=True, households=True))
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()
