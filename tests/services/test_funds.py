"""Funds and budgets with the seeds' figures (issue 12).

Seed 001 (增城 2023): 480,000 cut to 270,000 (财政 50,000 → 2,000, 工会经费 430,000 →
268,000), spent 265,800 (财政 2,000, 工会经费 263,800) = 98.44 %.
Seed 002 (海口 2022): 省总工会 money 1,030,097, spent 265,134, carried over 764,963;
provincial money only for living, education and medical relief.
Seed 004 (蚌埠 2022): 100万 of city money allocated to the counties — 怀远县 25万,
五河县 10万, 固镇县 5万.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.services.funds_helpers import paid_batch, requests_of
from tests.services.payout_helpers import Clock, noticed
from tests.services.relief_helpers import zengcheng
from zhibang_desktop.services import funds, payout
from zhibang_desktop.services.admin import org
from zhibang_desktop.services.context import Actor, AppContext
from zhibang_desktop.services.errors import PermissionDenied, ValidationFailed
from zhibang_desktop.services.payout.types import BatchInput, LinePlan
from zhibang_desktop.storage.models import AuditEntry, BudgetDraw, Disbursement


def fen(yuan: int) -> int:
    return yuan * 100


def units(ctx) -> dict[str, int]:
    return {u.name: u.id for u in org.list_units(ctx)}


@pytest.mark.parametrize("paid, budget, expected", [
    (fen(265_800), fen(270_000), "98.44%"),  # seed 001
    (fen(8_017_700), fen(22_570_000), "35.52%"),  # seed 000: 801.77万 ÷ 2,257万
    (fen(2_000), fen(2_000), "100.00%"),  # seed 001, 财政预算资金
    (0, 0, "—"),
])
def test_execution_rate(paid, budget, expected):
    assert funds.rate_text(funds.Figures(budget_fen=budget, paid_fen=paid).rate_bp) == expected


def test_zengcheng_budget_cut_and_execution(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    city = funds.add_budget(ctx, 2026, "财政预算资金", fen(50_000), "困难职工帮扶", doc_no="增财预〔2026〕3号")
    union = funds.add_budget(ctx, 2026, "工会经费", fen(430_000), "困难职工帮扶")
    assert (city.source_code, union.source_code) == ("city", "union")  # taken from the policy's sources
    assert sum(b.figures.budget_fen for b in funds.list_budgets(ctx, 2026)) == fen(480_000)

    clock.set(2026, 2, 10)
    funds.adjust_budget(ctx, city.id, -fen(48_000), "年中按财政要求压减经费", "增财预〔2026〕18号")
    union = funds.adjust_budget(ctx, union.id, -fen(162_000), "年中按财政要求压减经费", "增财预〔2026〕18号")
    assert [(a.kind_label, a.amount_fen, a.doc_no) for a in union.adjustments] == [
        ("调减", -fen(162_000), "增财预〔2026〕18号")]
    before_cut = funds.execution(ctx, 2026, as_of=date(2026, 2, 9))
    assert before_cut.total.budget_fen == fen(480_000)

    city_ids = requests_of(ctx, [fen(2_000)], fund="city")
    union_ids = requests_of(ctx, [fen(131_900), fen(131_900)], seq0=10)
    paid_batch(ctx, clock, city_ids + union_ids)

    report = funds.execution(ctx, 2026, as_of=date(2026, 12, 31))
    assert (report.total.budget_fen, report.total.paid_fen, report.total.remaining_fen) == (
        fen(270_000), fen(265_800), fen(4_200))
    assert funds.rate_text(report.total.rate_bp) == "98.44%"
    by_source = {r.label: (r.figures.budget_fen, r.figures.paid_fen, funds.rate_text(r.figures.rate_bp))
                 for r in report.by_source}
    assert by_source == {"财政预算资金": (fen(2_000), fen(2_000), "100.00%"),
                         "工会经费": (fen(268_000), fen(263_800), "98.43%")}
    assert [(r.key, r.figures.paid_fen) for r in report.by_relief_type] == [("quarterly", fen(265_800))]
    drill = funds.execution_payments(ctx, 2026, source_code="union", as_of=date(2026, 12, 31))
    assert [(d.amount_fen, d.state_label) for d in drill] == [(fen(131_900), "已发放")] * 2
    # on a date before the payments, the same money was still committed
    early = funds.execution(ctx, 2026, as_of=date(2026, 3, 19))
    assert (early.total.committed_fen, early.total.paid_fen) == (fen(265_800), 0)


def test_adjustment_is_audited_in_fen_and_needs_a_reason(ctx):
    zengcheng(ctx, 2026)
    line = funds.add_budget(ctx, 2026, "工会经费", fen(480_000))
    with pytest.raises(ValidationFailed, match="调整原因"):
        funds.adjust_budget(ctx, line.id, -fen(210_000), "  ")
    funds.adjust_budget(ctx, line.id, -fen(210_000), "压减经费", "增工〔2026〕7号")
    with ctx.db.session() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.entity == "budget_line")
                         .order_by(AuditEntry.seq)).scalars().all()
    assert "48000000 分" in rows[0].summary
    assert rows[1].changes == [["预算（分）", fen(480_000), fen(270_000)]]
    assert "压减经费" in rows[1].summary and "增工〔2026〕7号" in rows[1].summary


def test_overdraw_needs_a_written_reason_printed_on_the_batch(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    line = funds.add_budget(ctx, 2026, "工会经费", fen(1_000))
    ids = requests_of(ctx, [fen(500), fen(500), fen(600)])
    noticed(ctx, clock)
    with ctx.db.session() as s:
        batches_before = s.execute(select(func.count()).select_from(Disbursement)).scalar_one()
    with pytest.raises(funds.OverdrawNeedsReason) as err:
        payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in ids]))
    assert "超出 600.00 元" in str(err.value)
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(Disbursement)).scalar_one() == batches_before
    b = payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in ids],
                                                  overdraw_reason="第一季度申请集中，待年中调增预算"))
    assert "超预算说明" in b.remark and "待年中调增预算" in b.remark
    assert funds.list_budgets(ctx, 2026)[0].figures.remaining_fen == -fen(600)
    reasons = {d.overdraw_reason for d in funds.execution_payments(ctx, 2026, budget_line_id=line.id)}
    assert reasons == {"第一季度申请集中，待年中调增预算"}


def test_a_source_that_does_not_allow_the_relief_type_is_an_error(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    funds.add_source(ctx, "省财政", ["living", "education", "medical"], code="provincial")  # seed 002
    funds.add_budget(ctx, 2026, "省财政", fen(295_200))
    ids = requests_of(ctx, [fen(500)], fund="provincial")
    noticed(ctx, clock)
    with pytest.raises(ValidationFailed, match="省财政不能用于季度救助"):
        payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in ids],
                                                  overdraw_reason="不相干"))
    assert funds.budget_choices(ctx, 2026, "quarterly") == []
    assert [c.label for c in funds.budget_choices(ctx, 2026, "medical")] == ["2026年 省财政"]


def test_no_budget_line_for_the_type_is_an_error_once_the_year_is_budgeted(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    funds.add_source(ctx, "省财政", ["living"], code="provincial")
    funds.add_budget(ctx, 2026, "省财政", fen(1_000))
    ids = requests_of(ctx, [fen(500)], fund="union")
    noticed(ctx, clock)
    with pytest.raises(ValidationFailed, match="没有可用于季度救助的预算指标|资金来源“union”没有 2026 年预算"):
        payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in ids]))


def test_renounced_and_returned_money_goes_back_to_its_line(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    line = funds.add_budget(ctx, 2026, "工会经费", fen(10_000))
    ids = requests_of(ctx, [fen(500), fen(600), fen(400)])
    noticed(ctx, clock)
    b = payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(r) for r in ids]))
    assert funds.get_budget(ctx, line.id).figures.committed_fen == fen(1_500)
    lines = {ln.amount_fen: ln.id for ln in b.lines}
    payout.mark_renounced(ctx, lines[fen(600)], "本人放弃（担心影响低保）")
    payout.mark_paid(ctx, [lines[fen(500)], lines[fen(400)]], date(2026, 3, 20))
    payout.mark_returned(ctx, lines[fen(400)], "账号有误", date(2026, 3, 25))
    f = funds.get_budget(ctx, line.id).figures
    assert (f.paid_fen, f.returned_fen, f.committed_fen, f.remaining_fen) == (
        fen(500), fen(1_000), 0, fen(9_500))
    # the reissue of the returned line draws on the same budget line again
    payout.create_reissue_batch(ctx, [payout.ReissuePlan(lines[fen(400)], method="cash")], date(2026, 4, 15))
    f = funds.get_budget(ctx, line.id).figures
    assert (f.committed_fen, f.remaining_fen) == (fen(400), fen(9_100))


def test_carry_over_haikou(ctx):
    """Seed 002: 1,030,097 of 省总工会 money, 265,134 used, 764,963 carried into the next year."""
    u = units(ctx)
    zengcheng(ctx, 2025)
    funds.add_source(ctx, "省总工会", ["quarterly", "emergency"], code="provincial_union")
    line = funds.add_budget(ctx, 2025, "省总工会", 103_009_700, set_on=date(2025, 1, 10))
    funds.allocate(ctx, line.id, u["荔城街总工会"], 26_513_400, "琼工〔2025〕5号", allocated_on=date(2025, 4, 1))
    [proposal] = funds.carry_over_proposals(ctx, 2025)
    assert (proposal.remaining_fen, proposal.confirmed) == (76_496_300, None)
    with pytest.raises(ValidationFailed, match="结转说明"):
        funds.confirm_carry_over(ctx, 2025, {line.id: 70_000_000})
    [done] = funds.confirm_carry_over(ctx, 2025, doc_no="已报省总工会")
    assert (done.amount_fen, done.computed_fen, done.to_year) == (76_496_300, 76_496_300, 2026)
    [next_year] = funds.list_budgets(ctx, 2026)
    assert (next_year.source_name, next_year.figures.budget_fen, next_year.figures.carried_in_fen) == (
        "省总工会", 76_496_300, 76_496_300)
    assert funds.confirm_carry_over(ctx, 2025) == []  # already carried: nothing twice
    with pytest.raises(ValidationFailed, match="尚未结束"):
        funds.confirm_carry_over(ctx, 2026)


def test_allocation_to_counties_and_their_reported_spending(ctx):
    """Seed 004: 100万 of city money; 怀远县 25万, 五河县 10万, 固镇县 5万."""
    zengcheng(ctx, 2026)
    root = units(ctx)["增城区总工会"]
    county = {n: org.add_unit(ctx, n, "street", root).id for n in ("怀远县总工会", "五河县总工会", "固镇县总工会")}
    line = funds.add_budget(ctx, 2026, "财政预算资金", fen(1_000_000), "困难职工帮扶")
    for name, amount in (("怀远县总工会", 250_000), ("五河县总工会", 100_000), ("固镇县总工会", 50_000)):
        funds.allocate(ctx, line.id, county[name], fen(amount), "蚌财〔2026〕12号", allocated_on=date(2026, 3, 15))
    huaiyuan = funds.list_allocations(ctx, 2026)[0]
    reported = funds.report_allocation(ctx, huaiyuan.id, fen(240_000), date(2026, 11, 20), "日常救助、医疗救助")
    assert (reported.unit_name, reported.reported_spent_fen, funds.rate_text(reported.reported_rate_bp)) == (
        "怀远县总工会", fen(240_000), "96.00%")
    f = funds.get_budget(ctx, line.id).figures
    assert (f.allocated_fen, f.remaining_fen, funds.rate_text(f.rate_bp)) == (fen(400_000), fen(600_000), "40.00%")
    with pytest.raises(ValidationFailed, match="可用余额 600,000.00 元"):
        funds.allocate(ctx, line.id, county["怀远县总工会"], fen(700_000))
    with pytest.raises(ValidationFailed, match="不是该预算所属工会的下级工会"):
        funds.allocate(ctx, line.id, root, fen(1_000))
    with pytest.raises(ValidationFailed, match="报告支出"):
        funds.report_allocation(ctx, huaiyuan.id, fen(300_000))
    with pytest.raises(ValidationFailed, match="少于已下拨"):
        funds.adjust_budget(ctx, line.id, -fen(700_000), "压减")


def test_the_clerk_draws_but_does_not_set_budgets(ctx):
    zengcheng(ctx, 2026)
    clerk = ctx.as_actor(Actor.make(None, "clerk", "经办人", {"clerk"}))
    with pytest.raises(PermissionDenied, match="管理预算资金"):
        funds.add_budget(clerk, 2026, "工会经费", fen(1_000))
    head = ctx.as_actor(Actor.make(None, "head", "负责人", {"head"}))
    line = funds.add_budget(head, 2026, "工会经费", fen(1_000))
    assert [b.id for b in funds.list_budgets(clerk, 2026)] == [line.id]


def test_a_user_bound_to_a_union_sees_its_subtree_only(ctx):
    zengcheng(ctx, 2026)
    u = units(ctx)
    district = funds.add_budget(ctx, 2026, "工会经费", fen(100_000))
    street = funds.add_budget(ctx, 2026, "工会经费", fen(20_000), unit_id=u["荔城街总工会"])
    funds.allocate(ctx, district.id, u["新塘镇总工会"], fen(5_000))
    to_licheng = funds.allocate(ctx, district.id, u["荔城街某某电子厂工会"], fen(3_000))
    scoped = ctx.as_actor(Actor.make(None, "lc", "荔城街经办人", {"clerk", "head"}, u["荔城街总工会"]))
    assert [b.id for b in funds.list_budgets(scoped, 2026)] == [street.id]
    assert [a.id for a in funds.list_allocations(scoped, 2026)] == [to_licheng.id]
    assert funds.execution(scoped, 2026).total.budget_fen == fen(20_000)
    with pytest.raises(PermissionDenied):
        funds.get_budget(scoped, district.id)
    with pytest.raises(PermissionDenied):
        funds.adjust_budget(scoped, district.id, fen(1), "调增")


def _lines_and_allocations(ctx):
    """The district's line allocating to 新塘镇 and to 荔城街's factory union, 荔城街's line
    allocating to the same factory, 新塘镇's line; the labels of each line and allocation by id."""
    zengcheng(ctx, 2026)
    u = units(ctx)
    district = funds.add_budget(ctx, 2026, "工会经费", fen(100_000))
    licheng = funds.add_budget(ctx, 2026, "工会经费", fen(20_000), unit_id=u["荔城街总工会"])
    xintang = funds.add_budget(ctx, 2026, "工会经费", fen(10_000), unit_id=u["新塘镇总工会"])
    given = {
        funds.allocate(ctx, district.id, u["新塘镇总工会"], fen(5_000)).id: "区→新塘镇",
        funds.allocate(ctx, district.id, u["荔城街某某电子厂工会"], fen(3_000)).id: "区→电子厂",
        funds.allocate(ctx, licheng.id, u["荔城街某某电子厂工会"], fen(2_000)).id: "荔城街→电子厂",
    }
    return u, {district.id: "区", licheng.id: "荔城街", xintang.id: "新塘镇"}, given


ALL_LINES, ALL_ALLOCATIONS = {"区", "荔城街", "新塘镇"}, {"区→新塘镇", "区→电子厂", "荔城街→电子厂"}


@pytest.mark.parametrize("bound, union, lines, allocations", [
    (None, None, ALL_LINES, ALL_ALLOCATIONS),  # no union chosen: as before
    (None, "增城区总工会", ALL_LINES, ALL_ALLOCATIONS),
    (None, "荔城街总工会", {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}),
    (None, "荔城街某某电子厂工会", set(), {"区→电子厂", "荔城街→电子厂"}),
    (None, "新塘镇总工会", {"新塘镇"}, {"区→新塘镇"}),
    (None, "区直机关工会", set(), set()),
    ("荔城街总工会", None, {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}),
    ("荔城街总工会", "荔城街总工会", {"荔城街"}, {"区→电子厂", "荔城街→电子厂"}),
    ("荔城街总工会", "荔城街某某电子厂工会", set(), {"区→电子厂", "荔城街→电子厂"}),
])
def test_the_union_chosen_narrows_lines_and_allocations_to_its_subtree(ctx, bound, union, lines, allocations):
    u, line_names, allocation_names = _lines_and_allocations(ctx)
    reader = ctx if bound is None else ctx.as_actor(Actor.make(None, "u", "经办人", {"clerk"}, u[bound]))
    unit_id = None if union is None else u[union]
    listed = funds.list_budgets(reader, 2026, unit_id=unit_id)
    assert {line_names[v.id] for v in listed} == lines
    assert {allocation_names[a.id] for a in funds.list_allocations(reader, 2026, unit_id=unit_id)} == allocations
    # the execution tab of the same union counts the same lines
    assert [r.key for r in funds.execution(reader, 2026, unit_id=unit_id).by_line] == [str(v.id) for v in listed]


@pytest.mark.parametrize("union", ["新塘镇总工会", "增城区总工会", "新塘镇牛仔服装公司工会"])
def test_a_user_bound_to_a_union_is_refused_a_union_outside_it(ctx, union):
    u, _lines, _given = _lines_and_allocations(ctx)
    scoped = ctx.as_actor(Actor.make(None, "lc", "荔城街经办人", {"clerk"}, u["荔城街总工会"]))
    for read in (lambda: funds.execution(scoped, 2026, unit_id=u[union]),
                 lambda: funds.list_budgets(scoped, 2026, unit_id=u[union]),
                 lambda: funds.list_allocations(scoped, 2026, unit_id=u[union])):
        with pytest.raises(PermissionDenied, match="不在当前用户的管辖范围内"):
            read()


def test_budget_lines_are_unique_per_year_source_and_programme(ctx):
    zengcheng(ctx, 2026)
    funds.add_budget(ctx, 2026, "工会经费", fen(1_000), "送温暖")
    funds.add_budget(ctx, 2026, "工会经费", fen(1_000), "金秋助学")
    with pytest.raises(ValidationFailed, match="已有"):
        funds.add_budget(ctx, 2026, "工会经费", fen(5), "送温暖")
    with pytest.raises(ValidationFailed, match="没有名为“彩票公益金”的资金来源"):
        funds.add_budget(ctx, 2026, "彩票公益金", fen(5))
    with pytest.raises(ValidationFailed, match="预算金额"):
        funds.add_budget(ctx, 2026, "工会经费", 0)


def test_draws_are_stored_per_line(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 1, 5)
    zengcheng(ctx, 2026)
    first = funds.add_budget(ctx, 2026, "工会经费", fen(500), "第一项目")
    second = funds.add_budget(ctx, 2026, "工会经费", fen(5_000), "第二项目")
    ids = requests_of(ctx, [fen(500), fen(500)])
    paid_batch(ctx, clock, ids)
    with ctx.db.session() as s:
        drawn = sorted(s.execute(select(BudgetDraw.budget_line_id)).scalars())
    assert drawn == [first.id, second.id]  # the first line while it lasts, then the next
