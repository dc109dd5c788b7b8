"""The demo year's budgets, matching its payouts (issue 12).

Before the year's work: for each calendar year of the demo window, a 工会经费 line and a
财政预算资金 line (seed 001's 2023 budget was 430,000 + 50,000 = 480,000; a year only partly
in the window gets its share).  After the work: the current year's 工会经费 line is cut
mid-year to what the year needs (seed 001: 480,000 → 270,000, "按财政要求压减经费"), and part of
the 财政 line is allocated to a street union, which reports most of it spent (seed 004).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..services import funds
from ..services.context import AppContext
from ..services.errors import ServiceError
from ..storage.models import OrgUnit

UNION_PER_YEAR = 43_000_000
CITY_PER_YEAR = 5_000_000
PROGRAMME = "困难职工帮扶"
ALLOCATED = 1_000_000
REPORTED = 925_000


def set_budgets(head: AppContext, quarters: list[tuple[int, int]]) -> None:
    """One 工会经费 and one 财政预算资金 line per year of the window, set on 5 January."""
    for year in sorted({y for y, _ in quarters}):
        share = sum(1 for y, _ in quarters if y == year)
        funds.add_budget(head, year, "工会经费", UNION_PER_YEAR * share // 4, PROGRAMME, set_on=date(year, 1, 5),
                         doc_no=f"增工〔{year}〕1号")
        funds.add_budget(head, year, "财政预算资金", CITY_PER_YEAR * share // 4, PROGRAMME, set_on=date(year, 1, 5),
                         doc_no=f"增财预〔{year}〕3号")


def cut_and_allocate(head: AppContext, year: int, today: date) -> None:
    """The mid-year cut of the 工会经费 line and one allocation to a street union, dated in `year`."""
    lines = {v.source_code: v for v in funds.list_budgets(head, year)}
    union, city = lines.get("union"), lines.get("city")
    mid_year = min(date(year, 7, 15), today)
    if union is not None:
        f = union.figures
        used = f.allocated_fen + f.committed_fen + f.paid_fen
        target = -(-used * 100 // 98 // 100_000) * 100_000  # about 98 % used, in whole thousands of yuan
        if f.budget_fen > target:
            funds.adjust_budget(head, union.id, target - f.budget_fen, "年中按财政要求压减经费",
                                f"增财预〔{year}〕18号", mid_year)
    with head.db.session() as s:
        street = s.execute(select(OrgUnit.id).where(OrgUnit.level == "street").order_by(OrgUnit.id)).scalar()
    if city is not None and street is not None:
        try:
            a = funds.allocate(head, city.id, street, ALLOCATED, f"增工〔{year}〕9号", date(year, 3, 15),
                               "镇（街）工会日常帮扶救助")
        except ServiceError:
            return  # the 财政 line is spent: no allocation this year
        funds.report_allocation(head, a.id, REPORTED, today, "日常帮扶、医疗救助")
