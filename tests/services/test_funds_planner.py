"""The budget planner on a known archive (issue 12; seed 000's standards: living 5,000 per
deep household, education 9,700 university / 4,850 high school and vocational, medical up
to 20,000 per person) and the printed 预算测算表."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.domain import clock
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import org
from zhibang_desktop.services.relief import policies
from zhibang_desktop.storage.models import AuditEntry, FamilyMember, Household, Payment


def _household(s, k: int, unit_id: int, category: str, status: str = "active", health: str = "健康",
               members: tuple[tuple[str, str], ...] = ()) -> Household:
    now = clock.now()
    hh = Household(archive_no=f"P{k:04d}", status=status, category=category, unit_id=unit_id, name=f"户主{k}",
                   id_number=make_id_number("310101", date(1970, 1, 1 + k), k, "M"), health=health,
                   created_at=now, updated_at=now, household_size=1 + len(members))
    for schooling, member_health in members:
        hh.members.append(FamilyMember(name=f"成员{k}", relation="子女", schooling=schooling, health=member_health))
    s.add(hh)
    return hh


def _archive(ctx):
    unit = next(u.id for u in org.list_units(ctx) if u.level == "grassroots")
    with ctx.db.session() as s:
        _household(s, 1, unit, "deep", health="尿毒症", members=(("university", "健康"),))
        _household(s, 2, unit, "deep", members=(("high_school", "恶性肿瘤"), ("vocational", "健康")))
        _household(s, 3, unit, "deep")
        _household(s, 4, unit, "relative", health="高血压", members=(("university", "健康"),))
        _household(s, 5, unit, "relative")
        _household(s, 6, unit, "deep", status="exited", health="尿毒症")  # not in the archive any more
    return unit


def test_plan_from_the_archive_and_the_shanghai_standards(ctx):
    _archive(ctx)
    policies.use_preset(ctx, "上海", 2026)
    funds.add_budget(ctx, 2026, "中央财政", 10_000_000)
    plan = funds.plan_budget(ctx, 2027)
    assert plan.households == {"deep": 3, "relative": 2, "accident": 0}
    assert plan.chronic_ill == 3  # 尿毒症, 恶性肿瘤, 高血压 (the exited household is not counted)
    rows = {i.label: (i.count, i.unit_fen, i.amount_fen) for i in plan.items}
    assert rows == {
        "生活补助": (3, 500_000, 1_500_000),
        "子女助学（大学（含大专））": (1, 970_000, 970_000),  # the relative household's student is not deep
        "子女助学（高中）": (1, 485_000, 485_000),
        "子女助学（中职/技校）": (1, 485_000, 485_000),
        "子女助学（特殊教育）": (0, 485_000, 0),
        "医疗补助": (2, 2_000_000, 4_000_000),  # no past payments: the yearly maximum per person
    }
    assert plan.total_fen == 7_440_000
    assert (plan.previous_year, plan.previous.budget_fen, plan.difference_fen) == (2026, 10_000_000, -2_560_000)
    assert plan.notes == ("2027 年尚无救助政策，按 2026 年政策（2018 年度上海工会深度困难职工帮扶实施方案"
                          "（生活补助、子女助学、医疗补助））测算",)
    living = next(i for i in plan.items if i.relief_type == "living")
    assert living.working == "深度困难家庭 3 户 × 标准 5,000.00 元 = 15,000.00 元"


def test_emergency_relief_is_planned_from_the_last_two_years(ctx):
    unit = _archive(ctx)
    policies.use_preset(ctx, "增城", 2026)
    with ctx.db.session() as s:
        for year, amount in ((2025, 300_000), (2025, 500_000), (2026, 400_000)):
            s.add(Payment(id_number="x", name="某", relief_type="emergency", amount_fen=amount,
                          paid_on=date(year, 6, 1), period_year=year, created_at=clock.now(), created_by="t"))
    plan = funds.plan_budget(ctx, 2027)
    items = {i.relief_type: i for i in plan.items}
    assert (items["emergency"].count, items["emergency"].unit_fen, items["emergency"].amount_fen) == (
        2, 400_000, 800_000)
    assert "2025年 2 次、2026年 1 次" in items["emergency"].working
    assert (items["quarterly"].count, items["quarterly"].times, items["quarterly"].unit_fen) == (5, 2, 50_000)
    assert "seasonal" not in items and any("送温暖慰问没有标准金额" in n for n in plan.notes)
    assert unit


def test_printed_plan_embeds_its_font_and_shows_the_working(ctx, tmp_path):
    _archive(ctx)
    policies.use_preset(ctx, "上海", 2026)
    out = funds.print_plan(ctx, 2027, tmp_path / "plan.pdf")
    assert_all_fonts_embedded(out)
    text = "\n".join(pdftotext(out))
    assert "2027年度困难职工帮扶资金预算测算表" in text
    assert "深度困难家庭 3 户 × 标准 5,000.00 元 = 15,000.00 元" in text.replace("\n", "")
    assert "柒万肆仟肆佰元整" in text
    with ctx.db.session() as s:
        row = s.execute(select(AuditEntry).where(AuditEntry.entity == "budget_plan")).scalars().one()
    assert row.action == "print" and "7440000 分" in row.summary
