"""`zhibang init` — a new office in a new database."""
from __future__ import annotations

import getpass
import os
import sys

from ..config import PASSWORD_ENV
from ..services.session import setup
from ..services.admin import users
from .env import InvalidInput


def register(sub) -> None:
    p = sub.add_parser("init", help="初始化单位（新数据库）")
    p.add_argument("--office", required=True, help="单位名称，如 增城区总工会")
    p.add_argument("--region", default="", help="所在地区，如 广州市增城区")
    p.add_argument("--prefix", default="", help="档案号前缀，如 ZC")
    p.add_argument("--phone", default="", help="联系电话（公示用）")
    p.add_argument("--policy", help="同时选用预置救助政策作为本年度政策：增城、上海、海口、昆明")
    p.add_argument("--admin", help="同时创建管理员（密码取自 ZHIBANG_PASSWORD 或提示输入）")
    p.set_defaults(func=run_init)


def run_init(args, env) -> int:
    password = None
    if args.admin:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not sys.stdin.isatty():
                raise InvalidInput("请在环境变量 ZHIBANG_PASSWORD 中提供管理员密码")
            password = getpass.getpass(f"管理员 {args.admin} 的密码：")
        problems = users.password_problems(password)
        if problems:
            raise InvalidInput("密码不符合要求", [str(p) for p in problems])
    env.run(setup.initialise_office, env.db, args.office, region=args.region, archive_prefix=args.prefix,
            phone=args.phone, admin=(args.admin, password) if args.admin else None,
            policy_preset=args.policy)
    env.out({"office": args.office, "db": str(env.db_path), "admin": args.admin},
            f"已初始化：{args.office}（数据库：{env.db_path}）" + (f"，管理员：{args.admin}" if args.admin else ""))
    return 0
