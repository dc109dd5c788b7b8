"""The targets of a 绩效自评表 (seed 004), entered once as a JSON file (format in the README).

Each line names its place in the table (一级/二级/三级指标), the year's target (年度指标值),
its 分值, where the actual value comes from (``measure``) and how it is scored (``rule``);
a line without a measure is filled in by a person (``actual``, ``points``).  Amounts are yuan.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import FieldProblem, ValidationFailed

# measure → (Chinese name, unit); indicator keys measure their rate in percent
COUNT_MEASURES = {"households": ("受助户数", "户"), "persons": ("受助人数", "人"), "payments": ("发放笔数", "笔")}
MONEY_MEASURES = {"amount": ("发放金额", "元"), "total_cost": ("项目总成本（已支出）", "元")}
YES_NO_MEASURES = {"funds_used_in_year": "年度资金全部使用（无结余）"}
RULES = {
    "proportional": "按完成值占指标值的比例计分",
    "all_or_nothing": "达到指标值得全部分值，否则不得分",
    "per_shortfall": "每少 1 个单位扣 step 分，扣完为止",
    "per_exception": "每存在 1 条例外扣 step 分，扣完为止",
    "per_point": "每低 1 个百分点扣 step 分（不足 1 个百分点按 1 个百分点计），扣完为止",
}
OPS = (">=", "<=", "=")


@dataclass(frozen=True)
class TargetLine:
    level1: str
    level2: str
    name: str
    score: Decimal  # 分值
    measure: str = ""  # "" = filled in by hand
    op: str = ">="
    target: Decimal | None = None  # percent for rates, yuan for money
    target_text: str = ""  # 年度指标值 as printed, e.g. "≥100户", "当年度12月底前完成"
    rule: str = "proportional"
    step: Decimal = Decimal(0)
    actual: str = ""  # by hand
    points: Decimal | None = None  # by hand
    note: str = ""  # 偏差原因分析及改进措施, by hand (replaces the draft)


@dataclass(frozen=True)
class Targets:
    project: str
    department: str
    implementer: str
    goal: str
    achieved: str  # 实际完成情况 ("" = drafted from the data)
    funds_score: Decimal
    lines: tuple[TargetLine, ...]


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldProblem(field, "绩效目标文件", f"{field}：{message}")])


def _decimal(value, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _problem(field, "应为数字")
    try:
        out = Decimal(str(value))
    except InvalidOperation as exc:
        raise _problem(field, f"“{value}”不是数字") from exc
    if not out.is_finite() or out < 0:
        raise _problem(field, f"“{value}”不是有效的非负数")
    return out


def _text(data: dict, key: str, field: str, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _problem(field, "应为文字")
    if required and not value.strip():
        raise _problem(field, "不能为空")
    return value.strip()


def known_measure(measure: str, indicator_keys: set[str]) -> bool:
    return measure in COUNT_MEASURES or measure in MONEY_MEASURES or measure in YES_NO_MEASURES \
        or measure in indicator_keys


def parse_targets(data: object, indicator_keys: set[str]) -> Targets:
    if not isinstance(data, dict):
        raise _problem("（文件）", "应为一个 JSON 对象")
    lines_data = data.get("lines")
    if not isinstance(lines_data, list) or not lines_data:
        raise _problem("lines", "应列出至少一条绩效指标")
    lines = []
    for n, item in enumerate(lines_data):
        f = f"lines[{n}]"
        if not isinstance(item, dict):
            raise _problem(f, "应为 JSON 对象")
        measure = _text(item, "measure", f"{f}.measure")
        if measure and not known_measure(measure, indicator_keys):
            raise _problem(f"{f}.measure", f"不认识“{measure}”（见说明中的可用数据项）")
        op = item.get("op", ">=")
        if op not in OPS:
            raise _problem(f"{f}.op", f"应为 {' '.join(OPS)} 之一")
        rule = item.get("rule", "proportional")
        if rule not in RULES:
            raise _problem(f"{f}.rule", f"应为 {'、'.join(RULES)} 之一")
        target = _decimal(item["target"], f"{f}.target") if item.get("target") is not None else None
        if measure and measure not in YES_NO_MEASURES and target is None:
            raise _problem(f"{f}.target", "有数据项（measure）的指标须填写年度指标值（target）")
        points = _decimal(item["points"], f"{f}.points") if item.get("points") is not None else None
        score = _decimal(item.get("score"), f"{f}.score")
        if points is not None and points > score:
            raise _problem(f"{f}.points", "得分不能高于分值")
        lines.append(TargetLine(
            _text(item, "level1", f"{f}.level1", True), _text(item, "level2", f"{f}.level2", True),
            _text(item, "name", f"{f}.name", True), score, measure, op, target,
            _text(item, "target_text", f"{f}.target_text"), rule,
            _decimal(item.get("step", 0), f"{f}.step"), _text(item, "actual", f"{f}.actual"), points,
            _text(item, "note", f"{f}.note")))
    return Targets(_text(data, "project", "project", True), _text(data, "department", "department"),
                   _text(data, "implementer", "implementer"), _text(data, "goal", "goal"),
                   _text(data, "achieved", "achieved"), _decimal(data.get("funds_score", 10), "funds_score"),
                   tuple(lines))


def read_targets(path: str | Path, indicator_keys: set[str]) -> Targets:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise ValidationFailed([FieldProblem("targets", "绩效目标文件", f"找不到文件“{p}”")]) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed([FieldProblem("targets", "绩效目标文件", f"“{p.name}”不是有效的 JSON 文件：{exc}")]) from exc
    return parse_targets(data, indicator_keys)
