"""困难职工家庭档案表: the 全总-style archive form of a household (DESIGN.md §7), one or many
households in one PDF, each from a new page.

Internal paper (the archive's own copy): it carries the full ID and account numbers, the
incomes and illnesses — never a public document.  The service fills :class:`ArchiveSheet`
with display texts; this module only lays them out.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .household_form_doc import BatchForm, FormBatch
from .output import CancelFn, ProgressFn, Target
from .pdf_form import Cell, Field

TITLE = "困难职工家庭档案表"


@dataclass(frozen=True)
class SheetMember:
    name: str
    relation: str
    sex: str
    birth_date: str
    id_number: str
    health: str  # health and disability
    schooling: str
    job_or_school: str
    income: str  # yuan per month


@dataclass(frozen=True)
class SheetVisit:
    on: str
    method: str
    visitor: str
    findings: str
    outcome: str


@dataclass(frozen=True)
class ArchiveSheet:
    archive_no: str
    archived_on: str  # "2024年3月1日" or "未建档（草稿）"
    unit_name: str
    #: (label, value, span in label/value pairs) in the form's order
    head: tuple[tuple[str, str, int], ...]
    causes: str
    exclusions: str
    bank: tuple[tuple[str, str, int], ...]
    members: tuple[SheetMember, ...]
    visits: tuple[SheetVisit, ...]
    archived_by: str
    reviewed_by: str
    entered_by: str
    grassroots_opinion: str
    grassroots_opinion_on: str | None
    upper_opinion: str
    upper_opinion_on: str | None
    remarks: str = ""
    status_note: str = ""  # e.g. "渐退期至 2026年5月1日"
    extra: tuple[str, ...] = field(default_factory=tuple)


MEMBER_HEADERS = ("姓名", "关系", "性别", "出生日期", "身份证号", "健康/残疾", "就学", "单位或学校", "月收入（元）")
MEMBER_WIDTHS = (16, 12, 10, 20, 36, 20, 14, 26, 18)
LABEL_MM = 28
VISIT_HEADERS = ("日期", "方式", "走访人", "核查情况", "处理意见")
VISIT_WIDTHS = (21, 18, 16, 71, 46)


def _one(doc: BatchForm, s: ArchiveSheet) -> None:
    doc.next_form(s.unit_name, f"档案编号：{s.archive_no}", f"建档日期：{s.archived_on}")
    doc.add_fields([Field(label, value, span) for label, value, span in s.head], heading="户主基本情况",
                   label_width_mm=LABEL_MM, min_row_height_mm=7.5)
    doc.add_grid([[Cell("致困原因", label=True), Cell(s.causes or "—", colspan=3)],
                  [Cell("排除条件核查", label=True), Cell(s.exclusions, colspan=3)]],
                 [LABEL_MM, 50, LABEL_MM, 72], min_row_height_mm=7.5)
    doc.add_fields([Field(label, value, span) for label, value, span in s.bank], heading="救助金发放账户",
                   label_width_mm=LABEL_MM, min_row_height_mm=7.5)
    members = [[m.name, m.relation, m.sex, m.birth_date, m.id_number, m.health, m.schooling, m.job_or_school,
                m.income] for m in s.members]
    doc.keep_space(40)
    doc.add_table(MEMBER_HEADERS, members, MEMBER_WIDTHS, heading="家庭成员", min_rows=max(3, len(members)),
                  min_row_height_mm=7, align=["center"] * 5 + ["left"] * 3 + ["right"])
    visits = [[v.on, v.method, v.visitor, v.findings, v.outcome] for v in s.visits]
    doc.keep_space(30)
    doc.add_table(VISIT_HEADERS, visits or [["—", "", "", "尚无走访记录", ""]], VISIT_WIDTHS,
                  heading="走访核查记录", min_row_height_mm=7, align=["center"] * 3 + ["left"] * 2)
    if s.remarks or s.status_note or s.extra:
        text = "；".join(t for t in (s.status_note, s.remarks, *s.extra) if t)
        doc.add_grid([[Cell("备注", label=True), Cell(text, colspan=3)]], [LABEL_MM, 50, LABEL_MM, 72], min_row_height_mm=7.5)
    doc.add_grid([[Cell("建档人", label=True), s.archived_by, Cell("审核人", label=True), s.reviewed_by,
                   Cell("录入人", label=True), s.entered_by]], [20, 38, 20, 38, 20, 38], min_row_height_mm=8)
    doc.keep_space(30)
    doc.add_opinion("基层工会意见", s.grassroots_opinion, date_text=s.grassroots_opinion_on, height_mm=24,
                    label_width_mm=LABEL_MM)
    doc.keep_space(30)
    doc.add_opinion("上级工会意见", s.upper_opinion, date_text=s.upper_opinion_on, height_mm=24, label_width_mm=LABEL_MM)


def write_archive_sheets(sheets: Sequence[ArchiveSheet], target: Target, *, office: str, banner: str | None = None,
                         progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> int:
    """Write the forms (A4 portrait, embedded fonts); return the page count."""
    doc = BatchForm(TITLE, office=office, banner=banner, footer=f"{office}　{TITLE}（内部存档，不得公开）")
    return FormBatch(doc, _one).write(sheets, target, progress, cancelled)
