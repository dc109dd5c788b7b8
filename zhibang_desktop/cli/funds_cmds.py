"""Budget sub-commands (issue 12). Amounts are typed in yuan; JSON money is in fen.

    zhibang budget add --year Y --source NAME --amount YUAN [--programme NAME] [--doc 文号] [--unit UNIT]
    zhibang budget adjust ID --amount ±YUAN --reason TEXT [--doc 文号] [--date D]
    zhibang budget allocate ID --unit UNIT --amount YUAN [--doc 文号] [--date D]
    zhibang budget reported ALLOCATION --spent YUAN [--date D] [--note TEXT]
    zhibang budget list --year Y [--as-of D] [--unit UNIT] [--json]
    zhibang budget carry-over --year Y [--confirm] [--note TEXT] [--doc 文号]
    zhibang budget plan --year Y [--out F.pdf] [--json]
    zhibang budget sources [--json] | budget source-add NAME [--types living,education] [--code C]
"""
from __future__ import annotations

from ..domain.money import format_yuan
from .env import InvalidInput, arg, command, group, parse_date
from .unit_cmds import UNIT_WORDS, chosen_unit, chosen_unit_id


def _fen(text: str, *, negative: bool = False) -> int:
    from ..domain.money import AmountError, parse_yuan

    try:
        return parse_yuan(text, allow_negative=negative)
    except AmountError as exc:
        raise InvalidInput(f"金额“{text}”无效：{exc}") from exc


YEAR = arg("--year", type=int, required=True)
DOC = arg("--doc", default="", help="文号")
NOTE = arg("--note", default="", help="说明")
LINE = arg("line", type=int, help="预算指标编号")


def _on(what: str):
    return arg("--date", help=f"{what}日期（默认今天）")


def register(sub) -> None:
    budget = group(sub, "budget", "预算与资金（资金来源、预算指标、调整、下拨、结转、执行、测算）")
    command(budget, "add", "新增预算指标（年度 × 资金来源 × 项目）", run_add,
            YEAR, arg("--source", required=True, help="资金来源名称或代码（如 工会经费、省财政）"),
            arg("--amount", required=True, help="年初预算（元）"),
            arg("--programme", default="", help="项目（如 送温暖、金秋助学）"),
            arg("--doc", default="", help="批复文号"), arg("--unit", help=f"所属工会：{UNIT_WORDS}（默认区总工会）"))
    command(budget, "adjust", "调增（正数）或调减（负数）预算，须写明原因", run_adjust,
            LINE, arg("--amount", required=True, help="调整金额（元），调减写负数，如 -210000"),
            arg("--reason", required=True, help="调整原因"), DOC, _on("调整"))
    command(budget, "allocate", "下拨预算资金到下级工会", run_allocate,
            LINE, arg("--unit", required=True, help=f"下级工会：{UNIT_WORDS}"),
            arg("--amount", required=True, help="下拨金额（元）"), DOC, _on("下拨"))
    command(budget, "reported", "登记下级工会报告的下拨资金支出", run_reported,
            arg("allocation", type=int, help="下拨记录编号"), arg("--spent", required=True, help="报告支出（元）"),
            _on("报告"), NOTE)
    command(budget, "list", "列出预算指标、下拨及执行情况", run_list, YEAR, arg("--as-of", help="截至日期（默认今天）"),
            arg("--unit", help=f"只列该工会（含下级工会）的预算指标、下拨及执行：{UNIT_WORDS}"))
    command(budget, "carry-over", "年末结余及结转（加 --confirm 确认结转到下一年）", run_carry_over,
            YEAR, arg("--confirm", action="store_true", help="确认按计算结余结转"), NOTE, DOC)
    command(budget, "plan", "预算测算（按在档家庭和政策标准）", run_plan,
            arg("--year", type=int, required=True, help="测算年度（通常为下一年）"),
            arg("--out", help="打印测算表到 .pdf"))
    command(budget, "sources", "列出资金来源及可用的救助类型", run_sources)
    command(budget, "source-add", "新增资金来源", run_source_add,
            arg("name"), arg("--types", default="", help="可用的救助类型代码，逗号分隔（默认不限）"),
            arg("--code", help="代码（发放明细中使用）"))


# ------------------------------------------------------------------ output

def _figures(f) -> dict:
    return {"budget_fen": f.budget_fen, "carried_in_fen": f.carried_in_fen, "allocated_fen": f.allocated_fen,
            "committed_fen": f.committed_fen, "paid_fen": f.paid_fen, "returned_fen": f.returned_fen,
            "remaining_fen": f.remaining_fen, "rate_bp": f.rate_bp}


def _line_json(v) -> dict:
    return {
        "id": v.id, "year": v.year, "source": v.source_name, "source_code": v.source_code, "programme": v.programme,
        "unit": v.unit_name, "initial_fen": v.initial_fen, "doc_no": v.doc_no, **_figures(v.figures),
        "adjustments": [{"date": a.adjusted_on.isoformat(), "amount_fen": a.amount_fen, "reason": a.reason,
                         "doc_no": a.doc_no, "by": a.created_by} for a in v.adjustments],
        "allocations": [_allocation_json(a) for a in v.allocations],
    }


def _allocation_json(a) -> dict:
    return {"id": a.id, "line_id": a.line_id, "unit": a.unit_name, "date": a.allocated_on.isoformat(),
            "amount_fen": a.amount_fen, "doc_no": a.doc_no, "reported_spent_fen": a.reported_spent_fen,
            "reported_on": a.reported_on.isoformat() if a.reported_on else None}


def _line_text(v) -> str:
    from ..services.funds import rate_text

    f = v.figures
    return (f"{v.id:>4}  {v.label:<20} 预算 {format_yuan(f.budget_fen):>14}  下拨 {format_yuan(f.allocated_fen):>12}  "
            f"待发 {format_yuan(f.committed_fen):>12}  已发 {format_yuan(f.paid_fen):>14}  退回 {format_yuan(f.returned_fen):>10}  "
            f"余额 {format_yuan(f.remaining_fen):>14}  执行率 {rate_text(f.rate_bp)}")


# ------------------------------------------------------------------ commands

def run_add(args, env) -> int:
    from ..services import funds

    ctx = env.context()
    v = env.run(funds.add_budget, ctx, args.year, args.source, _fen(args.amount), args.programme,
                unit_id=chosen_unit_id(env, ctx, args.unit), doc_no=args.doc)
    env.out(_line_json(v), f"已新增预算指标 {v.id}：{v.label} {format_yuan(v.initial_fen)} 元")
    return 0


def run_adjust(args, env) -> int:
    from ..services import funds

    v = env.run(funds.adjust_budget, env.context(), args.line, _fen(args.amount, negative=True), args.reason,
                args.doc, parse_date(args.date))
    a = v.adjustments[-1]
    env.out(_line_json(v), f"已{a.kind_label} {v.label} {format_yuan(abs(a.amount_fen))} 元，"
                           f"调整后预算 {format_yuan(v.figures.budget_fen)} 元")
    return 0


def run_allocate(args, env) -> int:
    from ..services import funds

    ctx = env.context()
    unit = chosen_unit_id(env, ctx, args.unit)
    a = env.run(funds.allocate, ctx, args.line, unit, _fen(args.amount), args.doc, parse_date(args.date))
    env.out(_allocation_json(a), f"已下拨 {a.line_label} 至 {a.unit_name}：{format_yuan(a.amount_fen)} 元（下拨记录 {a.id}）")
    return 0


def run_reported(args, env) -> int:
    from ..services import funds

    a = env.run(funds.report_allocation, env.context(), args.allocation, _fen(args.spent), parse_date(args.date),
                args.note)
    env.out(_allocation_json(a), f"已登记 {a.unit_name} 报告支出 {format_yuan(a.reported_spent_fen)} 元"
                                 f"（下拨 {format_yuan(a.amount_fen)} 元）")
    return 0


def run_list(args, env) -> int:
    from ..services import funds

    ctx = env.context()
    as_of = parse_date(args.as_of)
    chosen = chosen_unit(env, ctx, args.unit)
    unit = chosen.id if chosen else None
    lines = env.run(funds.list_budgets, ctx, args.year, as_of, unit_id=unit)
    report = env.run(funds.execution, ctx, args.year, as_of, unit)
    allocations = env.run(funds.list_allocations, ctx, args.year, unit_id=unit)
    data = {"year": args.year, "as_of": report.as_of.isoformat(), "unit": chosen.name if chosen else None,
            "lines": [_line_json(v) for v in lines], "allocations": [_allocation_json(a) for a in allocations],
            "total": _figures(report.total), "unbudgeted_paid_fen": report.unbudgeted_fen}
    whose = f"{chosen.name}（含下级工会）" if chosen else ""
    text = [_line_text(v) for v in lines] or [f"{args.year} 年{whose}没有预算指标"]
    if lines:
        text.append(f"{whose}合计 预算 {format_yuan(report.total.budget_fen)} 元，已发放（含下拨）{format_yuan(report.total.spent_fen)} 元，"
                    f"执行率 {funds.rate_text(report.total.rate_bp)}（截至 {report.as_of.isoformat()}）")
    listed = {v.id for v in lines}
    text += [f"收到下拨 {a.line_label} → {a.unit_name}：{format_yuan(a.amount_fen)} 元（{a.allocated_on.isoformat()}，下拨记录 {a.id}）"
             for a in allocations if a.line_id not in listed]
    if report.unbudgeted_count:
        text.append(f"另有 {report.unbudgeted_count} 笔、{format_yuan(report.unbudgeted_fen)} 元发放未纳入预算")
    env.out(data, "\n".join(text))
    return 0


def run_carry_over(args, env) -> int:
    from ..services import funds

    ctx = env.context()
    if args.confirm:
        done = env.run(funds.confirm_carry_over, ctx, args.year, None, args.note, args.doc)
        env.out([{"from_line_id": c.from_line_id, "to_line_id": c.to_line_id, "amount_fen": c.amount_fen,
                  "computed_fen": c.computed_fen} for c in done],
                "\n".join(f"已结转预算指标 {c.from_line_id} 结余 {format_yuan(c.amount_fen)} 元至 {c.to_year} 年（指标 {c.to_line_id}）"
                          for c in done) or "没有需要结转的结余")
        return 0
    rows = env.run(funds.carry_over_proposals, ctx, args.year)
    env.out([{"line_id": p.line_id, "label": p.line_label, "remaining_fen": p.remaining_fen,
              "confirmed_fen": p.confirmed.amount_fen if p.confirmed else None} for p in rows],
            "\n".join(f"{p.line_id:>4}  {p.line_label:<20} 年末结余 {format_yuan(p.remaining_fen):>14} 元  "
                      + (f"已结转 {format_yuan(p.confirmed.amount_fen)} 元" if p.confirmed else "未结转") for p in rows)
            or f"{args.year} 年没有预算指标")
    return 0


def run_plan(args, env) -> int:
    from ..services import funds

    ctx = env.context()
    plan = env.run(funds.plan_budget, ctx, args.year)
    data = {"year": plan.year, "policy": plan.policy_name, "households": plan.households, "students": plan.students,
            "chronic_ill": plan.chronic_ill, "total_fen": plan.total_fen,
            "items": [{"relief_type": i.relief_type, "label": i.label, "basis": i.basis, "count": i.count,
                       "times": i.times, "unit_fen": i.unit_fen, "amount_fen": i.amount_fen, "working": i.working}
                      for i in plan.items],
            "previous_year": plan.previous_year, "previous": _figures(plan.previous), "notes": list(plan.notes)}
    if args.out:
        data["pdf"] = str(env.run(funds.print_plan, ctx, args.year, args.out))
    lines = [f"{plan.year} 年预算测算（{plan.policy_name}）"]
    lines += [f"  {i.label}：{i.working}" for i in plan.items]
    lines.append(f"测算合计 {format_yuan(plan.total_fen)} 元；{plan.previous_year} 年预算 {format_yuan(plan.previous.budget_fen)} 元，"
                 f"执行率 {funds.rate_text(plan.previous.rate_bp)}")
    lines += [f"说明：{n}" for n in plan.notes]
    if args.out:
        lines.append(f"测算表已写入 {args.out}")
    env.out(data, "\n".join(lines))
    return 0


def run_sources(args, env) -> int:
    from ..services import funds

    rows = env.run(funds.list_sources, env.context())
    env.out([{"id": s.id, "code": s.code, "name": s.name, "allowed_relief_types": list(s.allowed_relief_types),
              "active": s.active} for s in rows],
            "\n".join(f"{s.id:>3}  {s.code:<18} {s.name:<12} 可用于：{s.allowed_text}" + ("" if s.active else "（停用）")
                      for s in rows) or "没有资金来源（新增预算时按当年政策自动加入）")
    return 0


def run_source_add(args, env) -> int:
    from ..services import funds

    types = [t.strip() for t in args.types.split(",") if t.strip()]
    s = env.run(funds.add_source, env.context(), args.name, types, args.code)
    env.out({"id": s.id, "code": s.code, "name": s.name, "allowed_relief_types": list(s.allowed_relief_types)},
            f"已新增资金来源 {s.name}（代码 {s.code}，可用于：{s.allowed_text}）")
    return 0
