"""预算测算: next year's need with its working, and the printed 预算测算表 (preview, then print or save)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QSpinBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ...services import funds
from ...services.admin import audit
from ..common import labels
from ..common.background_query import LatestQuery


def plan_html(plan: funds.BudgetPlan) -> str:
    rows = "".join(
        f"<tr><td>{i.label}</td><td>{i.basis}</td><td align='right'>{i.count}</td>"
        f"<td align='right'>{labels.yuan(i.amount_fen)}</td><td>{i.working}</td></tr>" for i in plan.items)
    prev = plan.previous
    cats = "、".join(f"{labels.CATEGORIES.get(c, c)} {n} 户" for c, n in plan.households.items())
    students = "、".join(f"{k} {v} 人" for k, v in plan.students.items()) or "无"
    notes = "".join(f"<p>说明：{n}</p>" for n in plan.notes)
    return (f"<p>测算依据：{plan.policy_name}</p><p>在档家庭：{cats}；在读学生：{students}；"
            f"患病（慢性病、大病）{plan.chronic_ill} 人</p>"
            "<table border='1' cellspacing='0' cellpadding='3'><tr><th>救助项目</th><th>测算对象</th><th>人（户、次）数</th>"
            f"<th>测算金额(元)</th><th>测算过程</th></tr>{rows}"
            f"<tr><td><b>合计</b></td><td></td><td></td><td align='right'><b>{labels.yuan(plan.total_fen)}</b></td>"
            "<td></td></tr></table>"
            f"<p>{plan.previous_year} 年预算 {labels.yuan(prev.budget_fen)} 元，已发放（含下拨）{labels.yuan(prev.spent_fen)} 元，"
            f"待发放 {labels.yuan(prev.committed_fen)} 元，执行率 {funds.rate_text(prev.rate_bp)}；"
            f"测算需求比 {plan.previous_year} 年预算{'增加' if plan.difference_fen >= 0 else '减少'} "
            f"{labels.yuan(abs(plan.difference_fen))} 元。</p>{notes}")


class PlanDialog(QDialog):
    def __init__(self, session, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = session.ctx
        self.executor = session.executor
        self._query = LatestQuery(self, self.executor)
        self.setWindowTitle("预算测算")
        self.resize(900, 560)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.text = QTextBrowser()
        self.print_button = QPushButton("打印测算表…")
        self.close_button = QPushButton("关闭")
        top = QHBoxLayout()
        top.addWidget(QLabel("测算年度"))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self.year.valueChanged.connect(lambda _: self.reload())
        self.print_button.clicked.connect(self.print_plan)
        self.close_button.clicked.connect(self.accept)
        self.plan: funds.BudgetPlan | None = None
        self.reload()

    def reload(self) -> None:
        """The plan of the chosen year, worked out off the GUI thread."""
        ctx, year = self.ctx, self.year.value()
        self.print_button.setEnabled(False)
        self._query.submit(lambda: funds.plan_budget(ctx, year), self._show, self._refused)

    def _show(self, plan) -> None:
        self.plan = plan
        self.text.setHtml(plan_html(plan))
        self.print_button.setEnabled(True)

    def _refused(self, exc: Exception) -> None:
        self.plan = None
        self.text.setPlainText(str(exc))

    def print_plan(self):
        from ..printing.print_preview import build_and_preview  # with pdfium, when first used

        year, ctx = self.year.value(), self.ctx

        def printed(how: str, where: str, pages: int) -> None:
            summary = (f"打印 {year} 年度预算测算表：送打印机 {where}，{pages} 页" if how == "printer"
                       else f"{year} 年度预算测算表另存为 PDF：{where}")
            kind = "print" if how == "printer" else "export"
            self.executor.call(lambda: audit.record_event(ctx, kind, "budget_plan", year, summary=summary))

        return build_and_preview(self, f"{year}年度预算测算表", lambda path, progress, cancelled:
                                 funds.build_plan(ctx, year, path), printed,
                                 suggested_name=f"{year}年度预算测算表.pdf")
