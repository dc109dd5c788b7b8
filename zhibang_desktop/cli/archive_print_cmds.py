"""Printing from the archive:

    zhibang print archive HOUSEHOLD --out F.pdf          (archive number or head's ID number)
    zhibang print archive --all [filters] --out F.pdf    (the archive list's filters)
    zhibang print visits --due [--within N] [--unit U] [--blank] --out F.pdf
"""
from __future__ import annotations

from pathlib import Path

from .archive_cmds import add_filter_options, filter_from
from .env import CliFailure, InvalidInput, group, json_flag, progress_printer
from .unit_cmds import UNIT_WORDS, chosen_unit_id


def register(sub) -> None:
    prints = group(sub, "print", "打印（生成 PDF）")
    p = prints.add_parser("archive", help="困难职工家庭档案表（一户，或按条件选出的多户；内部存档，含完整身份证号）")
    p.add_argument("household", nargs="?", help="档案编号或户主身份证号")
    p.add_argument("--all", action="store_true", help="打印按下列条件选出的全部档案（不给条件则为管辖范围内全部）")
    add_filter_options(p, "打印")
    p.add_argument("--out", required=True, help="输出 PDF 文件")
    json_flag(p)
    p.set_defaults(func=run_print_archive)

    p = prints.add_parser("visits", help="应走访家庭的入户走访表（每户一页）")
    p.add_argument("--due", action="store_true", required=True, help="已逾期及即将到期的在档、渐退期家庭")
    p.add_argument("--within", type=int, default=30, help="到期天数（默认 30：已逾期及 30 天内到期）")
    p.add_argument("--unit", help=f"工会（含下级工会）：{UNIT_WORDS}")
    p.add_argument("--blank", action="store_true", help="空白表：只印户主、住址等找到这户所需的信息，其余现场填写")
    p.add_argument("--out", required=True, help="输出 PDF 文件")
    json_flag(p)
    p.set_defaults(func=run_print_visits)


def _pdf(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput("--out 应为 .pdf 文件")
    return path


def _printed(run):
    try:
        return run()
    except OSError as exc:
        raise CliFailure(f"无法写入文件：{exc.strerror or exc}") from exc


def run_print_archive(args, env) -> int:
    from ..services.archive import printing

    out = _pdf(args.out)
    ctx = env.context()
    if bool(args.household) == bool(args.all):
        raise InvalidInput("请给出一户的档案编号或身份证号，或用 --all 按条件打印多户（二者选一）")
    filtered = args.status or args.category or args.text or args.unit or args.overdue
    if args.household:
        if filtered:
            raise InvalidInput("筛选条件只能与 --all 一起使用")
        hid = env.run(printing.find_household, ctx, args.household)
        res = _printed(lambda: env.run(printing.print_archive_forms, ctx, out, household_ids=[hid]))
    else:
        filt = filter_from(args, env, ctx)
        res = _printed(lambda: env.run(printing.print_archive_forms, ctx, out, filt=filt,
                                            progress=progress_printer(env)))
    env.out(res, f"已生成困难职工家庭档案表：{out}（{res.households} 户，{res.pages} 页）"
                 "\n注意：档案表含完整身份证号、银行卡号和收入、病情，仅供内部存档，不得张贴或外传")
    return 0


def run_print_visits(args, env) -> int:
    from ..services.archive import printing

    out = _pdf(args.out)
    if args.within < 0 or args.within > 366:
        raise InvalidInput("--within 应在 0 到 366 天之间")
    ctx = env.context()
    filt = printing.due_filter(chosen_unit_id(env, ctx, args.unit), args.within)
    res = _printed(lambda: env.run(printing.print_visit_forms, ctx, out, filt=filt, prefilled=not args.blank,
                                        progress=progress_printer(env)))
    kind = "空白" if args.blank else "预填"
    env.out(res, f"已生成入户走访表（{kind}）：{out}（{res.households} 户，{res.pages} 页）")
    return 0
