"""The `zhibang` command: no arguments opens the GUI; sub-commands do admin and batch work.

Exit codes: 0 success, 2 invalid input (reasons printed), 1 any other failure.
Each area registers its sub-commands from a module in this package.
"""
from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from .display import display_missing
from .env import CliEnv, CliFailure, InvalidInput
from . import admin_cmds, archive_cmds, archive_print_cmds, relief_cmds, setup_cmds
from . import batch_cmds, bench_cmds, casework_cmds, city_cmds, exchange_cmds, funds_cmds, payout_cmds, report_cmds

AREAS = [setup_cmds, archive_cmds, archive_print_cmds, relief_cmds, admin_cmds, payout_cmds, batch_cmds, funds_cmds,
         report_cmds, exchange_cmds, bench_cmds, city_cmds, casework_cmds]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibang", description="职帮：困难职工帮扶管理（离线桌面版）")
    parser.add_argument("--version", action="version", version=f"zhibang {__version__}")
    parser.add_argument("--db", help="数据库文件路径，或服务器地址 postgresql://用户名@服务器/数据库名（默认：用户数据文件夹；或环境变量 ZHIBANG_DB）")
    parser.add_argument("--user", help="以该用户身份执行（密码取自提示输入或环境变量 ZHIBANG_PASSWORD）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    parser.add_argument("--key", help="办公室密钥文件（签名审计链；或环境变量 ZHIBANG_KEY_FILE）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for area in AREAS:
        area.register(sub)
    return parser


def _utf8_output() -> None:
    """Text and --json output in UTF-8 whatever the console or pipe's code page (cp936 …)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if os.name == "posix":
        os.umask(0o077)  # whatever this process creates (database, WAL, exports, PDFs) is the owner's only
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.key:
        os.environ["ZHIBANG_KEY_FILE"] = args.key
    if args.command is None:
        missing = display_missing()
        if missing:
            print(missing, file=sys.stderr)
            return 1
        from ..ui.app import run_gui  # imported only when the GUI is wanted

        return run_gui(db_path=args.db)
    _utf8_output()
    env = CliEnv(args)
    try:
        if not getattr(args, "own_login", False):
            env.require_login()
        return int(args.func(args, env) or 0)
    except InvalidInput as exc:
        env.error(str(exc), exc.details)
        return 2
    except CliFailure as exc:
        env.error(str(exc))
        return 1
    except KeyboardInterrupt:
        env.error("已取消")
        return 1
    finally:
        env.close()
