"""Batch work for scripted offices, through the same services as the 救助金发放 page.

    zhibang batch candidates [--year Y] [--quarter Q] [--type T]
    zhibang batch create --date D [--year Y] [--quarter Q] [--type T] [--request NO …] [--title T]
                         [--method M] [--fund F] [--number N]
    zhibang batch add BATCH --request NO …
    zhibang batch paid BATCH (--line L … | --all) [--date D]
    zhibang batch returned BATCH --line L --reason R [--date D]
    zhibang batch renounced BATCH --line L --reason R [--date D]
    zhibang batch relative BATCH --line L --name N --relation R [--id-number X] [--date D]
    zhibang batch close BATCH

BATCH is the batch number (2026-Q4-01) or its internal id; a line L is its 序号 in the batch or
the request number. Every command takes --json.
"""
from __future__ import annotations

from ..domain.money import format_yuan
from .env import InvalidInput, arg, command, group, parse_date

METHODS = ("bank_transfer", "social_security_card", "cash", "via_grassroots")
BATCH_HELP = "批次号（如 2026-Q4-01）或内部编号"
LINE_HELP = "明细序号或申请编号（可重复）"


def _on(what: str):
    return arg("--date", help=f"{what}日期（默认今天）")


BATCH = arg("batch", help=BATCH_HELP)
LINE = arg("--line", required=True, help="明细序号或申请编号")
REQUEST_FILTERS = (
    arg("--year", type=int, help="申请所属年度"),
    arg("--quarter", type=int, choices=[1, 2, 3, 4], help="季度"),
    arg("--type", action="append", default=[], help="救助类型代码，如 quarterly、emergency（可重复）"),
)


def register(sub) -> None:
    batch = group(sub, "batch", "发放批次")
    command(batch, "candidates", "列出可列入批次的已审批申请（含暂不能发放的原因）", run_candidates, *REQUEST_FILTERS)
    command(batch, "create", "新建发放批次：所选申请，或符合条件的全部可发放申请", run_create,
            arg("--date", required=True, help="发放日期，如 2026-12-05"), *REQUEST_FILTERS,
            arg("--request", action="append", default=[], help="申请编号（可重复；不写则取全部可发放的）"),
            arg("--title", default="", help="批次标题"),
            arg("--number", default="", help="批次号（默认按发放日期自动编号）"),
            arg("--method", choices=METHODS, help="统一的发放方式（默认按档案：有卡号的银行代发，否则现金）"),
            arg("--fund", help="资金来源代码（默认取申请的资金来源）"))
    command(batch, "add", "把可发放的申请加入一个发放中的批次", run_add,
            BATCH, arg("--request", action="append", required=True, help="申请编号（可重复）"))
    paid = command(batch, "paid", "登记已发放（现金已签领或银行已到账）", run_paid, BATCH, _on("发放"))
    which = paid.add_mutually_exclusive_group(required=True)
    which.add_argument("--line", action="append", help=LINE_HELP)
    which.add_argument("--all", action="store_true", help="批次中全部待发放的明细")
    command(batch, "returned", "登记银行退票", run_returned,
            BATCH, LINE, arg("--reason", required=True, help="退票原因，如 账号有误"), _on("退票"))
    command(batch, "renounced", "登记本人放弃（资金退回来源）", run_renounced,
            BATCH, LINE, arg("--reason", required=True, help="放弃原因（书面声明）"), _on(""))
    command(batch, "relative", "受助人已故，由亲属领取", run_relative,
            BATCH, LINE, arg("--name", required=True, help="领取亲属姓名"),
            arg("--relation", required=True, help="与受助人关系，如 配偶"),
            arg("--id-number", default="", help="亲属身份证号"), _on("领取"))
    command(batch, "close", "结束批次（不能还有待发放的明细）", run_close, BATCH)


def _candidates(env, ctx, args):
    from ..services import payout
    from ..services.payout.types import NoticeFilter

    flt = NoticeFilter(tuple(args.type), args.year, args.quarter)
    return env.run(payout.batch_candidates, ctx, flt)


def run_candidates(args, env) -> int:
    rows = _candidates(env, env.context(), args)
    lines = [f"{c.number:<14} {c.name}　{c.unit_name}　{c.relief_type_label}　{format_yuan(c.amount_fen)} 元　"
             + ("可发放" if p.payable else "暂不能发放") + f"（{p.reason}）" for c, p in rows]
    env.out([{"request": c, "payable": p.payable, "reason": p.reason} for c, p in rows],
            "\n".join(lines) if lines else "没有待发放的已审批申请")
    return 0


def _request_ids(env, ctx, numbers: list[str]) -> list[int]:
    from ..services import relief

    return [env.run(relief.get_request, ctx, n).id for n in numbers]


def run_create(args, env) -> int:
    from ..services import payout
    from ..services.payout.types import BatchInput, LinePlan

    ctx = env.context()
    pay_date = parse_date(args.date)
    if args.request:
        ids = _request_ids(env, ctx, args.request)
    else:
        ids = [c.request_id for c, p in _candidates(env, ctx, args) if p.payable]
        if not ids:
            raise InvalidInput("没有可发放的已审批申请（公示期满且无未处理的异议）；可用 zhibang batch candidates 查看原因")
    v = env.run(payout.create_batch, ctx, BatchInput(
        pay_date, [LinePlan(i) for i in ids], number=args.number, title=args.title, default_method=args.method,
        default_fund_source=args.fund))
    s = v.summary
    env.out(v, f"已新建批次 {s.number}：{s.lines} 人，合计 {format_yuan(s.total_fen)} 元，发放日期 {s.pay_date.isoformat()}")
    return 0


def run_add(args, env) -> int:
    from ..services import payout
    from ..services.payout.types import LinePlan

    ctx = env.context()
    batch = env.run(payout.get_batch, ctx, args.batch)
    ids = _request_ids(env, ctx, args.request)
    v = env.run(payout.add_lines, ctx, batch.summary.id, [LinePlan(i) for i in ids])
    s = v.summary
    env.out(v, f"批次 {s.number} 已加入 {len(ids)} 人，现共 {s.lines} 人，合计 {format_yuan(s.total_fen)} 元")
    return 0


def _line_id(env, ctx, view, key: str) -> int:
    """A line of the batch by its 序号 or its request's number."""
    key = key.strip()
    if key.isdigit():
        found = [line.id for line in view.lines if line.seq == int(key)]
    else:
        request_id = _request_ids(env, ctx, [key])[0]
        found = [line.id for line in view.lines if line.request_id == request_id]
    if not found:
        raise InvalidInput(f"批次 {view.summary.number} 中没有序号或申请编号为“{key}”的明细")
    return found[-1]


def _batch(env, ctx, key):
    from ..services import payout

    return env.run(payout.get_batch, ctx, key)


def run_paid(args, env) -> int:
    from ..services import payout

    ctx = env.context()
    view = _batch(env, ctx, args.batch)
    if args.all:
        v = env.run(payout.mark_batch_paid, ctx, view.summary.id, parse_date(args.date))
    else:
        v = env.run(payout.mark_paid, ctx, [_line_id(env, ctx, view, k) for k in args.line], parse_date(args.date))
    s = v.summary
    env.out(v, f"批次 {s.number}：已发放 {format_yuan(s.paid_fen)} 元，待发放 {s.pending} 人")
    return 0


def _one_line(args, env, fn, *extra, text: str) -> int:
    ctx = env.context()
    view = _batch(env, ctx, args.batch)
    line = env.run(fn, ctx, _line_id(env, ctx, view, args.line), *extra)
    env.out(line, f"批次 {view.summary.number} 第 {line.seq} 笔 {line.name}：{text}")
    return 0


def run_returned(args, env) -> int:
    from ..services import payout

    return _one_line(args, env, payout.mark_returned, args.reason, parse_date(args.date), text="已登记银行退票")


def run_renounced(args, env) -> int:
    from ..services import payout

    return _one_line(args, env, payout.mark_renounced, args.reason, parse_date(args.date), text="已登记本人放弃")


def run_relative(args, env) -> int:
    from ..services import payout

    return _one_line(args, env, payout.mark_paid_to_relative, args.name, args.relation, parse_date(args.date),
                     args.id_number, text=f"已由{args.relation}{args.name}领取")


def run_close(args, env) -> int:
    from ..services import payout

    ctx = env.context()
    view = _batch(env, ctx, args.batch)
    v = env.run(payout.close_batch, ctx, view.summary.id)
    env.out(v, f"批次 {v.summary.number} 已结束（{v.summary.lines} 人，已发放 {format_yuan(v.summary.paid_fen)} 元）")
    return 0
