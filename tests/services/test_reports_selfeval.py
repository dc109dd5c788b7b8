"""The 绩效自评表 (seed 004): scoring rules, actual values from the hand-made year, drafted notes,
and the form read back from PDF and xlsx."""
from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.services.reports import TargetLine, export_selfeval, score_line, self_evaluation
from zhibang_desktop.storage.models import AuditEntry

from .reports_year import YEAR, build_year


def line(rule, op, target, score, step=0):
    return TargetLine("产出指标", "数量指标", "x", Decimal(score), "households", op, Decimal(target), "", rule,
                      Decimal(str(step)))


@pytest.mark.parametrize("rule, op, target, score, step, actual, exceptions, points", [
    # seed 004: 帮助困难职工户数 ≥100 户，每少一户扣 0.5 分
    ("per_shortfall", ">=", 100, 5, 0.5, 97, 0, "3.5"),
    ("per_shortfall", ">=", 100, 5, 0.5, 143, 0, "5"),
    ("per_shortfall", ">=", 100, 5, 0.5, 80, 0, "0"),  # never below 0
    # seed 004: 实名制 每存在一个与信息不符扣 0.5 分; 帮扶标准 每存在一个不符合扣 1 分
    ("per_exception", "=", 100, 8, 0.5, Decimal("98.44"), 3, "6.5"),
    ("per_exception", "=", 100, 5, 1, 100, 0, "5"),
    # seed 004: 满意度 95% 得满分，每降低 1 个百分点扣 0.5 分（不到 1 个百分点的按 1 个百分点计算）
    ("per_point", ">=", 95, 6, 0.5, Decimal("93.5"), 0, "5.0"),
    ("per_point", ">=", 95, 6, 0.5, Decimal("99.72"), 0, "6"),
    # seed 004: 项目总成本小于等于 100.00 万元得 2 分，否则不得分
    ("all_or_nothing", "<=", 1000000, 2, 0, 1000000, 0, "2"),
    ("all_or_nothing", "<=", 1000000, 2, 0, 1000001, 0, "0"),
    ("proportional", ">=", 100, 10, 0, 80, 0, "8.00"),
    ("proportional", "<=", 100, 10, 0, 125, 0, "8.00"),
])
def test_scoring_rules(rule, op, target, score, step, actual, exceptions, points):
    assert score_line(line(rule, op, target, score, step), Decimal(actual), exceptions) == Decimal(points)


TARGETS = {
    "project": "困难职工帮扶资金",
    "goal": "对困难职工家庭进行帮扶救助",
    "lines": [
        {"level1": "产出指标", "level2": "数量指标", "name": "帮助困难职工户数", "measure": "households",
         "op": ">=", "target": 4, "score": 20, "rule": "per_shortfall", "step": 0.5},
        {"level1": "产出指标", "level2": "质量指标", "name": "实名制发放率", "measure": "real_name_payout",
         "op": "=", "target": 100, "score": 10, "rule": "per_exception", "step": 0.5},
        {"level1": "产出指标", "level2": "时效指标", "name": "预算执行率", "measure": "budget_execution",
         "op": ">=", "target": 95, "score": 10},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "提高社会稳定、社会和谐的作用", "target_text": "显著",
         "score": 20, "actual": "达成预期指标", "points": 20},
        {"level1": "满意度指标", "level2": "满意度指标", "name": "困难职工满意度", "measure": "satisfaction",
         "op": ">=", "target": 95, "score": 10, "rule": "per_point", "step": 0.5},
    ],
}


@pytest.fixture
def targets(ctx, tmp_path):
    build_year(ctx)
    path = tmp_path / "目标.json"
    path.write_text(json.dumps(TARGETS, ensure_ascii=False), encoding="utf-8")
    return path


def test_actuals_points_and_drafted_notes(ctx, targets):
    ev = self_evaluation(ctx, YEAR, targets)
    got = {ln.name: (ln.target_text, ln.actual_text, ln.points) for ln in ev.lines}
    assert got["帮助困难职工户数"] == ("≥4户", "6", Decimal("20"))
    assert got["实名制发放率"] == ("=100%", "71.43%", Decimal("9.00"))  # 5 ÷ 7, two exceptions × 0.5
    assert got["预算执行率"] == ("≥95%", "98.44%", Decimal("10"))
    assert got["提高社会稳定、社会和谐的作用"] == ("显著", "达成预期指标", Decimal("20"))
    assert got["困难职工满意度"] == ("≥95%", "", None)  # no follow-up data: 待填
    notes = {ln.name: ln.note for ln in ev.lines}
    assert notes["帮助困难职工户数"].startswith("偏差原因：年初绩效目标设置不科学")
    assert "未达到年度指标值 =100%" in notes["实名制发放率"] and "例外 2 条" in notes["实名制发放率"]
    assert "改进措施" in notes["实名制发放率"]
    assert notes["预算执行率"] == "" and "回访" in notes["困难职工满意度"]
    # funds: seed 001's 480,000 → 270,000 with 265,800 spent; 10 × 98.44 % = 9.84
    total = ev.funds[0]
    assert (total.initial_fen, total.annual_fen, total.executed_fen) == (48_000_000, 27_000_000, 26_580_000)
    assert (ev.execution_text, ev.funds_points) == ("98.44%", Decimal("9.84"))
    assert ev.total_score == Decimal(80) and ev.total_points is None


def test_form_pdf_and_xlsx_read_back(ctx, targets, tmp_path):
    pdf = export_selfeval(ctx, YEAR, targets, tmp_path / "自评表.pdf")
    assert_all_fonts_embedded(pdf)
    pages = pdftotext(pdf)
    text = "".join(pages).replace("\n", "")
    for words in ("项目支出绩效自评表", f"（{YEAR}年度）", "项目名称", "困难职工帮扶资金", "主管部门", "实施单位",
                  "年初预算数", "全年预算数", "全年执行数", "48.00", "27.00", "26.58", "98.44%", "9.84", "年度总体目标",
                  "一级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "帮助困难职工户数",
                  "71.43%", "9.00", "待填", "总分", "制表人：系统", "审核人", "负责人",
                  f"第 1 页 共 {len(pages)} 页"):
        assert words in text, words
    xlsx = export_selfeval(ctx, YEAR, targets, tmp_path / "自评表.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert values[:2] == ["项目支出绩效自评表", f"（{YEAR}年度）"]
    for v in ("年初预算数", "98.44%", "实名制发放率", "71.43%", "9.00", "待填", "总分", "80"):
        assert v in values, v
    assert len(ws.merged_cells.ranges) > 10  # the seed's merged layout
    with ctx.db.session() as s:
        actions = list(s.execute(select(AuditEntry.action).where(AuditEntry.entity == "self_evaluation")).scalars())
    assert actions == ["print", "export"]


@pytest.mark.parametrize("change, field", [
    ({"measure": "no_such"}, "lines[0].measure"),
    ({"target": None}, "lines[0].target"),
    ({"rule": "guess"}, "lines[0].rule"),
    ({"score": "十"}, "lines[0].score"),
])
def test_bad_targets_name_the_field(ctx, tmp_path, change, field):
    data = json.loads(json.dumps(TARGETS))
    data["lines"][0].update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=field.replace("[", r"\[").replace("]", r"\]")):
        self_evaluation(ctx, YEAR, path)
