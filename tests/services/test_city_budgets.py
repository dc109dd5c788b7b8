"""City mode (issue 14): a county's 预算 and 下拨 sheets become the city's budget lines and
allocations under that county's subtree — the city's budget figures per county equal the
county's own and add up over the counties; a re-import replaces them inside the import's one
transaction; the city does not change a county's lines."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from zhibang_desktop.services import funds
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.services.exchange import county_budgets, export_annual_workbook, import_annual_workbook
from zhibang_desktop.services.reports import annual_report, compute_indicators, dashboard
from zhibang_desktop.storage.models import BudgetAdjustment, BudgetAllocation, BudgetLine, FundSource

from .city_counties import YEAR, city_office, copy_of


@pytest.fixture
def city(db):
    return city_office(db)


def _budget_part(report):
    """The annual report's budget part: per fund source and in total."""
    return (sorted((r.code, r.name, r.budget_fen, r.allocated_fen, r.paid_fen, r.spent_fen) for r in report.by_source),
            report.budget_fen, report.spent_fen)


def _allocations(lines):
    return sorted((a.line_label, a.unit_name, a.allocated_on, a.amount_fen, a.doc_no, a.reported_spent_fen,
                   a.reported_on) for line in lines for a in line.allocations)


def _budget_indicator(indicators):
    i = next(x for x in indicators if x.key == "budget_execution")
    return i.answerable, i.numerator, i.denominator, sorted(e.description for e in i.exceptions)


def _board(board):
    return sorted((e.code, e.budget_fen, e.spent_fen) for e in board.execution), board.execution_total.budget_fen


def _narrowed(ctx, unit_id):
    from dataclasses import replace

    return ctx.as_actor(replace(ctx.actor, scope_unit_id=unit_id))


def _counts(ctx):
    with ctx.db.session() as s:
        return {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (BudgetLine, BudgetAdjustment, BudgetAllocation, FundSource)}


def test_county_budgets_are_the_citys_per_county_and_summed(city, counties):
    units = {c.office: import_annual_workbook(city, c.file).unit_id for c in counties}
    own = {c.office: c.read(lambda ctx: (annual_report(ctx, YEAR), funds.list_budgets(ctx, YEAR), dashboard(ctx, YEAR)))
           for c in counties}
    for office, (report, lines, board) in own.items():
        assert report.budget_fen > 0 and _allocations(lines)
        mine = annual_report(city, YEAR, units[office])
        assert _budget_part(mine) == _budget_part(report)
        assert _budget_indicator(mine.indicators) == _budget_indicator(report.indicators)
        assert _board(dashboard(city, YEAR, units[office])) == _board(board)
        in_city = funds.list_budgets(_narrowed(city, units[office]), YEAR)
        assert _allocations(in_city) == _allocations(lines)
        assert sorted((v.source_code, v.figures.budget_fen, v.figures.allocated_fen, v.figures.paid_fen)
                      for v in in_city) == sorted((v.source_code, v.figures.budget_fen, v.figures.allocated_fen,
                                                   v.figures.paid_fen) for v in lines)
        period = compute_indicators(city, date(YEAR, 1, 1), date(YEAR, 12, 31), units[office])
        assert _budget_indicator(period) == _budget_indicator(report.indicators)
    whole = annual_report(city, YEAR)
    assert whole.budget_fen == sum(r.budget_fen for r, _, _ in own.values())
    assert whole.spent_fen == sum(r.spent_fen for r, _, _ in own.values())
    assert sum(r.allocated_fen for r in whole.by_source) == sum(
        r.allocated_fen for report, _, _ in own.values() for r in report.by_source)
    assert dashboard(city, YEAR).execution_total.budget_fen == whole.budget_fen
    budget = next(x for x in whole.indicators if x.key == "budget_execution")
    assert (budget.numerator, budget.denominator) == (whole.spent_fen, whole.budget_fen)


def test_a_reimport_replaces_the_budgets(city, counties, tmp_path):
    first = import_annual_workbook(city, counties[0].file)
    import_annual_workbook(city, counties[1].file)
    before = _counts(city)
    figures = annual_report(city, YEAR, first.unit_id).budget_fen
    import_annual_workbook(city, counties[0].file)
    assert _counts(city) == before
    assert annual_report(city, YEAR, first.unit_id).budget_fen == figures

    changed = copy_of(counties[0], tmp_path / "changed")  # the county raises a line and sends its year again
    ctx = changed.context()
    line = funds.list_budgets(ctx, YEAR)[0]
    funds.adjust_budget(ctx, line.id, 123_400, "追加帮扶资金", "增财预〔2026〕30号", date(YEAR, 9, 1))
    export_annual_workbook(ctx, YEAR, changed.file)
    own = annual_report(ctx, YEAR)
    ctx.db.close()
    import_annual_workbook(city, changed.file)
    assert _budget_part(annual_report(city, YEAR, first.unit_id)) == _budget_part(own)
    assert own.budget_fen == figures + 123_400
    assert _counts(city) == before  # the adjustment total is one row per line, as before


def test_a_reimport_failing_at_the_budgets_keeps_the_earlier_import(city, counties, monkeypatch):
    first = import_annual_workbook(city, counties[0].file)
    before = _counts(city), _budget_part(annual_report(city, YEAR, first.unit_id))

    def broken(*args):
        raise RuntimeError("磁盘写入失败")

    monkeypatch.setattr(county_budgets, "_sources", broken)  # after the earlier lines are deleted
    with pytest.raises(RuntimeError):
        import_annual_workbook(city, counties[0].file)
    assert (_counts(city), _budget_part(annual_report(city, YEAR, first.unit_id))) == before


def test_the_city_does_not_change_a_countys_lines(city, counties):
    unit = import_annual_workbook(city, counties[0].file).unit_id
    line = funds.list_budgets(city, YEAR)[0]
    with pytest.raises(ValidationFailed, match="年度上报文件导入的预算"):
        funds.adjust_budget(city, line.id, -100, "压减", "", date(YEAR, 9, 1))
    with pytest.raises(ValidationFailed, match="年度上报文件导入的预算"):
        funds.add_budget(city, YEAR, "工会经费", 100_000, "另一项目", unit_id=unit)
    with pytest.raises(ValidationFailed, match="年度上报文件导入的预算"):
        funds.report_allocation(city, line.allocations[0].id if line.allocations else
                                next(v for v in funds.list_budgets(city, YEAR) if v.allocations).allocations[0].id,
                                1)
    assert all(p.line_id != line.id for p in funds.carry_over_proposals(city, YEAR))


def test_a_budget_row_that_does_not_add_up_refuses_the_file(city, counties, tmp_path, monkeypatch):
    """A file whose 预算合计 is less than 下达 + 调整 (a program that wrote the layout wrongly) is
    refused naming the row and column, and changes nothing."""
    from zhibang_desktop.services.exchange import ExchangeFileRefused, annual_export

    first = import_annual_workbook(city, counties[0].file)
    before = _counts(city), _budget_part(annual_report(city, YEAR, first.unit_id))
    rows = annual_export._budget_rows

    def short(s, year):
        for row in rows(s, year):
            yield row[:8] + (row[6] + row[7] - 1,) + row[9:]

    monkeypatch.setattr(annual_export, "_budget_rows", short)
    wrong = copy_of(counties[0], tmp_path / "wrong")
    ctx = wrong.context()
    export_annual_workbook(ctx, YEAR, wrong.file)
    ctx.db.close()
    with pytest.raises(ExchangeFileRefused, match="工作表“预算”第 2 行“预算合计（分）”：.*小于下达金额与调整合计之和"):
        import_annual_workbook(city, wrong.file)
    assert (_counts(city), _budget_part(annual_report(city, YEAR, first.unit_id))) == before


def test_a_carry_over_into_the_year_comes_with_the_budget(city, counties, tmp_path):
    """预算合计 holds the carry-over into the line: the city's budget of the county is its own."""
    carried = copy_of(counties[1], tmp_path / "carried")
    ctx = carried.context()
    funds.add_budget(ctx, YEAR - 1, "财政预算资金", 300_000, "困难职工帮扶", set_on=date(YEAR - 1, 1, 5))
    left = [p for p in funds.carry_over_proposals(ctx, YEAR - 1) if p.remaining_fen > 0]
    assert left
    funds.confirm_carry_over(ctx, YEAR - 1, note="上年结余结转", doc_no="增财预〔2026〕2号")
    export_annual_workbook(ctx, YEAR, carried.file)
    own = annual_report(ctx, YEAR)
    lines = funds.list_budgets(ctx, YEAR)
    ctx.db.close()
    assert sum(v.figures.carried_in_fen for v in lines) == sum(p.remaining_fen for p in left)
    unit = import_annual_workbook(city, carried.file).unit_id
    assert _budget_part(annual_report(city, YEAR, unit)) == _budget_part(own)
    reasons = [a.reason for v in funds.list_budgets(city, YEAR) for a in v.adjustments]
    assert county_budgets.CARRIED in reasons
