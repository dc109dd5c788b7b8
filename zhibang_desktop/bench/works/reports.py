"""The figures a head of office opens (看板, 年度报表, 资金执行情况) for the demo year, whole office,
as the program computes them: no floor, as no bare library does this work (the issue asks for
their times beside the other works). `report.annual` also writes the report as .xlsx, as 导出
does (without its audit record)."""
from __future__ import annotations

import sqlite3

from ..registry import BenchContext, Work, once, register


def _busiest_year(bench: BenchContext) -> int:
    """The year of the demo's payments (the bench database is built once and kept across years)."""
    def read() -> int:
        con = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True)
        try:
            row = con.execute("select period_year from payments group by period_year "
                              "order by count(*) desc limit 1").fetchone()
        finally:
            con.close()
        if row is None:
            raise RuntimeError("the bench database holds no payments")
        return int(row[0])
    return bench.shared("busiest year", read)


def _head(bench: BenchContext):
    from ...demo import DEMO_PASSWORD
    from ...services.admin import users
    from ...services.context import AppContext
    from .. import app_session

    db = app_session.database(bench)
    return bench.shared("head", lambda: AppContext(db, users.authenticate(db, "head", DEMO_PASSWORD)))


def _dashboard(bench: BenchContext):
    from ...services.reports.dashboard import dashboard

    ctx, year = _head(bench), _busiest_year(bench)
    return once(lambda: dashboard(ctx, year))


def _annual(bench: BenchContext):
    from ...services.reports.annual_document import build_annual_document

    ctx, year = _head(bench), _busiest_year(bench)
    return once(lambda: build_annual_document(ctx, year, bench.scratch / "annual.xlsx"))


def _execution(bench: BenchContext):
    from ...services.funds.execution import execution

    ctx, year = _head(bench), _busiest_year(bench)
    return once(lambda: execution(ctx, year))


for _name, _label, _setup in (("report.dashboard", "工作概览看板（当年，全办公室）", _dashboard),
                              ("report.annual", "年度帮扶工作报表：统计并写出 .xlsx", _annual),
                              ("report.funds_execution", "资金执行情况（当年，全部预算项目）", _execution)):
    register(Work(name=_name, label=_label, app=_setup))
