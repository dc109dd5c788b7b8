"""Tables of the notice and payout pages: the columns and colours of each list, for the
`common.rows_model.RowsModel` over a list of service dataclasses (like `household_table_model.COLUMNS`).

The lists are short (a notice or a batch holds tens to a few hundred people), so each model
holds all its rows; the services return them in one call.
"""
from __future__ import annotations

from PySide6.QtGui import QColor

from ...services.payout.types import (
    BatchSummary, CandidateView, LineView, NoticeEntryView, NoticeSummary, ObjectionView,
)
from ..common import labels
from ..common.rows_model import CENTER, LEFT, RIGHT, Col, RowsModel  # noqa: F401  (the payout pages use them from here)

MUTED = QColor("#6d6d6d")
ALERT = QColor("#c62828")
GOOD = QColor("#2e7d32")


# ---------------------------------------------------------------------------- notices

def _period(n: NoticeSummary) -> str:
    return f"{labels.day(n.start)} 至 {labels.day(n.end)}"


NOTICE_COLUMNS: tuple[Col, ...] = (
    Col("标题", lambda n: n.title, stretch=True, tip=lambda n: n.title),
    Col("公示期", _period, width=190, tip=lambda n: n.end_warning),
    Col("工作日", lambda n: str(n.working_days), RIGHT, 56),
    Col("人数", lambda n: str(n.entries), RIGHT, 52),
    Col("金额(元)", lambda n: labels.yuan(n.total_fen), RIGHT, 100),
    Col("待处理异议", lambda n: str(n.open_objections) if n.open_objections else "", RIGHT, 80),
    Col("状态", lambda n: n.status_label, width=150),
)


def notice_foreground(n: NoticeSummary, column: int) -> QColor | None:
    header = NOTICE_COLUMNS[column].header
    if header == "待处理异议" and n.open_objections:
        return ALERT
    if header == "公示期" and n.end_warning:
        return ALERT
    if n.status == "draft":
        return MUTED
    return None


ENTRY_COLUMNS: tuple[Col, ...] = (
    Col("序号", lambda e: str(e.seq), RIGHT, 44),
    Col("姓名", lambda e: e.name, width=80),
    Col("所属工会", lambda e: e.unit_name, stretch=True),
    Col("救助类型", lambda e: e.relief_type_label, width=110),
    Col("金额(元)", lambda e: labels.yuan(e.amount_fen), RIGHT, 90),
    Col("申请编号", lambda e: e.request_number, width=120),
    Col("备注", lambda e: e.remark, width=140, tip=lambda e: e.remark or None),
    Col("状态", lambda e: ("已撤下" if e.state == "removed" else "在列")
        + (f"（{e.open_objections} 条异议待处理）" if e.open_objections else ""), width=150,
        tip=lambda e: e.removed_reason),
)


def entry_foreground(e: NoticeEntryView, column: int) -> QColor | None:
    if e.state == "removed":
        return MUTED
    if e.open_objections and ENTRY_COLUMNS[column].header == "状态":
        return ALERT
    return None


OBJECTION_COLUMNS: tuple[Col, ...] = (
    Col("收到日期", lambda o: labels.day(o.received_on), width=92),
    Col("涉及人员", lambda o: o.person_name, width=76),
    Col("异议人", lambda o: o.objector, width=80),
    Col("联系方式", lambda o: o.contact, width=110),
    Col("方式", lambda o: o.channel, width=56),
    Col("异议内容", lambda o: o.content, stretch=True, tip=lambda o: o.content),
    Col("处理结果", lambda o: o.result_label, width=90),
    Col("核查处理情况", lambda o: o.handling, width=200, tip=lambda o: o.handling or None),
    Col("登记 / 处理", lambda o: o.recorded_by + (f" / {o.handled_by}" if o.handled_by else ""), width=110,
        tip=lambda o: f"登记：{labels.moment(o.recorded_at)}"
                      + (f"\n处理：{labels.moment(o.handled_at)}" if o.handled_at else "")),
)


def objection_foreground(o: ObjectionView, column: int) -> QColor | None:
    if OBJECTION_COLUMNS[column].header == "处理结果":
        return {"open": ALERT, "upheld": QColor("#e65100"), "dismissed": GOOD}.get(o.result)
    return None


# ---------------------------------------------------------------------------- batches

BATCH_COLUMNS: tuple[Col, ...] = (
    Col("批次号", lambda b: b.number, width=110, tip=lambda b: b.title or None),
    Col("类型", lambda b: b.kind_label, width=76),
    Col("发放日期", lambda b: labels.day(b.pay_date), width=92),
    Col("人数", lambda b: str(b.lines), RIGHT, 48),
    Col("金额(元)", lambda b: labels.yuan(b.total_fen), RIGHT, 100),
    Col("已发放(元)", lambda b: labels.yuan(b.paid_fen), RIGHT, 100),
    Col("待发放", lambda b: str(b.pending) if b.pending else "", RIGHT, 56),
    Col("退票", lambda b: str(b.returned) if b.returned else "", RIGHT, 48),
    Col("放弃", lambda b: str(b.renounced) if b.renounced else "", RIGHT, 48),
    Col("状态", lambda b: b.status_label, width=70),
    Col("标题", lambda b: b.title, stretch=True),
    Col("建立", lambda b: f"{b.created_by} {labels.moment(b.created_at)[:10]}", width=150),
)


def batch_foreground(b: BatchSummary, column: int) -> QColor | None:
    header = BATCH_COLUMNS[column].header
    if header == "退票" and b.returned:
        return ALERT
    if b.status == "closed":
        return MUTED
    return None


#: line state → (text colour, row background)
STATE_COLORS: dict[str, tuple[QColor, QColor | None]] = {
    "pending": (QColor("#1a1a1a"), None),
    "paid": (GOOD, QColor("#eef7ee")),
    "returned": (ALERT, QColor("#fdecea")),
    "reissued": (MUTED, QColor("#f1f1f1")),
    "renounced": (QColor("#8d4e00"), QColor("#fff4e0")),
    "paid_to_relative": (QColor("#00695c"), QColor("#e6f4f1")),
}


def _line_detail(line: LineView) -> str:
    if line.state == "returned":
        return f"退票：{line.return_reason or ''}（{labels.day(line.returned_on)}）"
    if line.state == "renounced":
        return f"放弃：{line.renounce_reason or ''}（{labels.day(line.renounced_on)}）"
    if line.state == "paid_to_relative":
        return f"由{line.relative_relation or ''}{line.relative_name or ''}领取（{labels.day(line.paid_on)}）"
    if line.state == "paid":
        return f"{labels.day(line.paid_on)} 发放"
    if line.state == "reissued":
        return f"退票（{line.return_reason or ''}），已重新发放"
    if line.proxy_name:
        return f"代领：{line.proxy_name}（{line.proxy_relation or ''}）"
    return line.remark


LINE_COLUMNS: tuple[Col, ...] = (
    Col("序号", lambda x: str(x.seq), RIGHT, 44),
    Col("姓名", lambda x: x.name, width=72),
    # shares the spare width with 情况说明: a company union's full name (石滩联发五金制品有限公司工会)
    # is wider than a fixed column, while most lines have little to say
    Col("所属工会", lambda x: x.unit_name, stretch=True, tip=lambda x: x.unit_name),
    Col("救助类型", lambda x: x.relief_type_label, width=84),
    Col("金额(元)", lambda x: labels.yuan(x.amount_fen), RIGHT, 84),
    Col("发放方式", lambda x: x.method_label, width=96),
    Col("账号", lambda x: x.account_masked, width=170, tip=lambda x: x.bank_name or None),
    Col("资金来源", lambda x: x.fund_source_label, width=96),
    Col("状态", lambda x: x.state_label + ("（重发）" if x.reissue_of else ""), width=104),
    Col("情况说明", _line_detail, stretch=True, tip=lambda x: _line_detail(x) or None),
)


def line_foreground(line: LineView, column: int) -> QColor | None:
    if LINE_COLUMNS[column].header in ("状态", "情况说明"):
        return STATE_COLORS.get(line.state, (None, None))[0]
    return None


def line_background(line: LineView) -> QColor | None:
    return STATE_COLORS.get(line.state, (None, None))[1]


RETURNED_COLUMNS: tuple[Col, ...] = (
    Col("原批次", lambda x: x.batch_number, width=100),
    Col("姓名", lambda x: x.name, width=72),
    Col("金额(元)", lambda x: labels.yuan(x.amount_fen), RIGHT, 84),
    Col("退票原因", lambda x: x.return_reason or "", width=150, tip=lambda x: x.return_reason),
    Col("退票账号", lambda x: x.account_masked, width=170),
    Col("所属工会", lambda x: x.unit_name, stretch=True),
)


def candidate_text(c: CandidateView) -> str:
    return f"{c.name}（{c.number}，{c.relief_type_label} {labels.yuan(c.amount_fen)} 元）"
