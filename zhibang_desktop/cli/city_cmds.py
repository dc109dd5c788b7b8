"""City mode reports (issue 14): `zhibang report duplicates`, `report allocations`, `report imports`.

    zhibang report duplicates --year Y [--json]   the same ID aided in two counties; heads who are members elsewhere
    zhibang report allocations --year Y [--json]  the city's allocations against what each county reports spent
    zhibang report imports [--year Y] [--json]    the county files imported (which, when, by whom, replaced or not)

Text output masks ID numbers; --json carries them whole (the city names the person to the counties).
"""
from __future__ import annotations

from ..domain import clock
from ..domain.idnumber import mask_id_number
from ..domain.money import format_yuan
from .env import group, json_flag


def register(sub) -> None:
    reports = group(sub, "report", "报表")
    p = reports.add_parser("duplicates", help="跨区县核查（市总工会）：同一身份证号在两个区县受助；户主是其他区县家庭的成员")
    p.add_argument("--year", type=int, required=True)
    json_flag(p)
    p.set_defaults(func=run_duplicates)
    p = reports.add_parser("allocations", help="市对区县下拨资金核对（市总工会）：下拨、区县报告支出与差额")
    p.add_argument("--year", type=int, required=True)
    json_flag(p)
    p.set_defaults(func=run_allocations)
    p = reports.add_parser("imports", help="各区县年度上报文件的导入记录（市总工会）")
    p.add_argument("--year", type=int)
    json_flag(p)
    p.set_defaults(func=run_imports)


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(fen)


def run_duplicates(args, env) -> int:
    from ..services import exchange

    found = env.run(exchange.cross_county, env.context(), args.year)
    lines = [f"{found.year} 年度在两个及以上区县受助的身份证号：{len(found.aided_twice)} 个"]
    for t in found.aided_twice:
        each = "；".join(f"{c.county} {c.name} {c.payments} 笔 {_yuan(c.amount_fen)} 元" for c in t.counties)
        lines.append(f"  {mask_id_number(t.id_number)}：{each}；合计 {_yuan(t.amount_fen)} 元")
    lines.append(f"户主是其他区县家庭成员的：{len(found.heads_members_elsewhere)} 人")
    for h in found.heads_members_elsewhere:
        lines.append(f"  {mask_id_number(h.id_number)} {h.name}：{h.head_county} 档案 {h.head_archive_no} 的户主；"
                     f"{h.member_county} 档案 {h.member_archive_no}（户主 {h.member_of}）的{h.relation}")
    env.out(found, "\n".join(lines))
    return 0


def run_allocations(args, env) -> int:
    from ..services import exchange

    rec = env.run(exchange.reconcile_allocations, env.context(), args.year)
    lines = [f"{rec.year} 年度市对区县下拨资金核对（差额 = 下拨 − 区县报告支出）"]
    for r in rec.rows:
        spent = f"区县报告支出 {_yuan(r.spent_fen)} 元，区县该来源预算 {_yuan(r.county_budget_fen)} 元" if r.imported \
            else "本年度上报文件尚未导入"
        tail = f"差额 {_yuan(r.difference_fen)} 元" if r.matched else f"未核对：{r.problem}"
        lines.append(f"  {r.county}｜{r.source_name}（{r.source_code}）：下拨 {_yuan(r.allocated_fen)} 元，{spent}，{tail}")
    lines.append(f"  合计（名称一致的来源）：下拨 {_yuan(rec.allocated_fen)} 元，支出 {_yuan(rec.spent_fen)} 元，"
                 f"差额 {_yuan(rec.difference_fen)} 元" + (f"；另有 {len(rec.problems)} 行未核对，见上" if rec.problems else ""))
    env.out({"year": rec.year, "rows": [dict(r.__dict__, difference_fen=r.difference_fen) for r in rec.rows],
             "allocated_fen": rec.allocated_fen, "spent_fen": rec.spent_fen, "difference_fen": rec.difference_fen},
            "\n".join(lines))
    return 0


def run_imports(args, env) -> int:
    from ..services import exchange

    records = env.run(exchange.import_records, env.context(), args.year)
    lines = [f"{r.county}（{r.county_code}）{r.year} 年度：“{r.file_name}”，"
             f"{clock.local_date(r.imported_at).isoformat()} 由{r.imported_by}导入，"
             f"{r.counts.get('households', 0)} 户、{r.counts.get('payments', 0)} 笔发放"
             + ("" if r.current else "（已被再次导入替换）") for r in records]
    env.out(records, "\n".join(lines) or "尚未导入任何区县的上报文件")
    return 0
