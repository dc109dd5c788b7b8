"""救助申请审批表: the printable approval form of one relief request (DESIGN.md §7).

Number; the head of household (name, sex, household size), hukou and ID number,
address and phone; previous aid (dates, amounts) and this year's count and
total; the case; requested / suggested / approved amounts, also in 人民币大写;
the rule findings and the written justifications; each level's opinion with the
reviewer, the date and the signing space 负责人（盖章） 年 月 日 (the lower level
proposes the amount); the attachments list including the 公示 result and, for a payout approved before the
notice period ended (特批发放), who approved it, when and why.

The service fills :class:`ApprovalFormData` (this module imports nothing from
services); :func:`write_approval_form` lays it out with :mod:`.pdf_form`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from ..domain.money import amount_in_words, format_yuan
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak

from .early_payout import EarlyPayout, early_payout_text
from .pdf_form import Cell, Field, FormDocument

__all__ = ["AidLine", "ApprovalFormData", "EarlyPayout", "LevelBox", "date_cn", "write_approval_form"]


@dataclass(frozen=True)
class AidLine:
    on: date
    type_name: str
    amount_fen: int
    note: str = ""


@dataclass(frozen=True)
class LevelBox:
    """One opinion box: a decision taken, or an empty box for a level still to decide."""

    level_name: str
    decision_label: str = ""
    opinion: str = ""
    reviewer: str = ""
    decided_on: date | None = None
    amount_fen: int | None = None
    justification: str = ""
    self_approved: bool = False
    late_note: str = ""  # e.g. '超期：应于 2026年10月10日前完成'


@dataclass(frozen=True)
class ApprovalFormData:
    office_name: str
    number: str
    request_date: date
    status_label: str
    name: str
    sex: str  # '男' / '女' / ''
    household_size: int | None
    archive_no: str  # '' for a worker not in the archive
    hukou: str
    id_number: str
    address: str
    phone: str
    unit_name: str
    relief_type_name: str
    subcase_name: str
    period: str  # '2026年第三季度' / '2026年'
    conditions: tuple[str, ...]
    reason: str
    requested_fen: int
    suggested_fen: int
    approved_fen: int | None
    standard_text: str
    amount_basis: str = ""  # e.g. '个人自付医疗费 15,000.00 元'
    previous_aid: tuple[AidLine, ...] = ()
    year_count: int = 0
    year_total_fen: int = 0
    findings: tuple[tuple[str, str], ...] = ()  # (severity label, message)
    justification: str = ""
    levels: tuple[LevelBox, ...] = ()
    attachments: tuple[str, ...] = ()
    creator: str = ""
    printed_by: str = ""
    printed_on: date | None = None
    policy_text: str = ""  # '增城区…办法（2026 年第 1 版）'
    notes: tuple[str, ...] = field(default_factory=tuple)
    notice_result: str = ""  # '已公示（…至…），无异议'; '' leaves the line for the clerk to fill in
    early_payout: EarlyPayout | None = None  # 特批发放 before the notice period ended

    banner: str = ""  # on every page, e.g. 演示数据 — 非真实单位 (the demo office)

def date_cn(d: date | None) -> str:
    """2026年3月5日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def _money(fen: int | None) -> str:
    return "" if fen is None else f"¥{format_yuan(fen)}"


def _words(fen: int | None) -> str:
    return "" if fen is None else f"人民币{amount_in_words(fen)}"


class _Form(FormDocument):
    def keep_space(self, height_mm: float) -> None:
        """Start a new page unless ``height_mm`` is left (a box is never cut from its label)."""
        self._story.append(CondPageBreak(height_mm * mm))


def write_approval_form(data: ApprovalFormData, target: str | os.PathLike | BinaryIO) -> int:
    """Write the form (A4 portrait, embedded font) to ``target``; return the page count."""
    doc = _Form(
        "救助申请审批表",
        [data.office_name] if data.office_name else [],
        meta_left=f"编号：{data.number}",
        meta_right=f"申请日期：{date_cn(data.request_date)}",
        banner=data.banner or None,
        page_footer_text=f"{data.number}　{data.name}　救助申请审批表",
        author=data.office_name,
    )
    size = "" if data.household_size is None else f"{data.household_size} 人"
    doc.add_fields([
        Field("户主姓名", data.name), Field("性别", data.sex), Field("家庭人口", size),
        Field("身份证号", data.id_number, span=2), Field("档案编号", data.archive_no or "未建档"),
        Field("户口", data.hukou, span=2), Field("联系电话", data.phone),
        Field("家庭住址", data.address, span=2), Field("所属工会", data.unit_name),
    ], heading="申请人基本情况")

    cond = "；".join(data.conditions) if data.conditions else "—"
    doc.add_fields([
        Field("救助类型", data.relief_type_name), Field("具体情形", data.subcase_name or "—", span=2),
        Field("救助期间", data.period), Field("申请条件", cond, span=2),
    ], heading="申请救助情况")
    doc.add_text_block("申请事由", data.reason, height_mm=24)

    prev = [[date_cn(a.on), a.type_name, format_yuan(a.amount_fen), a.note] for a in data.previous_aid]
    doc.add_table(["发放（审批）日期", "救助类型", "金额（元）", "备注"], prev or [["无", "", "", ""]],
                  [34, 46, 30, 60], heading="以往救助情况", align=["center", "center", "right", "left"])
    doc.add_grid([[Cell("本年度已救助", label=True),
                   Cell(f"{data.year_count} 次，合计 {format_yuan(data.year_total_fen)} 元（不含本次）", colspan=3)]],
                 [26, 40, 40, 64])

    basis = data.standard_text + (f"；{data.amount_basis}" if data.amount_basis else "")
    doc.add_grid([
        [Cell("金额", label=True), Cell("小写", label=True), Cell("大写", label=True)],
        [Cell("申请金额", label=True), Cell(_money(data.requested_fen), align="right"), _words(data.requested_fen)],
        [Cell("建议金额", label=True), Cell(_money(data.suggested_fen), align="right"), _words(data.suggested_fen)],
        [Cell("核定金额", label=True), Cell(_money(data.approved_fen), align="right"),
         _words(data.approved_fen) if data.approved_fen is not None else "（审批后填写）"],
        [Cell("政策标准", label=True), Cell(basis or "—", colspan=2)],
    ], [26, 40, 104], heading="救助金额")

    if data.findings:
        lines = [f"{i}. 【{sev}】{msg}" for i, (sev, msg) in enumerate(data.findings, 1)]
    else:
        lines = ["符合政策标准，无规则提示。"]
    lines.append("书面说明：" + (data.justification or "—"))
    doc.keep_space(12 + 6 * len(lines))
    doc.add_text_block("规则核查\n及书面说明", "\n".join(lines), height_mm=14)

    for box in data.levels:
        text = ""
        if box.decision_label:
            head = f"审核结论：{box.decision_label}"
            if box.amount_fen is not None:
                head += f"　　核定金额：{format_yuan(box.amount_fen)} 元（{amount_in_words(box.amount_fen)}）"
            parts = [head, f"意见：{box.opinion}"]
            if box.justification:
                parts.append(f"说明：{box.justification}")
            parts.append(f"审核人：{box.reviewer}" + ("（经办人本人审批，政策允许）" if box.self_approved else ""))
            if box.late_note:
                parts.append(box.late_note)
            text = "\n".join(parts)
        doc.keep_space(34)
        doc.add_opinion(f"{box.level_name}意见", text, date_text=date_cn(box.decided_on) or None, height_mm=28)

    atts = [[str(i), a] for i, a in enumerate(data.attachments, 1)]
    n = len(atts)
    doc.keep_space(30)
    atts.append([str(n + 1), f"公示结果：{data.notice_result}" if data.notice_result else
                 "公示结果：□无异议 □有异议　公示期：　年　月　日至　年　月　日"])
    if data.early_payout is not None:
        atts.append([str(n + 2), f"特批发放：{early_payout_text(data.early_payout)}"])
    doc.add_table(["序号", "附件"], atts, [12, 158], heading="附件清单", align=["center", "left"])

    foot = [f"经办人：{data.creator}", f"状态：{data.status_label}"]
    if data.printed_on:
        foot.append(f"打印：{data.printed_by} {date_cn(data.printed_on)}")
    doc.add_paragraph("　　".join(foot), size=9)
    if data.policy_text:
        doc.add_paragraph(f"适用政策：{data.policy_text}", size=9, space_before_mm=1)
    for note in data.notes:
        doc.add_paragraph(note, size=9, space_before_mm=1)
    return doc.write(target)

