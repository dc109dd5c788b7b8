"""Budget execution (001: 265,800 ÷ 270,000 = 98.44 %; 004 资金使用时间) from the funds
service's execution figures, and the indicators no record in the data can answer."""
from __future__ import annotations

from datetime import date

from ...domain import clock
from ...domain.money import yuan_text
from ..funds import ExecutionReport
from .common import indicator, not_answerable
from .types import Indicator, IndicatorException

BUDGET_KEY = "budget_execution"
BUDGET_NAME = "预算执行率"
BUDGET_SEED = "报告001 支出率；报告004 资金使用时间、预算执行率"


def budget_as_of(end: date) -> date:
    return min(end, clock.today())


def budget_execution(report: ExecutionReport, start: date, end: date, scoped: bool = False) -> Indicator:
    year = report.year
    definition = (f"{year} 年已支出（已发放 + 已下拨）÷ {year} 年预算（含调整、结转），截至 {report.as_of.isoformat()}"
                  + ("；预算按年度计，期间跨年时取结束日期所在年度" if start.year != end.year else ""))
    if not report.by_line:
        reason = (f"所选工会（含下级工会）没有自己的 {year} 年预算指标（预算由上级工会掌握时，执行率见上级的报表）"
                  if scoped else f"没有录入 {year} 年的预算指标（在“资金”页面录入）")
        return not_answerable(BUDGET_KEY, BUDGET_NAME, definition, BUDGET_SEED, reason)
    out = []
    for row in report.by_line:
        f = row.figures
        left = f.budget_fen - f.spent_fen
        if left > 0:
            out.append(IndicatorException("unspent_budget", f"{row.label}：预算 {yuan_text(f.budget_fen)} 元，已支出 "
                                          f"{yuan_text(f.spent_fen)} 元，结余 {yuan_text(left)} 元", None, None, None))
        elif left < 0:
            out.append(IndicatorException("overspent_budget", f"{row.label}：预算 {yuan_text(f.budget_fen)} 元，已支出 "
                                          f"{yuan_text(f.spent_fen)} 元，超出 {yuan_text(-left)} 元", None, None, None))
    if report.unbudgeted_count:
        out.append(IndicatorException("unbudgeted", f"{report.unbudgeted_count} 笔发放共 "
                                      f"{yuan_text(report.unbudgeted_fen)} 元未从任何预算指标列支", None, None, None))
    return indicator(BUDGET_KEY, BUDGET_NAME, definition, BUDGET_SEED, report.total.spent_fen,
                     report.total.budget_fen, out)


def unanswerable() -> list[Indicator]:
    return [
        not_answerable("targeting_accuracy", "救助对象界定准确率",
                       "符合救助条件的受助对象数 ÷ 抽查的受助对象数", "报告001；报告004 被帮助对象的准确性",
                       "需要抽查申请材料与实际情况核实；本系统只记录申请时勾选的条件（已由规则引擎在提交时核对），"
                       "没有抽查核实的记录"),
    ]
