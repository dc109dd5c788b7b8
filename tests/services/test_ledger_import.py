"""Historical payment ledger import: all or nothing, row-by-row report, flagged non-archived people."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from zhibang_desktop.services.relief import ledger_import
from zhibang_desktop.services import relief
from zhibang_desktop.services.relief.types import RequestFilter
from zhibang_desktop.storage.models import AuditEntry, Payment, ReliefRequest

from ..admin_helpers import snapshot
from .relief_helpers import add_household, office, person_id, zengcheng


def write_ledger(path, rows, header=("姓名", "身份证号", "救助类型", "救助事由", "发放金额（元）", "发放日期", "资金来源", "备注"),
                 title="2023年增城区总工会困难职工救助发放台账"):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture
def setup(ctx):
    o = office(ctx)
    zengcheng(o["admin"], 2023)
    hh = add_household(ctx, "李四", 201)
    return o, hh


def test_rows_become_approved_requests_with_payments(setup, tmp_path, db):
    o, hh = setup
    li = person_id(201)
    outsider = person_id(777, "F")
    path = write_ledger(tmp_path / "ledger.xlsx", [
        ("李四", li, "季度救助", None, 500, date(2023, 2, 10), "工会经费", ""),
        ("李四", li, "quarterly", "", "600", "2023-08-15", "union", "第三季度"),
        ("王五", outsider, "紧急救助", "突发重大疾病或意外伤害住院手术，家庭非常困难", 3000, date(2023, 5, 6), "", "外来务工"),
        ("王五", outsider, "紧急救助", None, 1000, date(2023, 6, 1), None, "膝关节手术"),
    ])
    res = ledger_import.import_ledger(o["clerk"], path)
    assert res.ok, res.problems
    assert (res.rows, res.imported, res.total_fen) == (4, 4, 510000)
    assert [row for row, _, _ in res.not_in_archive] == [5, 6]  # flagged, allowed
    assert res.not_in_archive[0][2] == outsider[:6] + "********" + outsider[-4:]
    with db.session() as s:
        reqs = s.execute(select(ReliefRequest).order_by(ReliefRequest.id)).scalars().all()
        assert {r.status for r in reqs} == {"approved"} and {r.source for r in reqs} == {"ledger"}
        assert [r.period_quarter for r in reqs] == [1, 3, 2, 2]  # quarter of the payout date
        assert reqs[0].household_id == hh and reqs[2].household_id is None
        assert reqs[2].subcase == "illness_surgery" and reqs[3].subcase is None
        pays = s.execute(select(Payment).order_by(Payment.id)).scalars().all()
        assert [p.amount_fen for p in pays] == [50000, 60000, 300000, 100000]
        assert [p.fund_source for p in pays] == ["union", "union", None, None]
        assert all(p.request_id == r.id and p.source == "ledger" for p, r in zip(pays, reqs, strict=True))
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalars().all()
        assert len(audit) == 1 and "4 笔" in audit[0].summary
    page = relief.list_requests(o["clerk"], RequestFilter(source="ledger"))
    assert page.total == 4 and sum(1 for r in page.rows if not r.archived) == 2


def test_one_bad_row_imports_nothing_and_reports_every_problem(setup, tmp_path, db):
    o, _ = setup
    li = person_id(201)
    path = write_ledger(tmp_path / "bad.xlsx", [
        ("李四", li, "季度救助", None, 500, date(2023, 2, 10), "工会经费", ""),
        ("李四", li[:-1] + ("0" if li[-1] != "0" else "1"), "季度救助", None, 500, date(2023, 5, 10), None, ""),
        ("", li, "季度救助", None, "abc", "2023-13-01", None, ""),
        ("李四", li, "外星救助", None, 500, date(2023, 6, 1), "外星经费", ""),
        ("李四", li, "紧急救助", "膝盖", 1000, date(2023, 6, 1), "工会经费", ""),
        ("李四", li, "季度救助", None, 500, date(2023, 2, 10), "工会经费", ""),  # same as row 3
    ])
    before = snapshot(db)
    report = tmp_path / "errors.xlsx"
    res = ledger_import.import_ledger(o["clerk"], path, report)
    assert not res.ok and res.imported == 0
    assert snapshot(db) == before  # nothing imported, nothing audited
    by_row = {}
    for p in res.problems:
        by_row.setdefault(p.row, []).append(p)
    assert set(by_row) == {4, 5, 6, 7, 8}
    assert any("校验位" in p.reason for p in by_row[4])
    assert {p.column for p in by_row[5]} == {"姓名", "发放金额（元）", "发放日期"}
    assert {p.column for p in by_row[6]} == {"救助类型", "资金来源"}
    assert any("具体情形" in p.reason for p in by_row[7])
    assert any("第 3 行重复" in p.reason for p in by_row[8])
    wb = openpyxl.load_workbook(report)
    rows = list(wb.active.values)
    assert rows[0] == ("工作表", "行号", "列", "原值", "问题") and len(rows) == 1 + len(res.problems)


def test_missing_columns_and_missing_policy_year(setup, tmp_path):
    o, _ = setup
    res = ledger_import.import_ledger(o["clerk"], write_ledger(tmp_path / "a.xlsx", [("李四", "x")],
                                                               header=("姓名", "身份证号")))
    assert not res.ok and "找不到必需的列" in res.problems[0].reason
    res = ledger_import.import_ledger(o["clerk"], write_ledger(tmp_path / "b.xlsx", [
        ("李四", person_id(201), "季度救助", None, 500, date(2022, 2, 10), None, "")]))
    assert not res.ok and "2022 年没有生效的救助政策" in res.problems[0].reason


def test_importing_the_same_ledger_twice_is_refused(setup, tmp_path, db):
    o, _ = setup
    path = write_ledger(tmp_path / "l.xlsx", [("李四", person_id(201), "季度救助", None, 500, date(2023, 2, 10), None, "")])
    assert ledger_import.import_ledger(o["clerk"], path).ok
    res = ledger_import.import_ledger(o["clerk"], path)
    assert not res.ok and "已导入过" in res.problems[0].reason
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Payment)).scalar_one() == 1


def test_header_variants(setup, tmp_path):
    o, _ = setup
    path = write_ledger(tmp_path / "v.xlsx", [("李四", person_id(201), "季度救助", "400", "2023/04/03", "")],
                        header=("受助人姓名", "身份证号码（必填）", "帮扶类型", "救助金额", "发放时间", "说明"), title=None)
    res = ledger_import.import_ledger(o["clerk"], path)
    assert res.ok and res.total_fen == 40000


def test_ledger_payments_count_against_limits(setup, tmp_path):
    """Seed 001: at most 2 quarterly reliefs a year — imported history counts."""
    o, hh = setup
    li = person_id(201)
    ledger_import.import_ledger(o["clerk"], write_ledger(tmp_path / "l.xlsx", [
        ("李四", li, "季度救助", None, 500, date(2023, 1, 10), None, ""),
        ("李四", li, "季度救助", None, 500, date(2023, 7, 10), None, "")]))
    from .relief_helpers import quarterly
    ev = relief.evaluate_draft(o["clerk"], quarterly(hh, 500, quarter=4, year=2023))
    assert "count_limit" in {f.code for f in ev.errors}
    assert ev.history_count_year == 2 and ev.history_total_year_fen == 100000


def test_permission(setup, tmp_path):
    o, _ = setup
    from zhibang_desktop.services.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        ledger_import.import_ledger(o["g"], tmp_path / "none.xlsx")
