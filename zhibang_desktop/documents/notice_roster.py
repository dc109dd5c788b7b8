"""公示名单 (public-notice roster) PDF, for posting at the union office or the workplace.

Layout (DESIGN.md §7, seed 000 “公示 5 个工作日”, seed 002 “帮扶资金发放前公示”)::

    增城区总工会关于2026年第一季度困难职工救助对象名单的公示
      （导语）公示时间为2026年3月2日至2026年3月9日（公示期为五个工作日）。在此期间，
      任何单位和个人对公示名单如有异议，请以电话、信函等方式向……反映。
      联系电话：…　　公示地点：…
    ┌序号｜姓名｜工作单位/所属工会｜救助类型｜救助金额（元）｜备注┐   header on every page
    │ …                                                        │
    │ 合计 / 合计：人民币（大写）…                               │
    └──────────────────────────────────────────────────────────┘
                                             增城区总工会（盖章）
                                                  2026年3月2日
                         第 N 页 共 M 页

Privacy: only name, unit, relief type, amount and a remark are printed (plus an
ID number if the office chooses to show it, and then only masked).  Every cell
gets the number-shape check, the remarks and the notice's free texts (title,
intro, place, objection office) the full check of :mod:`.public_text`, and the
phone field must hold phone numbers; otherwise :func:`write_notice_roster` raises
:class:`~.public_text.PrivacyError` naming the field instead of writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ..domain.idnumber import mask_id_number
from .output import CancelFn, ProgressFn, Target
from .pdf_list import Column, ListReport
from .public_text import PrivacyError, check_public_cells, check_public_fields

__all__ = [
    "RosterEntry", "NoticeRoster", "write_notice_roster", "notice_text", "chinese_date",
    "chinese_count", "PrivacyError",
]

_NUMERALS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """五, 十, 十五, 二十, 三十一 — for "公示期为五个工作日"."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _NUMERALS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _NUMERALS[tens]) + "十" + ("" if ones == 0 else _NUMERALS[ones])
    return str(n)


def chinese_date(d: dt.date) -> str:
    """2026年3月2日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class RosterEntry:
    """One published line; exactly what may be shown to the public."""

    name: str
    unit_name: str
    relief_type: str
    amount_fen: int
    remark: str = ""
    id_number: str = ""  # printed masked, and only when NoticeRoster.show_masked_id


@dataclass(frozen=True)
class NoticeRoster:
    title: str
    office_name: str
    start: dt.date
    end: dt.date
    working_days: int
    object_to: str  # where/to whom objections go, e.g. "区总工会权益保障部"
    phone: str
    place: str  # 公示地点
    issued_on: dt.date
    entries: Sequence[RosterEntry] = field(default_factory=tuple)
    intro: str = ""  # optional sentence before the notice period
    show_masked_id: bool = False
    end_warning: str | None = None  # e.g. the 2027 holiday-table warning (not printed)
    footer_text: str | None = None  # small print on every page (e.g. 公示编号)
    # the households' own ID/card numbers, illnesses and causes: never on the page
    forbidden_words: Sequence[str] = ()

    banner: str = ""  # on every page, e.g. 演示数据 — 非真实单位 (the demo office)

def notice_text(roster: NoticeRoster) -> str:
    """The standard notice sentence with the period and where to object."""
    return (
        f"公示时间为{chinese_date(roster.start)}至{chinese_date(roster.end)}"
        f"（公示期为{chinese_count(roster.working_days)}个工作日）。在此期间，任何单位和个人对公示名单"
        f"如有异议，请以电话、信函等方式向{roster.object_to or roster.office_name}反映。"
    )


class _RosterReport(ListReport):
    """ListReport with indented notice paragraphs and right-aligned closing lines (unit, date)."""

    def _setup(self) -> None:  # noqa: D401 - reportlab-style override
        super()._setup()
        from reportlab.lib.units import mm

        # notice paragraphs (subtitle lines) indented by two characters
        body = ParagraphStyle("roster-text", parent=self._text_style, fontSize=11, leading=18,
                              firstLineIndent=22)
        first = [self._first_block[0]]
        for para, gap in self._first_block[1:]:
            first.append((Paragraph(para.text, body), gap))
        self._first_block = first
        self._first_h = self._block_height(first)
        # closing lines: the unit (the seal goes over it) and the date, to the right
        tail = []
        signs = [p for p, _ in self._tail_block if p is not None and p.style is self._footer_style]
        for para, gap in self._tail_block:
            if para is not None and para.style is self._footer_style:
                indent = 20 * mm if para is signs[-1] and len(signs) > 1 else 12 * mm
                style = ParagraphStyle("roster-sign", parent=self._footer_style, alignment=TA_RIGHT,
                                       fontSize=12, leading=18, rightIndent=indent)
                para = Paragraph(para.text, style)
            tail.append((para, gap))
        self._tail_block = tail
        self._tail_h = self._block_height(tail)


def roster_columns(show_masked_id: bool) -> list[Column]:
    cols = [
        Column("序号", 12, align="center", wrap=False),
        Column("姓名", 26, align="center"),
    ]
    if show_masked_id:
        cols.append(Column("身份证号（部分隐藏）", 44, align="center", wrap=False))
    cols += [
        Column("工作单位/所属工会", 84 if show_masked_id else 100),
        Column("救助类型", 34, align="center"),
        Column("救助金额（元）", 32, wrap=False),
        Column("备注", 40 if show_masked_id else 52),
    ]
    return cols


def roster_rows(roster: NoticeRoster) -> list[list]:
    rows = []
    for i, e in enumerate(roster.entries, start=1):
        row: list = [i, e.name]
        if roster.show_masked_id:
            row.append(mask_id_number(e.id_number) if e.id_number else "")
        row += [e.unit_name, e.relief_type, e.amount_fen, e.remark]
        rows.append(row)
    return rows


def write_notice_roster(
    roster: NoticeRoster,
    target: Target,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> int:
    """Write the roster PDF; return the page count.  Raises PrivacyError, never writes one."""
    rows = roster_rows(roster)
    columns = roster_columns(roster.show_masked_id)
    check_public_cells(rows, roster.forbidden_words, free_columns=[len(columns) - 1])
    check_public_fields([("公示标题", roster.title), ("导语", roster.intro), ("公示地点", roster.place),
                         ("异议受理", roster.object_to)], roster.forbidden_words, phone=roster.phone)
    money_col = next(i for i, c in enumerate(columns) if c.header.startswith("救助金额"))
    intro = roster.intro.strip()
    lines = [
        (intro if intro else "") + notice_text(roster),
        "联系电话：" + (roster.phone or "　　　　") + "　　公示地点：" + (roster.place or "　　　　"),
    ]
    report = _RosterReport(
        title=roster.title,
        subtitle_lines=lines,
        columns=columns,
        rows=rows,
        money_columns=[money_col],
        landscape=True,
        footer_lines=[f"{roster.office_name}（盖章）", chinese_date(roster.issued_on)],
        banner=roster.banner or None,
        page_footer_text=roster.footer_text,
        font_size=10.5,
        footer_line_gap_mm=3.0,
        author=roster.office_name,
    )
    return report.write(target, progress=progress, cancelled=cancelled)

