"""`zhibang report …`: the annual report and the 绩效自评表 (the compliance report is in relief_cmds).

    zhibang report annual --year Y [--unit UNIT] [--json | --out F.pdf | --out F.xlsx]
    zhibang report selfeval --year Y --targets F.json [--unit UNIT] (--out F.xlsx | --out F.pdf | --json)
    zhibang report paid --from D --to D [--unit UNIT] [--json]
"""
from __future__ import annotations

from ..domain.money import format_yuan
from .env import InvalidInput, group, json_flag, parse_date
from .unit_cmds import UNIT_WORDS, chosen_unit_id


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(fen)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def register(sub) -> None:
    reports = group(sub, "report", "报表")
    p = reports.add_parser("annual", help="年度报表：分救助类型、资金来源、工会的发放与执行，以及各项绩效指标")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", help=f"只统计该工会（含下级工会）：{UNIT_WORDS}")
    p.add_argument("--out", help="写入文件：.pdf（打印格式）或 .xlsx")
    json_flag(p)
    p.set_defaults(func=run_annual)
    p = reports.add_parser("selfeval", help="项目支出绩效自评表：按目标文件填入实际完成值、得分和偏差说明草稿")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--targets", required=True, help="绩效目标 JSON 文件（格式见 README）")
    p.add_argument("--unit", help=f"只统计该工会（含下级工会）：{UNIT_WORDS}")
    p.add_argument("--out", help="写入文件：.xlsx 或 .pdf")
    json_flag(p)
    p.set_defaults(func=run_selfeval)
    p = reports.add_parser("paid", help="期间发放：某段日期内发放的户数、笔数和金额，分救助类型（与报表页一致）")
    p.add_argument("--from", dest="start", required=True, help="开始日期，如 2026-10-01")
    p.add_argument("--to", dest="end", required=True, help="结束日期（含），如 2026-12-31")
    p.add_argument("--unit", help=f"只统计该工会（含下级工会）：{UNIT_WORDS}")
    json_flag(p)
    p.set_defaults(func=run_paid)


def indicator_json(i) -> dict:
    return {"name": i.name, "definition": i.definition, "seed": i.seed, "value": _rate(i.value),
            "numerator": i.numerator, "denominator": i.denominator, "answerable": i.answerable, "reason": i.reason,
            "source": i.source, "shortfalls": i.shortfalls,
            "exceptions": [{"kind": e.kind, "description": e.description, "household_id": e.household_id,
                            "request_id": e.request_id, "payment_id": e.payment_id, "justification": e.justification}
                           for e in i.exceptions]}


def _type_json(r, with_type: bool = True) -> dict:
    out = {"type": r.type} if with_type else {}
    out.update({"name": r.name, "households": r.households, "persons": r.persons, "payments": r.payments,
                "amount_fen": r.amount_fen, "average_fen": r.average_fen, "min_fen": r.min_fen, "max_fen": r.max_fen})
    return out


def annual_json(rep) -> dict:
    return {
        "year": rep.year, "office": rep.office, "unit": rep.unit_name,
        "period": {"start": rep.start.isoformat(), "end": rep.end.isoformat()}, "as_of": rep.as_of.isoformat(),
        "by_type": [_type_json(r) for r in rep.by_type], "total": _type_json(rep.total, with_type=False),
        "budget": {"budget_fen": rep.budget_fen, "spent_fen": rep.spent_fen,
                   "execution_rate": _rate(rep.execution_rate)},
        "by_source": [{"code": r.code, "name": r.name, "budget_fen": r.budget_fen, "spent_fen": r.spent_fen,
                       "paid_fen": r.paid_fen, "allocated_fen": r.allocated_fen, "remaining_fen": r.remaining_fen,
                       "execution_rate": _rate(r.execution_rate)} for r in rep.by_source],
        "by_union": [{"unit_id": r.unit_id, "name": r.name, "households": r.households, "payments": r.payments,
                      "amount_fen": r.amount_fen, "archived_households": r.archived_households} for r in rep.by_union],
        "indicators": {i.key: indicator_json(i) for i in rep.indicators},
        "prepared_by": rep.prepared_by,
    }


def annual_text(rep) -> str:
    where = rep.unit_name or rep.office
    lines = [f"{where} {rep.year} 年度帮扶工作报表（截至 {rep.as_of.isoformat()}）", "分救助类型："]
    for r in rep.by_type + (rep.total,):
        lines.append(f"  {r.name}：{r.households} 户、{r.persons} 人、{r.payments} 笔，{_yuan(r.amount_fen)} 元，"
                     f"户均 {_yuan(r.average_fen)} 元，最低 {_yuan(r.min_fen)} 元，最高 {_yuan(r.max_fen)} 元")
    rate = "—" if rep.execution_rate is None else f"{rep.execution_rate * 100:.2f}%"
    lines.append(f"预算 {_yuan(rep.budget_fen)} 元，已支出 {_yuan(rep.spent_fen)} 元，执行率 {rate}")
    for r in rep.by_source:
        src_rate = "—" if r.execution_rate is None else f"{r.execution_rate * 100:.2f}%"
        lines.append(f"  {r.name}：预算 {_yuan(r.budget_fen)} 元，已支出 {_yuan(r.spent_fen)} 元，执行率 {src_rate}")
    lines.append("分工会：")
    for r in rep.by_union:
        lines.append(f"  {r.name}：{r.households} 户、{r.payments} 笔，{_yuan(r.amount_fen)} 元；年末在档 {r.archived_households} 户")
    lines.append("绩效指标：")
    for i in rep.indicators:
        if i.answerable:
            lines.append(f"  {i.name}：{i.value_text}（{i.numerator}/{i.denominator}），例外 {i.shortfalls} 条"
                         + (f"，{i.source}" if i.source else ""))
        else:
            lines.append(f"  {i.name}：无法计算（{i.reason}）")
    return "\n".join(lines)


def run_paid(args, env) -> int:
    from ..services import reports

    ctx = env.context()
    start, end = parse_date(args.start), parse_date(args.end)
    if start is None or end is None:
        raise InvalidInput("请写明开始和结束日期，如 --from 2026-10-01 --to 2026-12-31")
    paid = env.run(reports.period_payouts, ctx, start, end, chosen_unit_id(env, ctx, args.unit))
    lines = [f"{paid.start.isoformat()} 至 {paid.end.isoformat()} 发放："]
    lines += [f"  {r.name}：{r.households} 户、{r.persons} 人、{r.payments} 笔，{_yuan(r.amount_fen)} 元"
              for r in paid.by_type + (paid.total,)]
    env.out({"period": {"start": paid.start.isoformat(), "end": paid.end.isoformat()},
             "by_type": [_type_json(r) for r in paid.by_type], "total": _type_json(paid.total, with_type=False)},
            "\n".join(lines))
    return 0


def run_annual(args, env) -> int:
    from ..services import reports

    ctx = env.context()
    unit = chosen_unit_id(env, ctx, args.unit)
    if args.out:
        out = env.run(reports.export_annual, ctx, args.year, args.out, unit)
        env.out({"out": str(out)}, f"已写入 {out}")
        return 0
    rep = env.run(reports.annual_report, ctx, args.year, unit)
    env.out(annual_json(rep), annual_text(rep))
    return 0


def _points(x) -> str | None:
    return None if x is None else format(x, "f")


def selfeval_json(ev) -> dict:
    return {
        "year": ev.year, "project": ev.project, "department": ev.department, "implementer": ev.implementer,
        "goal": ev.goal, "achieved": ev.achieved,
        "funds": [{"label": f.label, "initial_fen": f.initial_fen, "annual_fen": f.annual_fen,
                   "executed_fen": f.executed_fen} for f in ev.funds],
        "funds_score": _points(ev.funds_score), "execution_rate": ev.execution_text,
        "funds_points": _points(ev.funds_points),
        "lines": [{"level1": ln.level1, "level2": ln.level2, "name": ln.name, "target": ln.target_text,
                   "actual": ln.actual_text, "score": _points(ln.score), "points": _points(ln.points),
                   "note": ln.note, "rule": ln.rule_text} for ln in ev.lines],
        "total_score": _points(ev.total_score), "total_points": _points(ev.total_points),
    }


def run_selfeval(args, env) -> int:
    from ..services import reports

    ctx = env.context()
    unit = chosen_unit_id(env, ctx, args.unit)
    if args.out:
        out = env.run(reports.export_selfeval, ctx, args.year, args.targets, args.out, unit)
        env.out({"out": str(out)}, f"已写入 {out}")
        return 0
    ev = env.run(reports.self_evaluation, ctx, args.year, args.targets, unit)
    lines = [f"{ev.year}年度项目支出绩效自评表：{ev.project}",
             f"  资金：执行率 {ev.execution_text}，{_points(ev.funds_points)}/{_points(ev.funds_score)} 分"]
    for ln in ev.lines:
        lines.append(f"  {ln.name}：指标 {ln.target_text}，完成 {ln.actual_text or '待填'}，"
                     f"{_points(ln.points) or '待填'}/{_points(ln.score)} 分" + (f"｜{ln.note}" if ln.note else ""))
    lines.append(f"  总分 {_points(ev.total_points) or '待填'}/{_points(ev.total_score)}")
    env.out(selfeval_json(ev), "\n".join(lines))
    return 0
