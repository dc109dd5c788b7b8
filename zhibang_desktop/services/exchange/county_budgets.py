"""City mode: a county's 预算 and 下拨 sheets become the city's budget lines and allocations
under that county's union subtree, so the funds execution, the annual report's budget part,
the budget indicator and the dashboard add the counties up (and read one county alone).

A line keeps the county's 下达金额 as its initial amount; its 调整合计 becomes one adjustment
and what 预算合计 holds beyond the two (the carry-over into the line) another, both dated on
the line's 下达日期, so the line's budget is the county's 预算合计.  A fund source is matched by
its code; a code the city does not have yet is added with the county's name (the name
differing from the city's is listed by the allocations check, reconciliation.py).  Importing
the same county and year again deletes the lines the earlier import brought (with their
adjustments and allocations) before writing the new ones, inside the import's transaction.
The city does not change a county's lines itself (funds.common.refuse_imported).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...documents.exchange_layout import ALLOCATIONS, BUDGETS
from ...documents.exchange_reader import ExchangeFile
from ...storage.models import BudgetAdjustment, BudgetAllocation, BudgetLine, FundSource, OrgUnit
from ..funds.sources import add_source_in
from .county_rows import BadCells, rows_of

ADJUSTED = "区县上报：本年调整合计"
CARRIED = "区县上报：上年结转转入"


def _drop_earlier(s: Session, scope: str, year: int) -> None:
    """The lines (with their adjustments and allocations) an earlier import of the county and year brought."""
    units = select(OrgUnit.id).where(OrgUnit.archive_scope == scope)
    old = s.execute(select(BudgetLine.id).where(BudgetLine.year == year, BudgetLine.unit_id.in_(units))
                    ).scalars().all()
    if old:
        s.execute(delete(BudgetAllocation.__table__).where(BudgetAllocation.line_id.in_(old)))
        s.execute(delete(BudgetAdjustment.__table__).where(BudgetAdjustment.line_id.in_(old)))
        s.execute(delete(BudgetLine.__table__).where(BudgetLine.id.in_(old)))


def _sources(s: Session, tx, f: ExchangeFile, named: dict[str, str]) -> dict[str, int]:
    """The city's fund source of each code the county used (added with the county's name when new)."""
    out = {}
    for code, name in named.items():
        src = s.execute(select(FundSource).where(FundSource.code == code)).scalar_one_or_none()
        if src is None:
            if s.execute(select(FundSource.id).where(FundSource.name == name)).first():
                name = f"{name}（{code}）"  # the city calls another code by this name
            src = add_source_in(s, tx, name, code=code, note=f"由{f.office}{f.year}年度上报文件导入")
        out[code] = src.id
    return out


def import_budgets(s: Session, tx, scope: str, f: ExchangeFile, units: dict[int, int], now: datetime,
                   bad: BadCells, refuse) -> tuple[int, int]:
    """The county's budget lines and allocations of the year, replacing an earlier import's;
    returns (lines, allocations).  ``refuse(text)`` makes the file's refusal."""
    budgets = rows_of(BUDGETS, f.sheets["budgets"], bad)
    allocations = rows_of(ALLOCATIONS, f.sheets["allocations"], bad)
    named: dict[str, str] = {}
    specs = []
    for r in budgets:
        where = f"工作表“{BUDGETS.title}”第 {r.index + 2} 行"
        number, year, code = r.integer("预算编号", True), r.integer("年度", True), r.text("资金来源代码", True)
        name, unit = r.text("资金来源", True), r.integer("工会编号", True)
        initial, adjusted, total = r.integer("下达金额（分）", True), r.integer("调整合计（分）") or 0, r.integer("预算合计（分）", True)
        set_on = r.day("下达日期", True)
        if year is not None and year != f.year:
            bad.add(f"{where}“年度”", f"{year} 不是文件的年度 {f.year}")
        if unit is not None and unit not in units:
            bad.add(f"{where}“工会编号”", f"{unit} 不在工作表“工会”中")
        if set_on is not None and set_on.year != f.year:
            bad.add(f"{where}“下达日期”", f"{set_on.isoformat()} 不在 {f.year} 年内")
        carried = None
        if None not in (initial, total):
            carried = total - initial - adjusted
            if carried < 0:
                bad.add(f"{where}“预算合计（分）”", f"{total} 小于下达金额与调整合计之和 {initial + adjusted}")
        if code and name:
            named.setdefault(code, name)
        specs.append((number, code, r.text("项目") or "", unit, initial, adjusted, carried, r.text("文号") or "", set_on))
    numbers = {spec[0]: spec for spec in specs}
    for r in allocations:
        where = f"工作表“{ALLOCATIONS.title}”第 {r.index + 2} 行"
        line, code, unit = r.integer("预算编号", True), r.text("资金来源代码"), r.integer("下拨工会编号", True)
        if line is not None and line not in numbers:
            bad.add(f"{where}“预算编号”", f"{line} 不在工作表“{BUDGETS.title}”中")
        elif line is not None and code and numbers[line][1] != code:
            bad.add(f"{where}“资金来源代码”", f"“{code}”与预算编号 {line} 的“{numbers[line][1]}”不符")
        if unit is not None and unit not in units:
            bad.add(f"{where}“下拨工会编号”", f"{unit} 不在工作表“工会”中")
        on = r.day("下拨日期", True)
        if on is not None and on.year != f.year:
            bad.add(f"{where}“下拨日期”", f"{on.isoformat()} 不在 {f.year} 年内")
        r.integer("金额（分）", True)
    if bad.problems:
        raise refuse(bad.text())
    _drop_earlier(s, scope, f.year)
    sources = _sources(s, tx, f, named)
    who = tx.actor.username
    note = f"由{f.office}{f.year}年度上报文件导入"
    lines: dict[int, int] = {}
    for number, code, programme, unit, initial, adjusted, carried, doc_no, set_on in specs:
        line = BudgetLine(year=f.year, source_id=sources[code], programme=programme, unit_id=units[unit],
                          initial_fen=initial, set_on=set_on, doc_no=doc_no, note=note, created_at=now, created_by=who)
        s.add(line)
        s.flush()
        lines[number] = line.id
        for amount, reason in ((adjusted, ADJUSTED), (carried, CARRIED)):
            if amount:
                s.add(BudgetAdjustment(line_id=line.id, adjusted_on=set_on, amount_fen=amount, reason=reason,
                                       doc_no="", created_at=now, created_by=who))
    for r in allocations:
        s.add(BudgetAllocation(
            line_id=lines[r.integer("预算编号")], unit_id=units[r.integer("下拨工会编号")],
            allocated_on=r.day("下拨日期"), amount_fen=r.integer("金额（分）"), doc_no=r.text("文号") or "", note=note,
            reported_spent_fen=r.integer("报告支出（分）"), reported_on=r.day("报告日期"), report_note="",
            reported_by=None, created_at=now, created_by=who))
    s.flush()
    return len(lines), len(allocations)
