"""City mode: the city's allocations (下拨) to its counties against what each county reports
spent of that money in its annual file (seed 004: the city allocates to its county unions and
collects their returns).

Per county and fund source: allocated (the city's allocations in the year from its own lines to
the county's union or any union below it), the county's own budget of that source (its 预算
sheet) and what it paid from that source in the year (its 发放 sheet), and the difference
allocated − spent: positive is money not yet spent, negative is spending beyond the allocation
(paid from the county's own budget of the source).  A county the city allocated to whose file
has not been imported is listed with nothing spent.

Sources are matched by code, and the name is checked: the county's name of a code is the one in
its 预算 sheet.  A code whose names differ, a source the city allocated from that the county's
file does not have, and a source the county budgeted or paid from that the city did not
allocate to it are each listed with the reason (``problem``) and not joined: their difference
is not computed and their spending is left out of the totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ...storage.models import BudgetAllocation, BudgetLine, ExchangeImport, FundSource, OrgUnit, Payment
from ..admin.org import district_unit, require_whole_office, subtree_ids
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed

READ = "report.read"
BUDGET_SOURCE, BUDGET_SOURCE_NAME, BUDGET_TOTAL = 2, 3, 8  # 资金来源代码, 资金来源, 预算合计（分） of the 预算 sheet


@dataclass(frozen=True)
class ReconciliationRow:
    county: str
    unit_id: int
    source_code: str
    source_name: str  # the city's name of the source (the county's, for a source only the county has)
    allocated_fen: int
    county_budget_fen: int | None  # None: the county's file of the year is not imported, or has no budget of it
    spent_fen: int | None  # None: not imported
    imported: bool
    county_source_name: str | None = None  # the name in the county's 预算 sheet (None: not there)
    problem: str = ""  # why the row is not joined ("" = matched by code and name)

    @property
    def matched(self) -> bool:
        return not self.problem

    @property
    def difference_fen(self) -> int | None:
        return self.allocated_fen - (self.spent_fen or 0) if self.matched else None


@dataclass(frozen=True)
class Reconciliation:
    year: int
    rows: tuple[ReconciliationRow, ...]

    @property
    def allocated_fen(self) -> int:
        return sum(r.allocated_fen for r in self.rows)

    @property
    def spent_fen(self) -> int:
        """What the counties spent of the sources matched with the city's allocations."""
        return sum(r.spent_fen or 0 for r in self.rows if r.matched)

    @property
    def problems(self) -> tuple[ReconciliationRow, ...]:
        return tuple(r for r in self.rows if not r.matched)

    @property
    def difference_fen(self) -> int:
        return self.allocated_fen - self.spent_fen


def reconcile_allocations(ctx: AppContext, year: int) -> Reconciliation:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    ctx.require(READ)
    require_whole_office(ctx.actor, "市对区县下拨资金的核对")
    start, end = date(year, 1, 1), date(year, 12, 31)
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        city = district_unit(s)
        counties = s.execute(select(OrgUnit).where(OrgUnit.parent_id == city.id).order_by(OrgUnit.sort_order,
                                                                                          OrgUnit.id)).scalars().all()
        current = {r.unit_id: r for r in s.execute(select(ExchangeImport).where(
            ExchangeImport.year == year, ExchangeImport.replaced_by.is_(None))).scalars()}
        rows = []
        for county in counties:
            rows.extend(_county_rows(s, city, county, current.get(county.id), start, end))
        return Reconciliation(year, tuple(rows))


def _county_rows(s, city: OrgUnit, county: OrgUnit, record: ExchangeImport | None, start: date,
                 end: date) -> list[ReconciliationRow]:
    allocated = {code: (name, int(amount)) for code, name, amount in s.execute(
        select(FundSource.code, FundSource.name, func.sum(BudgetAllocation.amount_fen))
        .join(BudgetLine, BudgetLine.id == BudgetAllocation.line_id)
        .join(FundSource, FundSource.id == BudgetLine.source_id)
        .where(BudgetLine.unit_id == city.id, BudgetAllocation.unit_id.in_(subtree_ids(s, county.id)),
               BudgetAllocation.allocated_on >= start, BudgetAllocation.allocated_on <= end)
        .group_by(FundSource.code, FundSource.name))}
    if record is None:
        return [ReconciliationRow(county.name, county.id, code, name, amount, None, None, False)
                for code, (name, amount) in sorted(allocated.items())]
    names: dict[str, str] = {}
    budgets: dict[str, int] = {}
    for b in record.budgets:
        names.setdefault(b[BUDGET_SOURCE], b[BUDGET_SOURCE_NAME])
        budgets[b[BUDGET_SOURCE]] = budgets.get(b[BUDGET_SOURCE], 0) + int(b[BUDGET_TOTAL] or 0)
    spent = {code: int(amount) for code, amount in s.execute(
        select(Payment.fund_source, func.sum(Payment.amount_fen))
        .where(Payment.archive_scope == county.archive_scope, Payment.fund_source.is_not(None),
               Payment.paid_on >= start, Payment.paid_on <= end).group_by(Payment.fund_source))}
    rows = []
    for code in sorted(set(allocated) | set(names) | set(spent)):
        city_name, amount = allocated.get(code, (None, 0))
        theirs = names.get(code)
        if city_name is None:
            problem = (f"仅区县有：市总本年没有从代码为“{code}”的资金来源向该区县下拨"
                       f"（区县{'称为“' + theirs + '”' if theirs else '只在发放中使用该代码，预算中没有'}），未纳入核对")
        elif code not in names and code not in spent:
            problem = f"仅市总有：区县上报文件的预算和发放中都没有代码为“{code}”（{city_name}）的资金来源，请核实区县是否入账"
        elif theirs is None:
            problem = f"区县预算中没有代码为“{code}”的资金来源，只有发放使用该代码，无法核对名称（市总称为“{city_name}”）"
        elif theirs.strip() != city_name.strip():
            problem = (f"代码“{code}”相同而名称不同：市总称为“{city_name}”，区县称为“{theirs}”；"
                       "请核实是否同一资金来源，核实前不合并核对")
        else:
            problem = ""
        rows.append(ReconciliationRow(county.name, county.id, code, city_name or theirs or code, amount,
                                      budgets.get(code), spent.get(code, 0), True, theirs, problem))
    return rows
