"""Public notice and payout sub-commands.

    zhibang notice list [--status S] [--year Y] [--json] | show NOTICE [--json]
    zhibang batch list [--status S] [--year Y] [--json] | show BATCH [--json]
    zhibang print roster NOTICE --out F.pdf
    zhibang print receipts BATCH --out F.pdf [--full-id] [--cash-only]
    zhibang export bank BATCH --out F.xlsx [--template NAME]
    zhibang import returns BATCH FILE [--date D] [--preview]

BATCH is the batch number (2026-Q1-01, 第31次) or its internal id.
"""
from __future__ import annotations

from pathlib import Path

from ..domain.money import format_yuan
from .env import CliFailure, InvalidInput, group, json_flag, parse_date


def _yuan(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


def register(sub) -> None:
    notice = group(sub, "notice", "公示（名单、公示期、异议）")
    p = notice.add_parser("list", help="列出公示")
    p.add_argument("--status", choices=["draft", "published", "closed"])
    p.add_argument("--year", type=int)
    json_flag(p)
    p.set_defaults(func=run_notice_list)
    p = notice.add_parser("show", help="显示一个公示的名单和异议")
    p.add_argument("notice", type=int, help="公示编号")
    json_flag(p)
    p.set_defaults(func=run_notice_show)

    batch = group(sub, "batch", "发放批次")
    p = batch.add_parser("list", help="列出发放批次")
    p.add_argument("--status", choices=["open", "closed"])
    p.add_argument("--year", type=int)
    json_flag(p)
    p.set_defaults(func=run_batch_list)
    p = batch.add_parser("show", help="显示一个批次的发放明细")
    p.add_argument("batch", help="批次号（如 2026-Q1-01）或内部编号")
    json_flag(p)
    p.set_defaults(func=run_batch_show)

    prints = group(sub, "print", "打印（生成 PDF）")
    p = prints.add_parser("roster", help="公示名单（张贴用，不含完整身份证号、卡号、病情）")
    p.add_argument("notice", type=int, help="公示编号")
    p.add_argument("--out", required=True, help="输出文件 .pdf")
    json_flag(p)
    p.set_defaults(func=run_print_roster)
    p = prints.add_parser("receipts", help="发放实名制签领表")
    p.add_argument("batch", help="批次号（如 2026-Q1-01）或内部编号")
    p.add_argument("--out", required=True, help="输出文件 .pdf")
    p.add_argument("--full-id", action="store_true", help="内部存档本：打印完整身份证号（不得张贴）")
    p.add_argument("--cash-only", action="store_true", help="只打印现金发放的明细")
    json_flag(p)
    p.set_defaults(func=run_print_receipts)

    exports = group(sub, "export", "导出到 Excel")
    p = exports.add_parser("bank", help="银行代发文件（.xlsx）")
    p.add_argument("batch", help="批次号（如 2026-Q1-01）或内部编号")
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.add_argument("--template", help="银行模板名称（默认：通用格式）")
    json_flag(p)
    p.set_defaults(func=run_export_bank)

    imports = group(sub, "import", "从 Excel 导入")
    p = imports.add_parser("returns", help="银行退票/回执文件（.xlsx 或 .csv），登记退票")
    p.add_argument("batch", help="批次号（如 2026-Q1-01）或内部编号")
    p.add_argument("file", help="银行回执文件 .xlsx 或 .csv")
    p.add_argument("--date", help="退票日期（默认今天），如 2026-03-22")
    p.add_argument("--preview", action="store_true", help="只核对，不登记")
    json_flag(p)
    p.set_defaults(func=run_import_returns)


# ------------------------------------------------------------------ notices

def run_notice_list(args, env) -> int:
    from ..services.payout import notices

    rows = env.run(notices.list_notices, env.context(), args.status, args.year)
    lines = [f"{n.id:>4}  {n.status_label:<4} {n.start.isoformat()}～{n.end.isoformat()}  {n.entries:>4} 人  "
             f"{_yuan(n.total_fen):>14} 元  {n.title}" + (f"  异议待处理 {n.open_objections}" if n.open_objections else "")
             for n in rows]
    env.out(rows, "\n".join(lines) if lines else "没有公示")
    return 0


def run_notice_show(args, env) -> int:
    from ..services.payout import notices

    v = env.run(notices.get_notice, env.context(), args.notice)
    s = v.summary
    lines = [s.title, f"状态：{s.status_label}　公示期：{s.start.isoformat()} 至 {s.end.isoformat()}"
             f"（{s.working_days} 个工作日）　{s.entries} 人，{_yuan(s.total_fen)} 元"]
    if s.end_warning:
        lines.append(f"注意：{s.end_warning}")
    for e in v.entries:
        mark = "" if e.state == "listed" else f"〔已撤下：{e.removed_reason or ''}〕"
        lines.append(f"  {e.seq:>3}. {e.name}　{e.unit_name}　{e.relief_type_label}　{_yuan(e.amount_fen)}{mark}")
    for o in v.objections:
        lines.append(f"  异议 #{o.id}（{o.person_name}）{o.received_on.isoformat()} {o.objector}：{o.content} → "
                     f"{o.result_label}{('：' + o.handling) if o.handling else ''}")
    env.out(v, "\n".join(lines))
    return 0


# ------------------------------------------------------------------ batches

def run_batch_list(args, env) -> int:
    from ..services import payout

    rows = env.run(payout.list_batches, env.context(), args.status, args.year)
    lines = [f"{b.id:>4}  {b.number:<12} {b.pay_date.isoformat()}  {b.kind_label:<4} {b.status_label:<3} "
             f"{b.lines:>4} 笔 {_yuan(b.total_fen):>14} 元  已发 {_yuan(b.paid_fen)}"
             + (f"  待发 {b.pending}" if b.pending else "") + (f"  退票 {b.returned}" if b.returned else "")
             + (f"  放弃 {b.renounced}" if b.renounced else "") for b in rows]
    env.out(rows, "\n".join(lines) if lines else "没有发放批次")
    return 0


def run_batch_show(args, env) -> int:
    from ..services import payout

    from ..services.payout.receipt_prints import list_receipt_prints

    ctx = env.context()
    v = env.run(payout.get_batch, ctx, args.batch)
    s = v.summary
    prints = env.run(list_receipt_prints, ctx, s.id)
    lines = [f"批次 {s.number}（{s.kind_label}，{s.status_label}）发放日期 {s.pay_date.isoformat()}：{s.lines} 笔，"
             f"{_yuan(s.total_fen)} 元，已发放 {_yuan(s.paid_fen)} 元",
             "签领表：" + ("；".join(p.text for p in prints) if prints else "未打印")]
    for line in v.lines:
        extra = line.return_reason or line.renounce_reason or (
            f"{line.relative_relation}{line.relative_name}领取" if line.relative_name else "")
        lines.append(f"  {line.seq:>3}. {line.name}　{line.unit_name}　{line.relief_type_label}　{line.method_label}"
                     f"　{line.account_masked}　{_yuan(line.amount_fen)}　{line.state_label}"
                     + (f"（{extra}）" if extra else ""))
    env.out(v, "\n".join(lines))
    return 0


# ------------------------------------------------------------------ print, export, import

def _pdf(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput("--out 应为 .pdf 文件")
    return path


def run_print_roster(args, env) -> int:
    from ..services.payout import printing as payout_print

    out = _pdf(args.out)
    try:
        res = env.run(payout_print.print_roster, env.context(), args.notice, out)
    except OSError as exc:
        raise CliFailure(f"无法写入“{out}”：{exc.strerror or exc}") from exc
    env.out({"file": str(out), "pages": res.pages, "rows": res.rows, "total_fen": res.total_fen},
            f"已生成公示名单：{out}（{res.rows} 人，{res.pages} 页，合计 {_yuan(res.total_fen)} 元）")
    return 0


def run_print_receipts(args, env) -> int:
    from ..services.payout import printing as payout_print

    out = _pdf(args.out)
    methods = ("cash",) if args.cash_only else None
    try:
        res = env.run(payout_print.print_receipts, env.context(), args.batch, out, full_id=args.full_id,
                      methods=methods)
    except OSError as exc:
        raise CliFailure(f"无法写入“{out}”：{exc.strerror or exc}") from exc
    env.out({"file": str(out), "pages": res.pages, "rows": res.rows, "total_fen": res.total_fen,
             "page_sums": list(res.page_sums), "full_id": args.full_id},
            f"已生成签领表：{out}（{res.rows} 人，{res.pages} 页，合计 {_yuan(res.total_fen)} 元）"
            + ("\n注意：内部存档本含完整身份证号，不得张贴或外传" if args.full_id else ""))
    return 0


def run_export_bank(args, env) -> int:
    from ..services.payout import bank_files

    res = env.run(bank_files.export_bank_file, env.context(), args.batch, Path(args.out), args.template)
    text = f"已导出银行代发文件：{res.path}（{res.template}，{res.count} 笔，合计 {_yuan(res.total_fen)} 元）"
    if res.skipped:
        text += "\n未列入代发文件：\n" + "\n".join(f"  - {s}" for s in res.skipped)
    env.out(res, text)
    return 0


def run_import_returns(args, env) -> int:
    from ..services.payout import bank_files
    from ..services.payout.types import RETURN_ACTION_LABELS

    res = env.run(bank_files.import_returns, env.context(), args.batch, Path(args.file), parse_date(args.date),
                  apply=not args.preview)
    verb = "将登记" if args.preview else "已登记"
    lines = [f"批次 {res.batch_number}：{verb}退票 {sum(1 for m in res.returned if m.action == 'returned')} 笔，"
             f"{_yuan(res.returned_fen)} 元"]
    for m in res.returned:
        what = "退票" if m.action == "returned" else "确认发放成功"
        lines.append(f"  第 {m.row_no} 行 → {m.name}（{m.account_masked}）{_yuan(m.amount_fen)} 元 {what}：{m.reason}")
    for m in res.unchanged:
        lines.append(f"  第 {m.row_no} 行 → {m.name}：{RETURN_ACTION_LABELS.get(m.action, m.action)}")
    if res.unmatched:
        lines.append(f"未匹配 {len(res.unmatched)} 行：")
        for u in res.unmatched:
            lines.append(f"  第 {u.row_no} 行 {u.name} {u.account_masked or u.id_masked} {_yuan(u.amount_fen)}：{u.why}")
    env.out(res, "\n".join(lines))
    return 0
