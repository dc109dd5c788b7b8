"""The 资金 page's dialogs: a budget line, an adjustment (调增/调减 with its reason and 文号),
an allocation (下拨) and its reported spending, the year-end carry-over, a fund source.

Each dialog loads what it offers off the GUI thread, calls its service through the session's
executor when 确定 is clicked (announcing the change to the pages), and stays open with the
reason shown when the service refuses (nothing is changed then).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton,
    QHBoxLayout, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ...services import funds
from ...services.admin import org
from ...services.relief import policies
from ...services.errors import FieldProblem, ServiceError, ValidationFailed
from ..common import labels
from ..common.executor import ChangeSummary
from ..common.widgets.date_edit import DateEdit
from ..common.widgets.dialog_parts import ErrorLine, hint_label, ok_cancel


def _amount(edit: QLineEdit, label: str, field: str = "amount") -> int:
    try:
        return labels.parse_yuan(edit.text().strip())
    except labels.AmountError as exc:
        raise ValidationFailed([FieldProblem(field, label, str(exc))]) from exc


FUNDS = ChangeSummary(funds=True)


class _ServiceForm(QDialog):
    """A form whose 确定 runs `submit()` through the executor; a ServiceError keeps it open with
    the reason shown."""

    ok_text = "确定"

    def __init__(self, session, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.ctx, self.executor = session, session.ctx, session.executor
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.error = ErrorLine()
        self.result_value = None
        self.buttons = ok_cancel(self, self.ok_text)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self.form)

    def finish_layout(self) -> None:
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.buttons)

    def submit(self):
        raise NotImplementedError

    def load(self, work, show) -> None:
        """`work()` off the GUI thread, then `show(result)` here; a refusal is shown on the error line."""
        self.executor.run(work, show, self.error.show_error, owner=self)

    def accept(self) -> None:
        try:
            self.result_value = self.executor.call(self.submit, changes=FUNDS)
        except ServiceError as exc:
            self.error.show_error(exc)
            return
        super().accept()


class AddBudgetDialog(_ServiceForm):
    def __init__(self, session, year: int, parent: QWidget | None = None):
        super().__init__(session, "新增预算指标", parent)
        self.year_box = QComboBox()
        for y in range(year + 1, year - 4, -1):
            self.year_box.addItem(f"{y} 年", y)
        self.year_box.setCurrentIndex(1)
        self.source = QComboBox()
        self.source.setEditable(True)
        self.programme = QLineEdit()
        self.programme.setPlaceholderText("可不填，如：送温暖、金秋助学、困难职工帮扶")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元，如 480000")
        self.doc = QLineEdit()
        self.doc.setPlaceholderText("批复文号，如 增财预〔2026〕3号")
        self.form.addRow("年度", self.year_box)
        self.form.addRow("资金来源", self.source)
        self.form.addRow("项目", self.programme)
        self.form.addRow("年初预算", self.amount)
        self.form.addRow("文号", self.doc)
        self._layout.addWidget(hint_label("资金来源可从列表中选，也可输入当年救助政策中的资金来源名称。"))
        self.finish_layout()
        self.year_box.currentIndexChanged.connect(lambda _: self._load_sources())
        self._load_sources()

    def _load_sources(self) -> None:
        ctx, year = self.ctx, self.year_box.currentData()

        def work() -> list[str]:
            names = [s.name for s in funds.list_sources(ctx, include_inactive=False)]
            options = policies.policy_options(ctx, year)
            return names + [o.label for o in options.fund_sources if o.label not in names]

        self.load(work, self._show_sources)

    def _show_sources(self, names: list[str]) -> None:
        current = self.source.currentText()
        self.source.clear()
        self.source.addItems(names)
        if current:
            self.source.setCurrentText(current)

    def submit(self):
        return funds.add_budget(self.ctx, self.year_box.currentData(), self.source.currentText().strip(),
                                _amount(self.amount, "年初预算"), self.programme.text(), doc_no=self.doc.text())


class AdjustDialog(_ServiceForm):
    ok_text = "确认调整"

    def __init__(self, session, line: funds.BudgetLineView, parent: QWidget | None = None):
        super().__init__(session, f"调整预算：{line.label}", parent)
        self.line = line
        self.increase = QRadioButton("调增")
        self.decrease = QRadioButton("调减")
        self.decrease.setChecked(True)
        kind = QHBoxLayout()
        kind.addWidget(self.increase)
        kind.addWidget(self.decrease)
        kind.addStretch(1)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("必填，如：年中按财政要求压减经费")
        self.reason.setFixedHeight(70)
        self.doc = QLineEdit()
        self.on = DateEdit()
        self.form.addRow("当前预算", QLabel(f"{labels.yuan(line.figures.budget_fen)} 元"))
        self.form.addRow("调整方向", kind)
        self.form.addRow("调整金额", self.amount)
        self.form.addRow("调整原因", self.reason)
        self.form.addRow("文号", self.doc)
        self.form.addRow("调整日期", self.on)
        self.finish_layout()

    def submit(self):
        fen = _amount(self.amount, "调整金额")
        return funds.adjust_budget(self.ctx, self.line.id, fen if self.increase.isChecked() else -fen,
                                   self.reason.toPlainText(), self.doc.text(), self.on.value(), version=self.line.version)


class AllocateDialog(_ServiceForm):
    ok_text = "确认下拨"

    def __init__(self, session, line: funds.BudgetLineView, parent: QWidget | None = None):
        super().__init__(session, f"下拨：{line.label}", parent)
        self.line = line
        self.unit = QComboBox()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元")
        self.doc = QLineEdit()
        self.on = DateEdit()
        self.form.addRow("可用余额", QLabel(f"{labels.yuan(line.figures.remaining_fen)} 元"))
        self.form.addRow("下拨至", self.unit)
        self.form.addRow("下拨金额", self.amount)
        self.form.addRow("文号", self.doc)
        self.form.addRow("下拨日期", self.on)
        self.finish_layout()
        ctx = self.ctx
        self.load(lambda: org.list_units(ctx), self._show_units)

    def _show_units(self, units) -> None:
        below = _descendants(units, self.line.unit_id)
        for u in units:
            if u.id in below and u.active:
                self.unit.addItem(u.path, u.id)

    def submit(self):
        if self.unit.currentData() is None:
            raise ValidationFailed([FieldProblem("unit_id", "下拨至", "该工会没有下级工会")])
        return funds.allocate(self.ctx, self.line.id, self.unit.currentData(), _amount(self.amount, "下拨金额"),
                              self.doc.text(), self.on.value())


def _descendants(units, root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    found, stack = set(), list(children.get(root_id, []))
    while stack:
        uid = stack.pop()
        if uid not in found:
            found.add(uid)
            stack.extend(children.get(uid, []))
    return found


class ReportSpendingDialog(_ServiceForm):
    def __init__(self, session, allocation: funds.AllocationView, parent: QWidget | None = None):
        super().__init__(session, f"登记报告支出：{allocation.unit_name}", parent)
        self.allocation = allocation
        self.spent = QLineEdit(labels.yuan_input(allocation.reported_spent_fen))
        self.spent.setPlaceholderText("元")
        self.on = DateEdit()
        self.note = QLineEdit(allocation.report_note)
        self.form.addRow("下拨金额", QLabel(f"{labels.yuan(allocation.amount_fen)} 元（{labels.day(allocation.allocated_on)}）"))
        self.form.addRow("报告支出", self.spent)
        self.form.addRow("报告日期", self.on)
        self.form.addRow("说明", self.note)
        self.finish_layout()

    def submit(self):
        return funds.report_allocation(self.ctx, self.allocation.id, _amount(self.spent, "报告支出", "spent"),
                                       self.on.value(), self.note.text())


class CarryOverDialog(_ServiceForm):
    """Year-end carry-over: the computed remainder of each line, confirmed by the person clicking."""

    ok_text = "确认结转"

    def __init__(self, session, year: int, parent: QWidget | None = None):
        super().__init__(session, f"{year} 年末结转", parent)
        self.setMinimumWidth(620)
        self.year = year
        self.proposals = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["预算指标", "年末结余(元)", "结转"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 130)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：已报省总工会，结转下年使用")
        self.doc = QLineEdit()
        self._layout.insertWidget(0, hint_label(
            "按 12 月 31 日的结余计算（预算 − 下拨 − 已发放 − 已列入批次待发放）。结余转入下一年同一资金来源、同一项目的"
            "预算指标，资金用途不变。确认后记入审计日志。"))
        self._layout.insertWidget(1, self.table)
        self.form.addRow("说明", self.note)
        self.form.addRow("文号", self.doc)
        self.finish_layout()
        ctx = self.ctx
        self.load(lambda: funds.carry_over_proposals(ctx, year), self._show_proposals)

    def _show_proposals(self, proposals) -> None:
        self.proposals = proposals
        self.table.setRowCount(len(proposals))
        for row, p in enumerate(proposals):
            self.table.setItem(row, 0, QTableWidgetItem(p.line_label))
            self.table.setItem(row, 1, QTableWidgetItem(labels.yuan(p.remaining_fen)))
            done = (f"已结转 {labels.yuan(p.confirmed.amount_fen)} 元"
                    if p.confirmed else ("待确认" if p.remaining_fen > 0 else "无结余"))
            self.table.setItem(row, 2, QTableWidgetItem(done))

    def submit(self):
        return funds.confirm_carry_over(self.ctx, self.year, None, self.note.text(), self.doc.text())


class SourceDialog(_ServiceForm):
    def __init__(self, session, year: int, parent: QWidget | None = None):
        super().__init__(session, "新增资金来源", parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：省财政、社会捐赠")
        self.code = QLineEdit()
        self.code.setPlaceholderText("可不填；与救助政策中的资金来源代码一致时，申请中的来源即对应此项")
        self.types: list[QCheckBox] = []
        box = QWidget()
        self._grid = QGridLayout(box)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("名称", self.name)
        self.form.addRow("代码", self.code)
        self.form.addRow("可用于", box)
        self._layout.addWidget(hint_label("不勾选任何救助类型表示不限用途（海口：省财政资金只用于生活、助学、医疗救助）。"))
        self.finish_layout()
        ctx = self.ctx
        self.load(lambda: policies.policy_options(ctx, year), self._show_types)

    def _show_types(self, options) -> None:
        for i, rt in enumerate(options.relief_types):
            check = QCheckBox(rt.name)
            check.setProperty("code", rt.code)
            self.types.append(check)
            self._grid.addWidget(check, i // 3, i % 3)

    def submit(self):
        chosen = [c.property("code") for c in self.types if c.isChecked()]
        return funds.add_source(self.ctx, self.name.text(), chosen, self.code.text() or None)
