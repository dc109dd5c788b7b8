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


def _areas() -> list:
    """The modules that register the sub-commands. Imported when a command line is parsed, not
    when the GUI starts: with their services they cost 0.45 s of CPU before the window."""
    from . import admin_cmds, archive_cmds, archive_print_cmds, relief_cmds, setup_cmds
    from . import batch_cmds, bench_cmds, casework_cmds, city_cmds, exchange_cmds, funds_cmds, payout_cmds
    from . import report_cmds, unit_cmds

    return [setup_cmds, archive_cmds, archive_print_cmds, relief_cmds, admin_cmds, payout_cmds, batch_cmds,
            funds_cmds, report_cmds, exchange_cmds, bench_cmds, city_cmds, casework_cmds, unit_cmds]


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"zhibang {__version__}")
    parser.add_argument("--db", help="数据库文件路径，或服务器地址 postgresql://用户名@服务器/数据库名（默认：用户数据文件夹；或环境变量 ZHIBANG_DB）")
    parser.add_argument("--user", help="以该用户身份执行（密码取自提示输入或环境变量 ZHIBANG_PASSWORD）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    parser.add_argument("--key", help="办公室密钥文件（签名审计链；或环境变量 ZHIBANG_KEY_FILE）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibang", description="职帮：困难职工帮扶管理（离线桌面版）")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for area in _areas():
        area.register(sub)
    return parser


def _gui_wanted(argv: list[str]) -> argparse.Namespace | None:
    """The global options when the command line names no sub-command (the GUI), else None."""
    parser = argparse.ArgumentParser(prog="zhibang", add_help=False)
    _global_options(parser)
    args, rest = parser.parse_known_args(argv)
    return None if rest else args


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
    gui = _gui_wanted(argv)
    if gui is not None:
        return _start_gui(gui)
    args = build_parser().parse_args(argv)
    if args.key:
        os.environ["ZHIBANG_KEY_FILE"] = args.key
    _utf8_output()
    from .env import CliEnv, CliFailure, InvalidInput

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


def _start_gui(args: argparse.Namespace) -> int:
    if args.key:
        os.environ["ZHIBANG_KEY_FILE"] = args.key
    missing = display_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 1
    from ..config import db_location
    from ..services.start_check import begin_check

    begin_check(db_location(args.db))  # reads the file beside the imports below
    from ..ui.app import run_gui

    return run_gui(db_path=args.db)
