"""City mode: the city's allocations (下拨) to its counties against what each county reports
spent of that money in its annual file (seed 004: the city allocates to its county unions and
collects their returns).

Per county and fund source the city allocated from: allocated (the city's allocations in the
year to the county's union or any union below it), the county's own budget of that source
(its 预算 sheet) and what it paid from that source in the year (its 发放 sheet, matched by the
fund-source code), and the difference allocated − spent: positive is money not yet spent,
negative is spending beyond the allocation (paid from the county's own budget of the source).
A county the city allocated to whose file has not been imported is listed with nothing spent.
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
BUDGET_SOURCE, BUDGET_TOTAL = 2, 8  # columns 资金来源代码 and 预算合计（分） of the 预算 sheet


@dataclass(frozen=True)
class ReconciliationRow:
    county: str
    unit_id: int
    source_code: str
    source_name: str
    allocated_fen: int
    county_budget_fen: int | None  # None: the county's file of the year is not imported
    spent_fen: int | None
    imported: bool

    @property
    def difference_fen(self) -> int:
        return self.allocated_fen - (self.spent_fen or 0)


@dataclass(frozen=True)
class Reconciliation:
    year: int
    rows: tuple[ReconciliationRow, ...]

    @property
    def allocated_fen(self) -> int:
        return sum(r.allocated_fen for r in self.rows)

    @property
    def spent_fen(self) -> int:
        return sum(r.spent_fen or 0 for r in self.rows)

    @property
    def difference_fen(self) -> int:
        return self.allocated_fen - self.spent_fen


def reconcile_allocations(ctx: AppContext, year: int) -> Reconciliation:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    ctx.require(READ)
    require_whole_office(ctx.actor, "市对区县下拨资金的核对")
    start, end = date(year, 1, 1), date(year, 12, 31)
    with ctx.tx(READ) as tx:
        s = tx.session
        city = district_unit(s)
        counties = s.execute(select(OrgUnit).where(OrgUnit.parent_id == city.id).order_by(OrgUnit.sort_order,
                                                                                          OrgUnit.id)).scalars().all()
        current = {r.unit_id: r for r in s.execute(select(ExchangeImport).where(
            ExchangeImport.year == year, ExchangeImport.replaced_by.is_(None))).scalars()}
        rows = []
        for county in counties:
            units = subtree_ids(s, county.id)
            allocated = s.execute(
                select(FundSource.code, FundSource.name, func.sum(BudgetAllocation.amount_fen))
                .join(BudgetLine, BudgetLine.id == BudgetAllocation.line_id)
                .join(FundSource, FundSource.id == BudgetLine.source_id)
                .where(BudgetLine.unit_id == city.id, BudgetAllocation.unit_id.in_(units),
                       BudgetAllocation.allocated_on >= start, BudgetAllocation.allocated_on <= end)
                .group_by(FundSource.code, FundSource.name).order_by(FundSource.code)).all()
            record = current.get(county.id)
            for code, name, amount in allocated:
                if record is None:
                    rows.append(ReconciliationRow(county.name, county.id, code, name, int(amount), None, None, False))
                    continue
                spent = s.execute(select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
                    Payment.archive_scope == county.archive_scope, Payment.fund_source == code,
                    Payment.paid_on >= start, Payment.paid_on <= end)).scalar_one()
                budget = sum(int(b[BUDGET_TOTAL] or 0) for b in record.budgets if b[BUDGET_SOURCE] == code)
                rows.append(ReconciliationRow(county.name, county.id, code, name, int(amount), budget, int(spent), True))
        return Reconciliation(year, tuple(rows))
