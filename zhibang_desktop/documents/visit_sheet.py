"""困难职工家庭入户走访表: the sheet a visitor takes to a household whose 走访 is due (seed 002:
先家访、后建档; deep households yearly, the others twice a year), one household per page.

Pre-filled, it shows what the archive holds (members, incomes, the last visit) for the
visitor to confirm or correct; blank, only what is needed to find the household.  Either
way the situation, findings, opinion and signatures are left to be written by hand.  The
ID number is masked: the sheet leaves the office.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .household_form_doc import BatchForm, FormBatch
from .output import CancelFn, ProgressFn, Target
from .pdf_form import Cell, Field

TITLE = "困难职工家庭入户走访表"
CHECKS = ("家庭人口", "家庭收入", "就业情况", "健康状况", "住房情况", "子女就学")
BLANK_MEMBER_ROWS = 2


@dataclass(frozen=True)
class VisitSheetMember:
    name: str
    relation: str
    health: str
    job_or_school: str
    income: str


@dataclass(frozen=True)
class VisitSheet:
    archive_no: str
    due_on: str  # "2026年11月1日（已逾期）"
    unit_name: str
    name: str
    sex: str
    id_number_masked: str
    phone: str
    address: str
    category: str
    household_size: str
    income: str  # "家庭月收入 … 元，人均 … 元" or ""
    causes: str
    last_visit: str  # "2025年11月3日 入户核查（陈晓）：…" or ""
    members: tuple[VisitSheetMember, ...]
    prefilled: bool


def _one(doc: BatchForm, s: VisitSheet) -> None:
    doc.next_form(s.unit_name, f"档案编号：{s.archive_no}", f"应走访日期：{s.due_on}")
    fill = s.prefilled
    doc.add_fields([
        Field("户主姓名", s.name), Field("性别", s.sex), Field("困难类别", s.category),
        Field("身份证号", s.id_number_masked), Field("联系电话", s.phone), Field("家庭人口", s.household_size if fill else ""),
        Field("家庭住址", s.address, span=3),
        Field("致困原因", s.causes if fill else "", span=3),
        Field("档案记载收入", s.income if fill else "", span=3),
        Field("上次走访", s.last_visit if fill else "", span=3),
    ], heading="家庭基本情况", label_width_mm=24, min_row_height_mm=6.5)
    rows = [[m.name, m.relation, m.health, m.job_or_school, m.income] for m in s.members] if fill else []
    doc.add_table(("姓名", "关系", "健康状况", "工作单位或学校", "月收入（元）", "核实情况"),
                  [r + [""] for r in rows], (18, 14, 26, 44, 22, 50), heading="家庭成员（核实或补充）",
                  min_rows=max(4, len(rows) + (BLANK_MEMBER_ROWS if len(rows) < 4 else 1)), min_row_height_mm=6.5,
                  align=["center", "center", "left", "left", "right", "left"])
    doc.keep_space(108)  # the part filled in on site stays on one page
    doc.add_grid([[Cell("走访方式", label=True), Cell("□ 入户核查　　□ 电话走访", colspan=2),
                   Cell("走访日期", label=True), Cell("　　　　年　　月　　日", colspan=2)]]
                 + [[Cell(item, label=True), Cell("□ 无变化　　□ 有变化：", colspan=5)] for item in CHECKS],
                 [24, 40, 26, 24, 30, 30], heading="核查情况（请勾选）", min_row_height_mm=6.5)
    doc.add_text_block("核查情况\n说明", "", height_mm=24, label_width_mm=24)
    doc.add_text_block("处理意见", "□ 继续在档　□ 调整困难类别　□ 进入渐退期　□ 其他：", height_mm=16,
                       label_width_mm=24)
    doc.add_grid([[Cell("走访人签名", label=True), "", Cell("被走访人签名", label=True), "",
                   Cell("日期", label=True), "　　年　　月　　日"]], [24, 36, 26, 36, 14, 38], min_row_height_mm=11)


def write_visit_sheets(sheets: Sequence[VisitSheet], target: Target, *, office: str, banner: str | None = None,
                       progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> int:
    """Write the sheets (A4 portrait, embedded fonts); return the page count."""
    doc = BatchForm(TITLE, office=office, banner=banner, footer=f"{office}　{TITLE}")
    return FormBatch(doc, _one).write(sheets, target, progress, cancelled)
