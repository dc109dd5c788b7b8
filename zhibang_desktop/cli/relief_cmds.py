"""Relief sub-commands: policies, the holiday table, the ledger import, the compliance
report, requests and the printed approval form.

    zhibang policy list | show [--year Y] | export OUT.json [--year Y] |
                   import FILE.json [--year Y] | use PRESET [--year Y]
    zhibang holiday list [--year Y] | add DATE [--workday] [--name N] | remove DATE | complete YEAR
    zhibang import ledger FILE.xlsx [--report ERRORS.xlsx]
    zhibang report compliance --year Y [--json]
    zhibang request list [--year Y] [--status S] … | show ID
    zhibang print approval REQUEST --out F.pdf
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..domain.money import format_yuan
from .env import CliFailure, InvalidInput, group, json_flag, progress_printer





def _yuan(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


def register(sub) -> None:
    pol = group(sub, "policy", "救助政策（按年度、版本保存）")
    p = pol.add_parser("list", help="列出各年度各版本的政策")
    p.add_argument("--year", type=int)
    json_flag(p)
    p.set_defaults(func=run_policy_list)
    p = pol.add_parser("show", help="显示某年度生效的政策（--json 输出完整政策文件）")
    p.add_argument("--year", type=int, help="年度（默认今年）")
    p.add_argument("--id", type=int, help="政策版本编号（代替 --year）")
    json_flag(p)
    p.set_defaults(func=run_policy_show)
    p = pol.add_parser("export", help="把政策导出为 JSON 文件（可编辑后再导入）")
    p.add_argument("file", help="输出文件 .json")
    p.add_argument("--year", type=int, help="年度（默认今年）")
    p.add_argument("--id", type=int, help="政策版本编号（代替 --year）")
    json_flag(p)
    p.set_defaults(func=run_policy_export)
    p = pol.add_parser("import", help="导入政策 JSON 文件，作为新版本生效")
    p.add_argument("file", help="政策文件 .json")
    p.add_argument("--year", type=int, help="适用年度（默认取文件中的年度）")
    json_flag(p)
    p.set_defaults(func=run_policy_import)
    p = pol.add_parser("use", help="选用预置政策（增城、上海、海口、昆明）作为某年度的政策")
    p.add_argument("preset", help="预置政策：增城/zengcheng、上海/shanghai、海口/haikou、昆明/kunming")
    p.add_argument("--year", type=int, help="年度（默认今年）")
    json_flag(p)
    p.set_defaults(func=run_policy_use)

    hol = group(sub, "holiday", "节假日与调休（按国务院通知录入）")
    p = hol.add_parser("list", help="列出已录入的节假日与调休上班日")
    p.add_argument("--year", type=int)
    json_flag(p)
    p.set_defaults(func=run_holiday_list)
    p = hol.add_parser("add", help="录入一天：放假（默认）或调休上班（--workday）")
    p.add_argument("day", help="日期，如 2027-10-01")
    p.add_argument("--workday", action="store_true", help="调休上班日")
    p.add_argument("--name", default="", help="名称，如 国庆节")
    json_flag(p)
    p.set_defaults(func=run_holiday_add)
    p = hol.add_parser("remove", help="删除一天")
    p.add_argument("day")
    json_flag(p)
    p.set_defaults(func=run_holiday_remove)
    p = hol.add_parser("complete", help="声明某年度的节假日已全部录入")
    p.add_argument("year", type=int)
    p.add_argument("--undo", action="store_true", help="撤销声明")
    json_flag(p)
    p.set_defaults(func=run_holiday_complete)

    imports = group(sub, "import", "从 Excel 导入")
    p = imports.add_parser("ledger", help="导入历史救助发放台账（.xlsx），作为已审批、已发放记录")
    p.add_argument("file", help="台账文件 .xlsx（姓名、身份证号、救助类型、救助事由、救助金额、发放日期、资金来源、备注）")
    p.add_argument("--report", help="有问题时把问题清单写入此 .xlsx 文件")
    json_flag(p)
    p.set_defaults(func=run_import_ledger)

    reports = group(sub, "report", "报表")
    p = reports.add_parser("compliance", help="合规检查：某年度不符合政策的救助与发放")
    p.add_argument("--year", type=int, required=True)
    json_flag(p)
    p.set_defaults(func=run_compliance)

    req = group(sub, "request", "救助申请")
    p = req.add_parser("list", help="列出救助申请")
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    p.add_argument("--status", help="draft/submitted/in_review/approved/rejected/returned/withdrawn/open")
    p.add_argument("--type", dest="relief_type", help="救助类型代码，如 quarterly")
    p.add_argument("--source", choices=["entered", "ledger"])
    p.add_argument("--overdue", action="store_true", help="只列出审核超期的申请")
    p.add_argument("--text", help="姓名、身份证号或申请编号")
    p.add_argument("--limit", type=int, default=200)
    json_flag(p)
    p.set_defaults(func=run_request_list)
    p = req.add_parser("show", help="显示一个救助申请及其审核过程")
    p.add_argument("request", help="申请编号（如 JZ2026-00001）或内部编号")
    json_flag(p)
    p.set_defaults(func=run_request_show)

    prints = group(sub, "print", "打印（生成 PDF）")
    p = prints.add_parser("approval", help="救助申请审批表")
    p.add_argument("request", help="申请编号（如 JZ2026-00001）或内部编号")
    p.add_argument("--out", required=True, help="输出文件 .pdf")
    json_flag(p)
    p.set_defaults(func=run_print_approval)


# ------------------------------------------------------------------ policies

def _policy_line(v) -> str:
    mark = "【生效】" if v.in_force else ""
    used = f"，{v.used_by_requests} 笔申请使用" if v.used_by_requests else ""
    return f"#{v.id} {v.year} 年第 {v.version} 版{mark} {v.name}（{v.created_by} {v.created_at:%Y-%m-%d}{used}）"


def run_policy_list(args, env) -> int:
    from ..services.relief import policies

    rows = env.run(policies.list_policies, env.context(), args.year)
    env.out(rows, "\n".join(_policy_line(v) for v in rows) if rows else "尚无救助政策，请用 policy use 选用预置政策")
    return 0


def _describe(v) -> str:
    lines = [_policy_line(v), f"单位：{v.office}", f"本人审批：{'允许' if v.self_approval_allowed else '不允许'}",
             f"一人审多级：{'允许' if v.several_levels_per_reviewer_allowed else '不允许'}",
             "走访周期：" + ("，".join(f"{c} 每 {m} 个月" for c, m in v.visit_interval_months) or "不要求走访")]
    for t in v.relief_types:
        lines.append(f"- {t.name}（{t.code}）：{t.standard_text or '无标准金额'}"
                     + ("" if t.requires_archive else "；未建档职工可申请"))
        for sc in t.subcases:
            lines.append(f"    · {sc.label}（{sc.code}）：{sc.note}")
        if t.review_levels:
            lines.append("    审核：" + " → ".join(f"{lv.label}（{lv.note} 个工作日）" for lv in t.review_levels))
    return "\n".join(lines)


def run_policy_show(args, env) -> int:
    from ..services.relief import policies

    ctx = env.context()
    if env.json:
        env.out(env.run(policies.policy_document, ctx, args.year, args.id))
    else:
        env.out(None, _describe(env.run(policies.show_policy, ctx, args.year, args.id)))
    return 0


def run_policy_export(args, env) -> int:
    from ..services.relief import policies

    try:
        env.run(policies.export_policy, env.context(), args.year, args.id, Path(args.file))
    except OSError as exc:
        raise CliFailure(f"无法写入“{args.file}”：{exc.strerror or exc}") from exc
    env.out({"file": args.file}, f"已导出到 {args.file}")
    return 0


def run_policy_import(args, env) -> int:
    from ..services.relief import policies

    v = env.run(policies.import_policy, env.context(), Path(args.file), args.year)
    env.out(v, f"已导入并生效：{_policy_line(v)}")
    return 0


def run_policy_use(args, env) -> int:
    from ..services.relief import policies

    v = env.run(policies.use_preset, env.context(), args.preset, args.year)
    env.out(v, f"已选用预置政策并生效：{_policy_line(v)}")
    return 0


# ------------------------------------------------------------------ holidays

def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"日期“{text}”应写成 2027-10-01") from exc


def run_holiday_list(args, env) -> int:
    from ..services.relief import holidays

    ctx = env.context()
    rows = env.run(holidays.list_days, ctx, args.year)
    years = env.run(holidays.calendar_years, ctx, [args.year] if args.year else None)
    text = [f"{d.day.isoformat()} {'调休上班' if d.is_workday else '放假'} {d.name}" for d in rows]
    for y in years:
        state = {"admin": "已录入完整", "package": "使用内置节假日数据", "none": "没有节假日数据（到期日只按周末推算）"}
        text.append(f"{y.year} 年：{state[y.source]}")
    env.out({"days": rows, "years": years}, "\n".join(text))
    return 0


def run_holiday_add(args, env) -> int:
    from ..services.relief import holidays

    v = env.run(holidays.add_day, env.context(), _day(args.day), args.workday, args.name)
    env.out(v, f"已录入：{v.day.isoformat()} {'调休上班' if v.is_workday else '放假'} {v.name}")
    return 0


def run_holiday_remove(args, env) -> int:
    from ..services.relief import holidays

    env.run(holidays.remove_day, env.context(), _day(args.day))
    env.out({"removed": args.day}, f"已删除：{args.day}")
    return 0


def run_holiday_complete(args, env) -> int:
    from ..services.relief import holidays

    v = env.run(holidays.mark_year_complete, env.context(), args.year, not args.undo)
    env.out(v, f"{v.year} 年节假日：{'已录入完整' if v.source == 'admin' else '未声明完整'}")
    return 0


# ------------------------------------------------------------------ ledger, compliance



def run_import_ledger(args, env) -> int:
    from ..services.relief import ledger_import

    res = env.run(ledger_import.import_ledger, env.context(), args.file, args.report, progress=progress_printer(env))
    if not res.ok:
        details = []
        for p in res.problems:
            where = f"第 {p.row} 行" if p.row else "文件"
            col = f"〔{p.column}〕" if p.column else ""
            val = f"（原值：{p.value}）" if p.value else ""
            details.append(f"{where}{col}：{p.reason}{val}")
        msg = f"台账有 {len(res.problems)} 处问题，未导入任何记录"
        if res.report_path:
            msg += f"；问题清单已写入 {res.report_path}"
        raise InvalidInput(msg, details[:200] + ([f"… 另有 {len(details) - 200} 处"] if len(details) > 200 else []))
    lines = [f"已导入 {res.imported} 笔发放记录，合计 {_yuan(res.total_fen)} 元"]
    if res.not_in_archive:
        lines.append(f"其中 {len(res.not_in_archive)} 人不在档案中（已标记）：")
        lines += [f"  - 第 {row} 行 {name}（{masked}）" for row, name, masked in res.not_in_archive[:50]]
    env.out(res, "\n".join(lines))
    return 0


def rate_bp_text(part: int, whole: int) -> str:
    bp = (part * 10000 * 2 + whole) // (whole * 2)
    return f"{bp // 100}.{bp % 100:02d}%"


def run_compliance(args, env) -> int:
    from ..services.relief import compliance

    rep = env.run(compliance.compliance_report, env.context(), args.year)
    rate = "—" if rep.rate is None else f"{rate_bp_text(rep.compliant, rep.checked)}"
    if env.json:
        from dataclasses import asdict

        env.out({**asdict(rep), "compliant": rep.compliant, "rate": None if rep.rate is None else round(rep.rate, 6)})
        return 0
    lines = [f"{rep.year} 年合规检查：共核对 {rep.checked} 笔，符合政策 {rep.compliant} 笔，合规率 {rate}；"
             f"不符合政策 {len(rep.violations)} 笔，无法核对 {len(rep.not_checkable)} 笔"]
    for v in rep.violations:
        lines.append(f"  ✗ {v.date.isoformat()} {v.name} {v.type_name or v.type} {_yuan(v.amount_fen)} 元"
                     f"〔{v.rule_label or v.rule}〕{v.message}")
        if v.justification:
            lines.append(f"      书面说明：{v.justification}")
    if rep.not_checkable:
        lines.append("无法核对（缺少数据，不计入违规）：")
        for n in rep.not_checkable:
            lines.append(f"  ? {n.date.isoformat()} {n.name} {n.type_name or n.type} {_yuan(n.amount_fen)} 元"
                         f"〔{n.rule_label or n.rule}〕{n.message}")
    lines += [f"注：{x}" for x in rep.notes]
    env.out(rep, "\n".join(lines))
    return 0


# ------------------------------------------------------------------ requests

def run_request_list(args, env) -> int:
    from ..services import relief
    from ..services.relief.types import RequestFilter

    flt = RequestFilter(status=args.status, relief_type=args.relief_type, year=args.year, quarter=args.quarter,
                        source=args.source, overdue=True if args.overdue else None, text=args.text,
                        limit=max(1, args.limit))
    page = env.run(relief.list_requests, env.context(), flt)
    lines = [f"共 {page.total} 笔" + (f"（显示前 {len(page.rows)} 笔）" if page.total > len(page.rows) else "")]
    for r in page.rows:
        amount = _yuan(r.approved_amount_fen if r.approved_amount_fen is not None else r.requested_amount_fen)
        due = f" 待{r.current_level_name}审核，应于 {r.due_date.isoformat()} 前" if r.due_date else ""
        lines.append(f"{r.number} {r.status_label} {r.name} {r.relief_type_name} {amount} 元{due}"
                     + ("【超期】" if r.overdue else "") + ("" if r.archived else "【未建档】"))
    env.out(page, "\n".join(lines))
    return 0


def run_request_show(args, env) -> int:
    from ..services import relief

    v = env.run(relief.get_request, env.context(), args.request)
    lines = [f"{v.number} {v.status_label}：{v.name}（{v.unit_name}）{v.relief_type_name}"
             + (f"·{v.subcase_name}" if v.subcase_name else ""),
             f"申请 {_yuan(v.requested_amount_fen)} 元，建议 {_yuan(v.suggested_amount_fen)} 元"
             + (f"，核定 {_yuan(v.approved_amount_fen)} 元" if v.approved_amount_fen is not None else ""),
             f"政策：{v.policy_name}（{v.policy_year} 年第 {v.policy_version} 版）"]
    lines += [f"  [{f.severity_label}] {f.message}" for f in v.findings]
    if v.justification:
        lines.append(f"书面说明：{v.justification}")
    for e in v.timeline:
        lines.append(f"{e.at.astimezone():%Y-%m-%d %H:%M} {e.label} {e.actor} {e.detail}".rstrip())
    if v.pending:
        lines.append(f"待{v.pending.level_name}审核，应于 {v.pending.due_date.isoformat()} 前完成"
                     + ("【超期】" if v.pending.overdue else ""))
        if v.pending.due_warning:
            lines.append(f"注意：{v.pending.due_warning}")
    env.out(v, "\n".join(lines))
    return 0


def run_print_approval(args, env) -> int:
    from ..services import relief

    try:
        out = env.run(relief.print_approval, env.context(), args.request, Path(args.out))
    except OSError as exc:
        raise CliFailure(f"无法写入“{args.out}”：{exc.strerror or exc}") from exc
    env.out({"file": str(out)}, f"已生成审批表：{out}")
    return 0
