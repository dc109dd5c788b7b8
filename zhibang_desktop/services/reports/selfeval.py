"""项目支出绩效自评表 (seed 004): the targets a person entered, the actual values from the data,
each line scored by its rule, and drafted deviation notes (偏差原因分析及改进措施) to edit.

Scoring (seed 004's 自评表 and its evaluation rules): the funds line scores 分值 × 执行率; a line
scores by its ``rule`` — proportional to completion, all or nothing, a deduction per unit short
(帮助困难职工户数：每少一户扣 0.5 分), per exception (实名制：每一个不符扣 0.5 分；帮扶标准：每一个
不符扣 1 分) or per percentage point (满意度：每降低 1 个百分点扣 0.5 分) — never below 0.
A line the data cannot answer keeps its score empty (待填) unless the file gives ``points``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

from ...domain.money import format_yuan
from ..funds import list_budgets
from .annual import annual_report
from .common import narrowed
from .selfeval_targets import (
    COUNT_MEASURES, MONEY_MEASURES, RULES, YES_NO_MEASURES, TargetLine, Targets, read_targets,
)
from .types import AnnualReport, IndicatorException
from ..context import one_snapshot

CENT = Decimal("0.01")
SYMBOLS = {">=": "≥", "<=": "≤", "=": "="}
FISCAL_CODES = ("central", "provincial", "city")
IMPROVE = {
    "real_name_payout": "现金发放须由本人在签领表上签名并附签字扫描件，经基层工会代发的改为直接发放到本人账户",
    "cash_signed": "现金发放须由本人在签领表上签名，签字的签领表扫描后附在发放批次上",
    "standard_compliance": "严格按救助标准核定金额，确需突破标准的须集体研究并留存书面说明",
    "archive_coverage": "坚持先建档、后帮扶，发放前核对受助人已在档",
    "review_timeliness": "各级工会在规定工作日内完成审核，超期的逐件说明原因",
    "payout_timeliness": "发放前核对账号，银行退票及时更正账号后重新发放",
    "notice_before_payout": "公示期满且无异议后再发放，特殊情况须书面特批",
    "plan_completion": "跟踪已审批未发放的申请，及时发放或办理放弃手续",
    "budget_execution": "加快预算执行进度，结余资金按规定办理结转",
    "households": "加强困难职工摸底排查，符合条件的及时建档帮扶",
}


@dataclass(frozen=True)
class FundsRow:
    label: str
    initial_fen: int | None  # 年初预算数
    annual_fen: int | None  # 全年预算数
    executed_fen: int | None  # 全年执行数


@dataclass(frozen=True)
class SelfEvalLine:
    level1: str
    level2: str
    name: str
    target_text: str  # 年度指标值
    actual_text: str  # 实际完成值 ("" = 待填)
    score: Decimal  # 分值
    points: Decimal | None  # 得分 (None = 待填)
    note: str  # 偏差原因分析及改进措施 (drafted, for a person to edit)
    rule_text: str
    exceptions: tuple[IndicatorException, ...] = ()


@dataclass(frozen=True)
class SelfEvaluation:
    year: int
    office: str
    unit_name: str
    project: str
    department: str
    implementer: str
    goal: str
    achieved: str
    funds: tuple[FundsRow, ...]  # 年度资金总额, 其中：本年财政拨款, 上年结转资金, 其他资金
    funds_score: Decimal
    execution_text: str
    funds_points: Decimal
    lines: tuple[SelfEvalLine, ...]
    total_score: Decimal
    total_points: Decimal | None  # None while a line is 待填
    prepared_by: str


def _q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _met(actual: Decimal, op: str, target: Decimal) -> bool:
    return actual >= target if op == ">=" else actual <= target if op == "<=" else actual == target


def score_line(line: TargetLine, actual: Decimal, exceptions: int = 0) -> Decimal:
    """The points of one line by its rule (seed 004), never below 0 nor above its 分值."""
    target, score, step = line.target or Decimal(0), line.score, line.step
    met = _met(actual, line.op, target)
    if line.rule == "all_or_nothing":
        return score if met else Decimal(0)
    if line.rule == "per_exception":
        return max(Decimal(0), score - step * exceptions) if exceptions else (score if met else Decimal(0))
    if line.rule in ("per_shortfall", "per_point"):
        short = (target - actual) if line.op != "<=" else (actual - target)
        units = short.to_integral_value(rounding=ROUND_CEILING) if short > 0 else 0
        return max(Decimal(0), score - step * units)
    if met:
        return score
    if line.op == "<=":
        return _q(score * target / actual) if actual else score
    return _q(score * actual / target) if target else Decimal(0)


def _number(x: Decimal) -> str:
    text = format(_q(x), "f")
    return text[:-3] if text.endswith(".00") else text


def _measured(line: TargetLine, rep: AnnualReport):
    """(actual value, printed text, unit, exceptions) of a line's measure; value None when unknown."""
    m = line.measure
    if m in COUNT_MEASURES:
        value = {"households": rep.total.households, "persons": rep.total.persons,
                 "payments": rep.total.payments}[m]
        return Decimal(value), str(value), COUNT_MEASURES[m][1], ()
    if m in MONEY_MEASURES:
        fen = rep.total.amount_fen if m == "amount" else rep.spent_fen
        return Decimal(fen) / 100, format_yuan(fen), "元", ()
    if m in YES_NO_MEASURES:
        left = rep.budget_fen - rep.spent_fen
        if not rep.budget_fen:
            return None, "", "", ()
        return (Decimal(1), "达成预期指标", "", ()) if left <= 0 else (Decimal(0), f"结余 {format_yuan(left)} 元", "", ())
    ind = next(i for i in rep.indicators if i.key == m)
    if not ind.answerable or not ind.denominator:
        return None, "", "%", ind.exceptions
    pct = Decimal(ind.numerator) * 100 / Decimal(ind.denominator)
    return _q(pct), f"{_number(pct)}%", "%", ind.exceptions


def _draft(line: TargetLine, actual: Decimal, actual_text: str, target_text: str, exceptions) -> str:
    target = line.target or Decimal(0)
    improve = IMPROVE.get(line.measure, "分析原因，制定整改措施并落实到人")
    if line.measure in YES_NO_MEASURES:
        return "" if actual else f"偏差原因：年末资金{actual_text}。改进措施：{IMPROVE['budget_execution']}。"
    if not _met(actual, line.op, target):
        why = f"（例外 {len(exceptions)} 条，如：{exceptions[0].description}）" if exceptions else ""
        return f"偏差原因：实际完成值 {actual_text}，未达到年度指标值 {target_text}{why}。改进措施：{improve}。"
    if line.op == ">=" and target and actual > target * Decimal("1.2"):
        return (f"偏差原因：年初绩效目标设置不科学，实际值（{actual_text}）较目标设置值（{target_text}）偏高。"
                "改进措施：在年初设置绩效目标值时，应结合往年工作实际，科学合理设置目标值。")
    return ""


def _line(line: TargetLine, rep: AnnualReport) -> SelfEvalLine:
    rule_text = RULES[line.rule].replace("step", _number(line.step))
    if not line.measure:
        return SelfEvalLine(line.level1, line.level2, line.name, line.target_text, line.actual, line.score,
                            line.points, line.note, "人工填写")
    actual, actual_text, unit, exceptions = _measured(line, rep)
    target_text = line.target_text or (f"{SYMBOLS[line.op]}{_number(line.target)}{unit}" if line.target is not None
                                       else "")
    if actual is None:
        note = line.note or "本系统没有这项数据（如满意度须由回访或问卷得出），请填写实际完成值和得分。"
        return SelfEvalLine(line.level1, line.level2, line.name, target_text, line.actual, line.score, line.points,
                            note, rule_text, exceptions)
    if line.measure in YES_NO_MEASURES:
        points = line.score if actual else Decimal(0)
    else:
        points = score_line(line, actual, len(exceptions))
    note = line.note or _draft(line, actual, actual_text, target_text, exceptions)
    return SelfEvalLine(line.level1, line.level2, line.name, target_text, actual_text, line.score,
                        line.points if line.points is not None else _q(points), note, rule_text, exceptions)


def _funds_rows(ctx, year: int, unit_id: int | None, as_of) -> tuple[FundsRow, ...]:
    lines = list_budgets(ctx.as_actor(narrowed(ctx.actor, unit_id)), year, as_of)
    fiscal = [v for v in lines if v.source_code in FISCAL_CODES or "财政" in v.source_name]
    other = [v for v in lines if v not in fiscal]

    def row(label, views):
        return FundsRow(label, sum(v.initial_fen for v in views),
                        sum(v.figures.budget_fen - v.figures.carried_in_fen for v in views),
                        sum(v.figures.spent_fen for v in views))

    carried = sum(v.figures.carried_in_fen for v in lines)
    return (FundsRow("年度资金总额", sum(v.initial_fen for v in lines) + carried,
                     sum(v.figures.budget_fen for v in lines), sum(v.figures.spent_fen for v in lines)),
            row("其中：本年财政拨款", fiscal), FundsRow("上年结转资金", carried, carried, None), row("其他资金", other))


@one_snapshot
def self_evaluation(ctx, year: int, targets: Targets | str | Path, unit_id: int | None = None) -> SelfEvaluation:
    """The filled-in 绩效自评表 of ``year`` for the targets (a :class:`Targets` or a JSON file)."""
    rep = annual_report(ctx, year, unit_id)
    if not isinstance(targets, Targets):
        targets = read_targets(targets, {i.key for i in rep.indicators})
    lines = tuple(_line(t, rep) for t in targets.lines)
    rate = (Decimal(rep.spent_fen) / Decimal(rep.budget_fen)) if rep.budget_fen else None
    funds_points = _q(targets.funds_score * min(Decimal(1), rate)) if rate is not None else Decimal(0)
    execution_text = f"{_number(rate * 100)}%" if rate is not None else "—"
    total_score = targets.funds_score + sum((ln.score for ln in lines), Decimal(0))
    total_points = None if any(ln.points is None for ln in lines) else \
        funds_points + sum((ln.points for ln in lines), Decimal(0))
    achieved = targets.achieved or (
        f"{year}年共帮扶困难职工 {rep.total.households} 户、发放 {rep.total.payments} 笔，金额 "
        f"{format_yuan(rep.total.amount_fen)} 元；预算 {format_yuan(rep.budget_fen)} 元，已支出 "
        f"{format_yuan(rep.spent_fen)} 元，执行率 {execution_text}。")
    who = rep.unit_name or rep.office
    return SelfEvaluation(year, rep.office, rep.unit_name, targets.project, targets.department or who,
                          targets.implementer or who, targets.goal, achieved,
                          _funds_rows(ctx, year, unit_id, rep.as_of), targets.funds_score, execution_text, funds_points,
                          lines, total_score, total_points, rep.prepared_by)
