"""`zhibang export annual` / `zhibang import annual`: the annual exchange workbook.

    zhibang export annual --year Y --out F.xlsx [--encrypt]
    zhibang import annual F1.xlsx [F2.xlsx …] [--check-only]

With --encrypt (or to read a protected file) the file password comes from ZHIBANG_FILE_PASSWORD
or a prompt.  Without --check-only (a city union's database only) each file is imported in its
own transaction; a refused file changes nothing and the others still go in (exit 2 then).
"""
from __future__ import annotations

import getpass
import os
import sys

from .env import CliFailure, InvalidInput, group, json_flag, progress_printer

FILE_PASSWORD_ENV = "ZHIBANG_FILE_PASSWORD"
SHEET_NAMES = {"unions": "工会", "households": "家庭", "members": "家庭成员", "requests": "救助申请",
               "payments": "发放", "budgets": "预算", "allocations": "下拨", "indicators": "指标"}


def register(sub) -> None:
    exports = group(sub, "export", "导出到 Excel")
    p = exports.add_parser("annual", help="年度上报文件（报市总工会；含说明页与各表校验值）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.add_argument("--encrypt", action="store_true",
                   help=f"用打开密码加密（密码取自环境变量 {FILE_PASSWORD_ENV} 或提示输入）")
    json_flag(p)
    p.set_defaults(func=run_export_annual)

    imports = group(sub, "import", "从 Excel 导入")
    p = imports.add_parser("annual", help="导入（市总工会）或检查各区县的年度上报文件")
    p.add_argument("files", nargs="+", help="上报文件 .xlsx（可多个）")
    p.add_argument("--check-only", action="store_true", help="只检查说明页、格式版本和各表校验值，不导入")
    json_flag(p)
    p.set_defaults(func=run_import_annual)


def file_password(prompt: str) -> str:
    password = os.environ.get(FILE_PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise InvalidInput(f"请在环境变量 {FILE_PASSWORD_ENV} 中提供文件密码，或在终端中运行以输入密码")
        password = getpass.getpass(prompt)
    if not password:
        raise InvalidInput("文件密码不能为空")
    return password


def counts_text(counts: dict[str, int]) -> str:
    return "、".join(f"{SHEET_NAMES.get(k, k)} {n} 行" for k, n in counts.items())


def run_export_annual(args, env) -> int:
    from ..services import exchange

    ctx = env.context()
    password = file_password("上报文件的打开密码：") if args.encrypt else None
    done = env.run(exchange.export_annual_workbook, ctx, args.year, args.out, password,
                   progress=progress_printer(env))
    env.out({"out": str(done.path), "office": done.office, "year": done.year, "counts": done.counts,
             "encrypted": bool(password)},
            f"已写入 {done.path}（{done.office} {done.year} 年度：{counts_text(done.counts)}）")
    return 0


def run_import_annual(args, env) -> int:
    if not args.check_only:
        return _import_annual(args, env)
    from ..services import exchange

    ctx = env.context()
    password = os.environ.get(FILE_PASSWORD_ENV)
    results = [env.run(exchange.check_annual_workbook, ctx, name, password) for name in args.files]
    env.out([{"file": r.name, "sha256": r.sha256, "office": r.office, "union_code": r.union_code, "year": r.year,
              "exported_at": r.exported_at, "exported_by": r.exported_by, "counts": r.counts} for r in results],
            "\n".join(f"{r.name}：完好。{r.office}（{r.union_code}）{r.year} 年度，{r.exported_at} 由{r.exported_by}导出；"
                      f"{counts_text(r.counts)}" for r in results))
    return 0


def _import_annual(args, env) -> int:
    from ..services import exchange

    ctx = env.context()
    password = os.environ.get(FILE_PASSWORD_ENV)
    done, refused = [], []
    for name in args.files:
        try:
            done.append(env.run(exchange.import_annual_workbook, ctx, name, password, progress_printer(env)))
        except CliFailure as exc:
            if isinstance(exc.__cause__, exchange.NotACityDatabase):
                raise InvalidInput(str(exc)) from None
            if not isinstance(exc.__cause__, exchange.ExchangeFileRefused):
                raise
            refused.append({"file": name, "reason": str(exc)})
    lines = [f"{r.name}：已导入{r.county}（{r.county_code}）{r.year} 年度" + ("，替换了此前导入的同一年度" if
             r.replaced_import_id else "") + f"；{counts_text(r.counts)}" for r in done]
    lines += [f"{x['file']}：拒绝导入，未做任何更改。{x['reason']}" for x in refused]
    env.out({"imported": [{"file": r.name, "import_id": r.import_id, "county": r.county, "county_code": r.county_code,
                           "year": r.year, "sha256": r.sha256, "counts": r.counts,
                           "replaced_import_id": r.replaced_import_id} for r in done],
             "refused": refused}, "\n".join(lines))
    return 2 if refused else 0
