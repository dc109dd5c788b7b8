"""Columns of the 资金 page's lists (budget lines, allocations, execution rows, payments, sources)."""
from __future__ import annotations

from ...services.funds import rate_text
from ..common import labels
from ..payout.payout_models import ALERT, RIGHT, Col


def _figure_columns(get) -> tuple[Col, ...]:
    """The money columns shared by budget lines and execution rows; `get(row)` gives its Figures."""
    return (
        Col("预算(元)", lambda r: labels.yuan(get(r).budget_fen) if getattr(r, "has_budget", True) else "—", RIGHT, 110),
        Col("下拨(元)", lambda r: labels.yuan(get(r).allocated_fen), RIGHT, 100),
        Col("待发放(元)", lambda r: labels.yuan(get(r).committed_fen), RIGHT, 100,
            tip=lambda r: "已审批或已列入批次、尚未发放"),
        Col("已发放(元)", lambda r: labels.yuan(get(r).paid_fen), RIGHT, 110),
        Col("退回(元)", lambda r: labels.yuan(get(r).returned_fen), RIGHT, 90, tip=lambda r: "银行退票、本人放弃，资金已回到预算"),
        Col("余额(元)", lambda r: labels.yuan(get(r).remaining_fen) if getattr(r, "has_budget", True) else "—",
            RIGHT, 110),
        Col("执行率", lambda r: rate_text(get(r).rate_bp) if getattr(r, "has_budget", True) else "—", RIGHT, 70,
            tip=lambda r: "（已发放 + 下拨）÷ 预算"),
    )


LINE_COLUMNS: tuple[Col, ...] = (
    Col("资金来源", lambda v: v.source_name, width=110),
    Col("项目", lambda v: v.programme or "—", width=110),
    Col("所属工会", lambda v: v.unit_name, stretch=True),
    *_figure_columns(lambda v: v.figures),
)

EXECUTION_COLUMNS: tuple[Col, ...] = (
    Col("项目", lambda r: r.label, stretch=True),
    *_figure_columns(lambda r: r.figures),
)

ALLOCATION_COLUMNS: tuple[Col, ...] = (
    Col("下拨至", lambda a: a.unit_name, width=140),
    Col("预算指标", lambda a: a.line_label, stretch=True),
    Col("下拨日期", lambda a: labels.day(a.allocated_on), width=96),
    Col("金额(元)", lambda a: labels.yuan(a.amount_fen), RIGHT, 110),
    Col("文号", lambda a: a.doc_no, width=130),
    Col("报告支出(元)", lambda a: labels.yuan(a.reported_spent_fen, "未报告"), RIGHT, 110),
    Col("使用率", lambda a: rate_text(a.reported_rate_bp), RIGHT, 70),
)

PAYMENT_COLUMNS: tuple[Col, ...] = (
    Col("批次", lambda d: d.batch_number, width=96),
    Col("发放日期", lambda d: labels.day(d.pay_date), width=96),
    Col("姓名", lambda d: d.name, width=80),
    Col("所属工会", lambda d: d.unit_name, width=150),
    Col("救助类型", lambda d: d.relief_type_label, width=90),
    Col("金额(元)", lambda d: labels.yuan(d.amount_fen), RIGHT, 96),
    Col("状态", lambda d: d.state_label, width=70),
    Col("预算指标", lambda d: d.budget_label, width=150),
    Col("超预算说明", lambda d: d.overdraw_reason or "", stretch=True, tip=lambda d: d.overdraw_reason),
)

SOURCE_COLUMNS: tuple[Col, ...] = (
    Col("名称", lambda s: s.name, width=130),
    Col("可用于", lambda s: s.allowed_text, stretch=True),
    Col("状态", lambda s: "启用" if s.active else "停用", width=60),
)


def negative_remaining(row, column: int):
    """Red for an overdrawn budget line (余额 below zero)."""
    figures = getattr(row, "figures", None)
    if figures is not None and figures.remaining_fen < 0 and getattr(row, "has_budget", True):
        return ALERT
    return None
