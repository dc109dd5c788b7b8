"""`zhibang init` — a new office in a new database; `zhibang migrate-to` — the office onto a server."""
from __future__ import annotations

import getpass
import os
import sys

from ..config import PASSWORD_ENV
from ..services.session import setup
from ..services.admin import users
from .env import CliFailure, InvalidInput, json_flag


def register(sub) -> None:
    p = sub.add_parser("init", help="初始化单位（新数据库）")
    p.add_argument("--office", required=True, help="单位名称，如 增城区总工会")
    p.add_argument("--region", default="", help="所在地区，如 广州市增城区")
    p.add_argument("--prefix", default="", help="档案号前缀，如 ZC")
    p.add_argument("--phone", default="", help="联系电话（公示用）")
    p.add_argument("--policy", help="同时选用预置救助政策作为本年度政策：增城、上海、海口、昆明")
    p.add_argument("--admin", help="同时创建管理员（密码取自 ZHIBANG_PASSWORD 或提示输入）")
    p.add_argument("--city", action="store_true", help="设为市总工会：导入各区县的年度上报文件并汇总")
    p.set_defaults(func=run_init)

    p = sub.add_parser("migrate-to", help="把本机数据库（--db 文件）复制到 PostgreSQL 服务器上的空数据库（文件不变）")
    p.add_argument("url", help="服务器地址，如 postgresql://zhibang@db.example/zhibang（不写密码）")
    json_flag(p)
    p.set_defaults(func=run_migrate_to, own_login=True)  # checked read-only: the file is not touched


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
            policy_preset=args.policy, city=args.city)
    kind = "（市总工会，可导入各区县年度上报文件）" if args.city else ""
    env.out({"office": args.office, "db": str(env.db_path), "admin": args.admin, "city": args.city},
            f"已初始化：{args.office}{kind}（数据库：{env.db_path}）" + (f"，管理员：{args.admin}" if args.admin else ""))
    return 0


def run_migrate_to(args, env) -> int:
    """Signed in read-only against the file's users (an administrator); the file is never opened
    for writing, not even for a login record: the move is recorded on the server."""
    from ..config import USER_ENV, looks_like_url
    from ..services.admin.restore_login import authenticate_for_restore
    from ..services.session.migrate_to import migrate_to_server

    if env.is_server:
        raise InvalidInput("--db 应是本机数据库文件（要迁移的数据），服务器地址写在 migrate-to 后面")
    source = env.db_path
    if not source.is_file():
        raise InvalidInput(f"数据库文件“{source}”不存在")
    username = env.args.user or os.environ.get(USER_ENV)
    if not username:
        raise InvalidInput("此数据库已设置用户，请用 --user 指定用户名（或设置 ZHIBANG_USER）；迁移需要管理员")
    try:
        actor = env.run(authenticate_for_restore, source, source, username, env.password_for(username))
    except CliFailure as exc:  # a wrong password is bad input, as for every other command
        raise InvalidInput(str(exc)) from exc
    if not looks_like_url(args.url):
        raise InvalidInput(f"“{args.url}”不是服务器地址：应为 postgresql://用户名@服务器/数据库名")
    report = env.run(migrate_to_server, source, args.url, actor)
    env.out(report, f"已迁移到服务器：{report.target}\n共 {report.tables} 个数据表 {report.rows} 行，行数逐表核对一致；"
                    f"审计链 {report.audit_rows} 条在服务器上校验通过，链头与本机相同。\n本机数据库文件未改动：{report.source}")
    return 0
