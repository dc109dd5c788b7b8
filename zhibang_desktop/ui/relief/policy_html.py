"""The read-only view of a policy version on the 救助政策 page: its settings as HTML tables."""
from __future__ import annotations

import html

from ...domain.money import fen_from_yuan_number, yuan_text
from ...services.relief.types import PolicyVersionView
from ..common import labels
from .relief_common import MUTED_COLOR, OK_COLOR

SCOPES = {"person": "每人", "household": "每户"}
PERIODS = {"time": "每次", "year": "每年", "quarter": "每季度"}
APPLIES = {"cash": "现金", "goods": "实物", "all": "现金和实物"}
KINDS = {"quarterly": "按季度申请", "emergency": "随时申请", "annual": "按年度计", "standing": "常年按月补助，分批发放"}


def _yuan(value) -> str:
    if value is None:
        return ""
    return f"{yuan_text(fen_from_yuan_number(value))} 元"


def cap_text(cap: dict) -> str:
    """'每户每年 现金 不超过 6,000 元' / '… 不超过 10 个月低保标准'."""
    head = SCOPES.get(cap.get("scope"), cap.get("scope") or "") + PERIODS.get(cap.get("period"), cap.get("period") or "")
    applies = APPLIES.get(cap.get("applies_to"), cap.get("applies_to") or "")
    limits = []
    if cap.get("max_yuan") is not None:
        limits.append(f"不超过 {_yuan(cap['max_yuan'])}")
    if cap.get("dibao_months"):
        limits.append(f"不超过 {cap['dibao_months']} 个月低保标准")
    text = f"{head}{applies}{'，'.join(limits)}"
    return text + (f"（{cap['note']}）" if cap.get("note") else "")


def count_text(limit: dict) -> str:
    return (SCOPES.get(limit.get("scope"), limit.get("scope") or "") + PERIODS.get(limit.get("period"), "")
            + f"最多 {limit.get('max_count')} 次")


def _rows(rows: list[tuple[str, str]]) -> str:
    return ("<table cellspacing='0' cellpadding='3' width='100%'>" + "".join(
        f"<tr><td width='110' valign='top' style='color:{MUTED_COLOR}'>{html.escape(k)}</td>"
        f"<td valign='top'>{v}</td></tr>" for k, v in rows) + "</table>")


def category_label(doc: dict, code: str) -> str:
    return next((c.get("label") for c in doc.get("categories") or [] if c.get("code") == code), code)


def policy_html(v: PolicyVersionView, doc: dict) -> str:
    """A read-only, structured view of one policy version (what an auditor reads)."""
    esc = html.escape
    state = (f"<b style='color:{OK_COLOR}'>生效中</b>" if v.in_force
             else f"<span style='color:{MUTED_COLOR}'>未生效</span>")
    out = [f"<h3 style='margin:0'>{v.year} 年第 {v.version} 版　{state}</h3><p style='margin:2px 0 6px 0'>{esc(v.name)}</p>"]
    basic = [("单位", esc(v.office)),
             ("本人审批", "允许录入人本人审批（一人办公室，审计中标记）" if v.self_approval_allowed
              else "录入人不得审批本人录入的申请"),
             ("一人审多级", "允许同一人审核同一申请的多个层级" if v.several_levels_per_reviewer_allowed
              else "同一人只能审核同一申请的一个层级"),
             ("走访周期", esc("，".join(f"{category_label(doc, c)}每 {m} 个月" for c, m in v.visit_interval_months)
                              or "不要求走访"))]
    chain = doc.get("review_chain") or []
    if chain:
        basic.append(("审核流程", esc(" → ".join(f"{c.get('name') or c.get('level')}（{c.get('days_allowed', 5)} 个工作日）"
                                              for c in chain))))
    for c in doc.get("household_year_caps") or []:
        basic.append(("每户年度上限", esc(cap_text(c))))
    if v.source:
        basic.append(("依据", esc(v.source)))
    if v.note:
        basic.append(("说明", esc(v.note)))
    basic.append(("引用此版本", f"{v.used_by_requests} 件申请"))
    out.append(_rows(basic))
    docs_by_code = {t.get("code"): t for t in doc.get("relief_types") or []}
    for t in v.relief_types:
        d = docs_by_code.get(t.code, {})
        out.append(f"<h4 style='margin:10px 0 2px 0; color:#1f4e8c'>{esc(t.name)}"
                   f"<span style='color:{MUTED_COLOR}; font-weight:normal'>　"
                   f"{esc(KINDS.get(t.kind, t.kind))}</span></h4>")
        rows = [("金额标准", esc(t.standard_text) if t.standard_text else "不设固定标准（按上限控制）")]
        if t.subcases:
            rows.append(("具体情形", "<br>".join(f"{esc(sc.label)}：<b>{esc(sc.note)}</b>" for sc in t.subcases)))
        if t.conditions:
            head = f"至少符合 {t.min_conditions} 项：<br>" if t.min_conditions else ""
            rows.append(("申请条件", head + "<br>".join(f"（{i}）{esc(c.label)}"
                                                      for i, c in enumerate(t.conditions, start=1))))
        limits = [count_text(x) for x in d.get("count_limits") or []]
        if d.get("min_quarter_gap"):
            limits.append(f"两次申请至少相隔 {d['min_quarter_gap']} 个季度（不能连续季度申请）")
        if limits:
            rows.append(("次数限制", esc("；".join(limits))))
        if d.get("caps"):
            rows.append(("金额上限", "<br>".join(esc(cap_text(c)) for c in d["caps"])))
        who = ["须先建档" if t.requires_archive else "未建档职工也可申请"]
        if t.members_only:
            who.append("仅限工会会员")
        if d.get("categories"):
            who.append("限" + "、".join(labels.CATEGORIES.get(c, c) for c in d["categories"]))
        if d.get("exclusion_check"):
            who.append("须通过排除条件核查")
        if t.goods_allowed:
            who.append("可发实物")
        rows.append(("申请对象", esc("；".join(who))))
        if t.attachments:
            rows.append(("所需材料", esc("、".join(t.attachments))))
        if t.fund_sources:
            rows.append(("资金来源", esc("、".join(f.label for f in t.fund_sources))))
        if t.review_levels:
            rows.append(("审核流程", esc(" → ".join(f"{o.label}（{o.note} 个工作日）" for o in t.review_levels))))
        if t.note:
            rows.append(("说明", f"<span style='color:{MUTED_COLOR}'>{esc(t.note)}</span>"))
        out.append(_rows(rows))
    return "".join(out)
