"""预算申请测算表: the printed working of a budget request (issue 12, seed 000).

One row per relief type (and schooling stage): who is counted, how many, the standard,
the amount and the sentence that explains it; then the total in figures and in 人民币大写,
this year's budget and execution beside it, the notes, and the signature lines.

The service fills :class:`BudgetRequestData` (this module imports nothing from services).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from ..domain.money import amount_in_words, format_yuan
from .pdf_form import Cell, FormDocument

__all__ = ["BudgetRequestData", "PlanRow", "write_budget_request"]


@dataclass(frozen=True)
class PlanRow:
    label: str
    basis: str
    count: int
    times: int
    unit_fen: int
    amount_fen: int
    working: str


@dataclass(frozen=True)
class BudgetRequestData:
    office_name: str
    year: int
    policy_name: str
    archive_text: str  # "在档 114 户：深度困难 36 户、相对困难 78 户 …"
    rows: tuple[PlanRow, ...]
    total_fen: int
    previous_year: int
    previous_budget_fen: int
    previous_paid_fen: int
    previous_committed_fen: int
    previous_rate_text: str
    notes: tuple[str, ...]
    printed_on: date


def _date_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def write_budget_request(data: BudgetRequestData, target: str | os.PathLike | BinaryIO) -> int:
    """Write the table (A4 portrait, embedded font) to ``target``; return the page count."""
    doc = FormDocument(
        f"{data.year}年度困难职工帮扶资金预算测算表",
        [data.office_name] if data.office_name else [],
        meta_left=f"测算依据：{data.policy_name}",
        meta_right=f"测算日期：{_date_cn(data.printed_on)}",
        page_footer_text=f"{data.office_name}　{data.year}年度预算测算表",
        author=data.office_name,
    )
    doc.add_paragraph(data.archive_text)
    rows = [[r.label, r.basis, str(r.count), str(r.times), format_yuan(r.unit_fen), format_yuan(r.amount_fen)]
            for r in data.rows]
    rows.append(["合计", "", "", "", "", format_yuan(data.total_fen)])
    doc.add_table(["救助项目", "测算对象", "人（户、次）数", "每年次数", "标准（元）", "测算金额（元）"], rows,
                  [30, 50, 22, 16, 24, 28], heading="测算明细",
                  align=["left", "left", "right", "right", "right", "right"])
    doc.add_grid([[Cell("合计（大写）", label=True), Cell(f"人民币{amount_in_words(data.total_fen)}", colspan=3)]],
                 [30, 50, 40, 50])
    doc.add_table(["救助项目", "测算过程"], [[r.label, r.working] for r in data.rows] or [["—", "—"]],
                  [40, 130], heading="测算过程", align=["left", "left"])
    diff = data.total_fen - data.previous_budget_fen
    doc.add_table(
        ["项目", "金额（元）"],
        [[f"{data.previous_year}年预算", format_yuan(data.previous_budget_fen)],
         [f"{data.previous_year}年已发放（含下拨）", format_yuan(data.previous_paid_fen)],
         [f"{data.previous_year}年已审批待发放", format_yuan(data.previous_committed_fen)],
         [f"{data.previous_year}年预算执行率", data.previous_rate_text],
         [f"{data.year}年测算需求比{data.previous_year}年预算" + ("增加" if diff >= 0 else "减少"),
          format_yuan(abs(diff))]],
        [100, 70], heading="与本年度预算及执行对比", align=["left", "right"])
    if data.notes:
        doc.add_paragraph("说明：" + "；".join(data.notes))
    doc.add_spacer(8)
    doc.add_paragraph("经办人：____________　　审核人：____________　　负责人：____________", align="left")
    doc.add_spacer(4)
    doc.add_paragraph(f"{data.office_name}（盖章）　　　　年　　月　　日", align="right")
    return doc.write(target)
