"""Archive sub-commands: demo, import/export households, template, check."""
from __future__ import annotations


from ..domain.household import CATEGORIES, STATUSES
from .env import CliFailure, InvalidInput, group, json_flag, progress_printer
from .unit_cmds import UNIT_WORDS, chosen_unit_id





def register(sub) -> None:
    p = sub.add_parser("demo", help="生成演示数据（新数据库或演示数据库）")
    p.add_argument("--households", type=int, default=300, help="家庭数（默认 300，可到 100000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
    json_flag(p)
    p.set_defaults(func=run_demo)

    imports = group(sub, "import", "从 Excel 导入")
    p = imports.add_parser("households", help="导入困难职工家庭档案台账（.xlsx）")
    p.add_argument("file", help="台账文件 .xlsx")
    p.add_argument("--report", help="有问题时把问题清单写入此 .xlsx 文件")
    p.add_argument("--check-only", action="store_true", help="只检查，不导入")
    p.add_argument("--create-units", action="store_true",
                   help="台账中有系统里没有的工会时，新建为区总工会下的基层工会（不加此项则列出它们、不导入）")
    json_flag(p)
    p.set_defaults(func=run_import)

    exports = group(sub, "export", "导出到 Excel")
    p = exports.add_parser("households", help="导出档案（可按状态、类别筛选）")
    p.add_argument("file", help="输出文件 .xlsx")
    add_filter_options(p, "导出")
    json_flag(p)
    p.set_defaults(func=run_export)

    templates = group(sub, "template", "空白导入模板")
    p = templates.add_parser("households", help="家庭档案台账的空白模板（含示例与填写说明）")
    p.add_argument("file", help="输出文件 .xlsx")
    p.set_defaults(func=run_template)

    p = sub.add_parser("check", help="检查数据库完整性、外键、审计链与档案一致性")
    json_flag(p)
    p.set_defaults(func=run_check)




def run_demo(args, env) -> int:
    from .. import demo
    from ..services.admin import settings
    from ..services.session import setup

    if args.households < 1 or args.households > 1_000_000:
        raise InvalidInput("--households 应在 1 到 1000000 之间")
    if setup.is_initialised(env.db) and not demo.is_demo_database(env.db):
        # a real office, even one named like the demo's 增城区总工会
        office = settings.get_settings(_system(env)).office_name
        raise InvalidInput(f"此数据库属于“{office}”，演示数据只能生成在新数据库或演示数据库中（请用 --db 指定新文件）")
    summary = env.run(demo.create_demo, env.db, households=args.households, seed=args.seed, progress=progress_printer(env))
    text = (f"已生成演示数据：{summary.households} 户，家庭成员 {summary.members} 人，走访 {summary.visits} 次，"
            f"工会 {summary.units} 个（数据库：{env.db_path}）")
    if summary.users:
        text += f"\n演示用户：{'、'.join(summary.users)}，密码均为 {demo.DEMO_PASSWORD}（仅供演示）"
    env.out(summary, text)
    return 0


def _system(env):
    from ..services.context import SYSTEM, AppContext

    return AppContext(env.db, SYSTEM)


def _problem_line(p) -> str:
    where = [p.sheet or ""]
    if p.row:
        where.append(f"第 {p.row} 行")
    if p.column:
        where.append(f"〔{p.column}〕")
    value = "" if p.value in (None, "") else f"（原值：{p.value}）"
    return f"{' '.join(w for w in where if w)}：{p.reason}{value}"


def run_import(args, env) -> int:
    from ..services.archive import household_import as imp

    ctx = env.context()
    if args.check_only:
        check = env.run(imp.check_import, ctx, args.file, progress=progress_printer(env))
        if check.problems:
            return _rejected(args, env, check.problems)
        env.out(check, f"检查通过：{check.households} 户，家庭成员 {check.members} 人"
                       + (f"，系统中没有的工会：{'、'.join(check.new_units)}（导入时加 --create-units 新建）"
                          if check.new_units else "") + "（未导入）"
                       + "".join(f"\n注意：{w}" for w in check.warnings))
        return 0
    def attempt():
        try:
            return imp.import_households(ctx, args.file, progress=progress_printer(env),
                                         create_units=args.create_units)
        except (imp.ImportRejected, imp.UnknownUnits) as exc:
            return exc

    result = env.run(attempt)  # other service errors get the usual exit codes
    if isinstance(result, imp.ImportRejected):
        return _rejected(args, env, result.problems)
    if isinstance(result, imp.UnknownUnits):
        env.error(f"台账中有 {len(result.units)} 个系统中没有的工会，未导入任何数据；确认新建后加 --create-units "
                  "重新导入，或先在“单位与组织”中建好这些工会", result.units)
        return 2
    lines = [f"已导入 {result.households} 户，家庭成员 {result.members} 人"]
    lines.extend(f"注意：{w}" for w in result.warnings)
    if result.new_units:
        lines.append(f"新建基层工会（区总工会下）：{'、'.join(result.new_units)}")
    if result.follow_up.count:
        lines.append(f"待办（{result.follow_up.count} 户）：")
        lines.extend(f"  - {item}" for item in result.follow_up.examples)
        if result.follow_up.more:
            lines.append(f"  … 另有 {result.follow_up.more} 户")
    env.out(result, "\n".join(lines))
    return 0


def _rejected(args, env, problems) -> int:
    from ..services.archive.household_import import write_import_report

    details = [_problem_line(p) for p in problems]
    if args.report:
        try:
            write_import_report(args.report, problems)
        except OSError as exc:
            raise CliFailure(f"无法写入问题清单“{args.report}”：{exc}") from exc
        details.append(f"问题清单已写入：{args.report}")
    raise InvalidInput(f"文件中有 {len(problems)} 处问题，未导入任何数据", details)


def _codes(values: list[str], vocabulary: dict[str, str], what: str) -> frozenset[str]:
    by_label = {label: code for code, label in vocabulary.items()}
    out = set()
    for value in values:
        for item in value.replace("，", ",").split(","):
            item = item.strip()
            if not item:
                continue
            code = item if item in vocabulary else by_label.get(item)
            if code is None:
                raise InvalidInput(f"未知的{what}“{item}”，可选：" + "、".join(f"{c}（{l}）" for c, l in vocabulary.items()))
            out.add(code)
    return frozenset(out)


def add_filter_options(p, verb: str) -> None:
    """The archive list's filters (状态, 类别, 关键字, 工会, 走访逾期) as options."""
    p.add_argument("--status", action="append", default=[],
                   help="状态：" + "、".join(f"{c}/{label}" for c, label in STATUSES.items()) + "（可重复或用逗号分隔）")
    p.add_argument("--category", action="append", default=[],
                   help="类别：" + "、".join(f"{c}/{label}" for c, label in CATEGORIES.items()))
    p.add_argument("--text", default="", help="关键字（姓名、拼音、身份证号、档案号、电话）")
    p.add_argument("--unit", help=f"工会（含下级工会）：{UNIT_WORDS}")
    p.add_argument("--overdue", action="store_true", help=f"只{verb}走访逾期的家庭")


def filter_from(args, env, ctx):
    from ..services.archive.types import HouseholdFilter

    return HouseholdFilter(text=args.text, statuses=_codes(args.status, STATUSES, "状态"),
                           categories=_codes(args.category, CATEGORIES, "类别"),
                           unit_id=chosen_unit_id(env, ctx, args.unit), visit_overdue=args.overdue)


def run_export(args, env) -> int:
    from ..services.archive.household_export import export_households

    ctx = env.context()
    filt = filter_from(args, env, ctx)
    count = env.run(export_households, ctx, args.file, filt, progress=progress_printer(env))
    env.out({"households": count, "file": args.file}, f"已导出 {count} 户到 {args.file}")
    return 0


def run_template(args, env) -> int:
    from ..documents.household_ledger import write_template

    try:
        write_template(args.file)
    except OSError as exc:
        raise CliFailure(f"无法写入“{args.file}”：{exc}") from exc
    env.out({"file": args.file}, f"已写入空白模板：{args.file}")
    return 0


def run_check(args, env) -> int:
    from ..services.admin.checks import run_checks

    report = run_checks(env.db)
    lines = []
    for item in report.items:
        lines.append(f"[{'通过' if item.ok else '失败'}] {item.name}：{item.detail}")
        lines.extend(f"      {e}" for e in item.examples)
    lines.append("全部检查通过" if report.ok else "有检查未通过")
    env.out(report, "\n".join(lines))
    return 0 if report.ok else 1
