"""A request's key facts as a two-column table (the request view and the review dialog)."""
from __future__ import annotations

import html

from ...services.relief.types import RequestView
from ..common import labels
from .relief_common import MUTED_COLOR, OK_COLOR, WARNING_COLOR, money, period_text, type_text


def summary_html(v: RequestView, *, compact: bool = False) -> str:
    who = html.escape(v.name)
    who += (f"　档案号 {html.escape(v.archive_no)}" if v.archive_no
            else f"　<span style='color:{WARNING_COLOR}'>未建档职工</span>")
    rows = [
        ("申请人", who),
        ("身份证号", html.escape(v.id_number)),
        ("所属工会", html.escape(v.unit_name)),
        ("救助类型", html.escape(type_text(v.relief_type_name, v.subcase_name))),
        ("期间", html.escape(period_text(v.year, v.quarter, v.batch_no)) + f"　申请日期 {labels.day(v.request_date)}"),
        ("申请金额", f"<b>{money(v.requested_amount_fen)}</b>　建议 {money(v.suggested_amount_fen)}"
                     f"　标准 {html.escape(v.standard_text or '—')}"),
    ]
    if v.approved_amount_fen is not None:
        rows.append(("核定金额", f"<b style='color:{OK_COLOR}'>{money(v.approved_amount_fen)}</b>"))
    if v.self_paid_medical_fen is not None:
        rows.append(("个人自付医疗费", money(v.self_paid_medical_fen)))
    if v.students:
        rows.append(("在读子女", "、".join(labels.SCHOOLING_STAGES.get(s, s) for s in v.students)))
    if v.months:
        rows.append(("人数 × 月数", f"{v.persons or 1} 人 × {v.months} 个月"))
    if v.conditions:
        rows.append(("申请条件", "<br>".join(html.escape(c.label) for c in v.conditions)))
    if v.fund_source_name:
        rows.append(("资金来源", html.escape(v.fund_source_name)))
    rows.append(("申请事由", html.escape(v.reason) or f"<span style='color:{MUTED_COLOR}'>（未填写）</span>"))
    if v.justification:
        rows.append(("书面说明", f"<span style='color:{WARNING_COLOR}'>{html.escape(v.justification)}</span>"))
    if not compact:
        rows.append(("本年已获救助", f"{v.year_count} 次，共 {money(v.year_total_fen, '0.00 元')}（不含本申请）"))
        rows.append(("录入", f"{html.escape(v.creator_name)}　{labels.moment(v.created_at)}"))
        rows.append(("依据政策", html.escape(f"{v.policy_name}（{v.policy_year} 年第 {v.policy_version} 版）")))
    return ("<table cellspacing='0' cellpadding='3'>" + "".join(
        f"<tr><td style='color:{MUTED_COLOR}; white-space:nowrap' valign='top'>{k}</td><td>{val}</td></tr>"
        for k, val in rows) + "</table>")
