"""Admin sub-commands: users, the audit trail, backup and restore.

    zhibang user add NAME --roles clerk,reviewer [--display 名字] [--scope UNIT]
    zhibang user list [--json]
    zhibang user edit NAME [--roles …] [--display …] [--scope UNIT | --no-scope]
    zhibang user disable|enable|unlock NAME
    zhibang user passwd NAME                     (admin sets a new password)
    zhibang user review NAME --at UNIT:LEVEL …   (where a reviewer decides; --clear removes all)
    zhibang audit verify                         (exit 0 "OK …", exit 1 at the first broken row)
    zhibang audit list [--json] [--user U] [--action A] [--entity E] [--from D] [--to D] [--limit N]
    zhibang audit export OUT.xlsx [same filters]
    zhibang audit key FILE                       (admin: a new office key for signing the chain)
    zhibang backup [--out FILE]
    zhibang restore FILE

New passwords come from the environment variable ZHIBANG_NEW_PASSWORD or a prompt
(typed twice); the acting user is `--user NAME` with ZHIBANG_PASSWORD, as everywhere.
"""
from __future__ import annotations

import getpass
import os
import sys
import unicodedata
from datetime import date
from pathlib import Path

from ..config import USER_ENV
from ..domain import clock
from ..domain.permissions import ROLES
from .env import CliFailure, InvalidInput, group, json_flag
from .unit_cmds import UNIT_WORDS, chosen_unit_id

NEW_PASSWORD_ENV = "ZHIBANG_NEW_PASSWORD"



def register(sub) -> None:
    roles_help = "角色，逗号分隔：" + "、".join(f"{code}/{label}" for code, label in ROLES.items())
    users = group(sub, "user", "用户管理（管理员）")
    p = users.add_parser("add", help="新增用户（密码取自 ZHIBANG_NEW_PASSWORD 或提示输入）")
    p.add_argument("name", help="用户名（登录用）")
    p.add_argument("--roles", required=True, help=roles_help)
    p.add_argument("--display", default="", help="姓名（显示用，默认同用户名）")
    p.add_argument("--scope", help=f"管辖范围：{UNIT_WORDS}（镇街工会用户只能看到本工会及下级的档案）")
    json_flag(p)
    p.set_defaults(func=run_user_add)

    p = users.add_parser("list", help="列出用户")
    json_flag(p)
    p.set_defaults(func=run_user_list)

    p = users.add_parser("edit", help="修改角色、姓名或管辖范围")
    p.add_argument("name")
    p.add_argument("--roles", help=roles_help)
    p.add_argument("--display", help="姓名")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--scope", help=f"管辖范围：{UNIT_WORDS}")
    scope.add_argument("--no-scope", action="store_true", help="取消管辖范围限制（全单位）")
    json_flag(p)
    p.set_defaults(func=run_user_edit)

    for name, help_text in (("disable", "停用用户"), ("enable", "启用用户"), ("unlock", "解除登录锁定")):
        p = users.add_parser(name, help=help_text)
        p.add_argument("name")
        json_flag(p)
        p.set_defaults(func=run_user_state, action=name)

    p = users.add_parser("review", help="设置审核人在哪些工会、哪一级审核（替换原有设置）")
    p.add_argument("name")
    p.add_argument("--at", action="append", default=[], metavar="工会:层级",
                   help="如 荔城街总工会:street 或 12:镇街；层级 grassroots/基层、street/镇街、district/区总；可重复")
    p.add_argument("--clear", action="store_true", help="清除该用户的全部审核范围")
    json_flag(p)
    p.set_defaults(func=run_user_review)

    p = users.add_parser("passwd", help="管理员为用户设置新密码（取自 ZHIBANG_NEW_PASSWORD 或提示输入）")
    p.add_argument("name")
    p.set_defaults(func=run_user_passwd)

    audit = group(sub, "audit", "审计日志")
    p = audit.add_parser("verify", help="校验审计日志哈希链：完整则输出 OK，否则报告第一条异常记录")
    json_flag(p)
    p.set_defaults(func=run_audit_verify)

    p = audit.add_parser("key", help="管理员：生成办公室密钥文件（存放在数据库以外，如 U 盘）用于签名审计链")
    p.add_argument("file", help="密钥文件路径（已存在则不覆盖）")
    json_flag(p)
    p.set_defaults(func=run_audit_key)

    p = audit.add_parser("list", help="列出审计记录（最新在前）")
    _filters(p)
    p.add_argument("--limit", type=int, default=50, help="最多显示条数（默认 50）")
    p.add_argument("--offset", type=int, default=0, help="跳过最新的若干条")
    json_flag(p)
    p.set_defaults(func=run_audit_list)

    p = audit.add_parser("export", help="导出审计记录到 Excel")
    p.add_argument("file", help="输出文件 .xlsx")
    _filters(p)
    json_flag(p)
    p.set_defaults(func=run_audit_export)

    p = sub.add_parser("backup", help="立即备份数据库（经完整性检查）")
    p.add_argument("--out", help="备份文件路径（默认：备份文件夹中按时间命名）")
    json_flag(p)
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", help="从备份文件恢复数据库（先检查备份；原数据库另存保留）")
    p.add_argument("file", help="备份文件")
    json_flag(p)
    p.set_defaults(func=run_restore, own_login=True)  # checks the file first; a damaged database cannot log in


def _filters(p) -> None:
    p.add_argument("--user", dest="audit_user", help="用户名")
    p.add_argument("--action", help="操作代码，如 create、update、login、export")
    p.add_argument("--entity", help="对象代码，如 household、user、settings")
    p.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD（含）")
    p.add_argument("--to", dest="date_to", help="结束日期 YYYY-MM-DD（含）")


# --- helpers -------------------------------------------------------------------------------------

def _roles(text: str) -> list[str]:
    roles = [r.strip() for r in text.replace("，", ",").split(",") if r.strip()]
    by_label = {label: code for code, label in ROLES.items()}
    roles = [by_label.get(r, r) for r in roles]
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise InvalidInput(f"无效角色：{'、'.join(unknown) or '（空）'}；可选：" + "、".join(ROLES))
    return roles


def _new_password(label: str) -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise InvalidInput(f"请在环境变量 {NEW_PASSWORD_ENV} 中提供{label}的新密码，或在终端中运行以输入密码")
    first = getpass.getpass(f"{label}的新密码：")
    if getpass.getpass("再次输入新密码：") != first:
        raise InvalidInput("两次输入的密码不一致")
    return first


def _date(text: str | None, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label}“{text}”不是有效日期（格式 YYYY-MM-DD）") from None


def _user(env, ctx, name: str):
    from ..services.admin import users

    return env.run(users.find_user, ctx, name)


def _pad(text: object, width: int) -> str:
    """Left-aligned in `width` terminal columns (a Chinese character takes two)."""
    text = str(text)
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


USER_COLUMNS = (("编号", 6), ("用户名", 16), ("姓名", 12), ("角色", 24), ("管辖范围", 22), ("状态", 6))


def _user_line(u, unit_names: dict[int, str]) -> str:
    from ..services.admin.users import role_names

    scope = unit_names.get(u.scope_unit_id, str(u.scope_unit_id)) if u.scope_unit_id else "全单位"
    state = "启用" if u.active else "停用"
    if u.locked_until is not None and u.active:

        if u.locked_until > clock.now():
            state = "已锁定"
    values = (u.id, u.username, u.display_name, role_names(u.roles), scope, state)
    return "".join(_pad(v, w) for v, (_, w) in zip(values, USER_COLUMNS)).rstrip()


def _unit_names(env, ctx) -> dict[int, str]:
    from ..services.admin import org

    return {u.id: u.name for u in env.run(org.list_units, ctx)}


# --- users ---------------------------------------------------------------------------------------

def run_user_add(args, env) -> int:
    from ..services.admin import users

    ctx = env.context()
    roles = _roles(args.roles)
    scope = chosen_unit_id(env, ctx, args.scope)
    env.run(ctx.require, "users.manage")  # before asking for a password
    password = _new_password(f"用户 {args.name} ")
    view = env.run(users.add_user, ctx, args.name, args.display, password, roles, scope)
    env.out(view, f"已新增用户：{view.username}（{view.display_name}），角色：{users.role_names(view.roles)}")
    return 0


def run_user_list(args, env) -> int:
    from ..services.admin import users

    ctx = env.context()
    found = env.run(users.list_users, ctx)
    names = _unit_names(env, ctx)
    header = "".join(_pad(label, w) for label, w in USER_COLUMNS).rstrip()
    env.out(found, "\n".join([header] + [_user_line(u, names) for u in found]))
    return 0


def run_user_edit(args, env) -> int:
    from ..services.admin import users

    ctx = env.context()
    target = _user(env, ctx, args.name)
    kwargs = {}
    if args.roles is not None:
        kwargs["roles"] = _roles(args.roles)
    if args.display is not None:
        kwargs["display_name"] = args.display
    if args.no_scope:
        kwargs["scope_unit_id"] = None
    elif args.scope is not None:
        kwargs["scope_unit_id"] = chosen_unit_id(env, ctx, args.scope)
    if not kwargs:
        raise InvalidInput("请至少指定 --roles、--display、--scope 或 --no-scope 之一")
    view = env.run(users.update_user, ctx, target.id, **kwargs)
    env.out(view, f"已修改用户：{view.username}，角色：{users.role_names(view.roles)}")
    return 0


LEVEL_WORDS = {"grassroots": "grassroots", "基层": "grassroots", "基层工会": "grassroots",
               "street": "street", "镇街": "street", "街道": "street", "系统": "street",
               "district": "district", "区总": "district", "区总工会": "district"}


def run_user_review(args, env) -> int:
    from ..services.admin import users

    if bool(args.at) == bool(args.clear):
        raise InvalidInput("请用 --at 工会:层级（可重复）指定审核范围，或用 --clear 清除")
    ctx = env.context()
    target = _user(env, ctx, args.name)
    scopes = []
    for item in args.at:
        unit, sep, level = item.rpartition(":")
        if not sep or level.strip() not in LEVEL_WORDS:
            raise InvalidInput(f"“{item}”应写成 工会:层级，层级为 grassroots/基层、street/镇街 或 district/区总")
        scopes.append((chosen_unit_id(env, ctx, unit), LEVEL_WORDS[level.strip()]))
    views = env.run(users.set_reviewer_scopes, ctx, target.id, scopes)
    text = "；".join(f"{v.unit_name}（{v.level_label}）" for v in views) or "无"
    env.out(views, f"已设置 {target.username} 的审核范围：{text}")
    return 0


def run_user_state(args, env) -> int:
    from ..services.admin import users

    ctx = env.context()
    target = _user(env, ctx, args.name)
    fn = {"disable": users.disable_user, "enable": users.enable_user, "unlock": users.unlock_user}[args.action]
    view = env.run(fn, ctx, target.id)
    done = {"disable": "已停用", "enable": "已启用", "unlock": "已解除锁定"}[args.action]
    env.out(view, f"{done}用户：{view.username}")
    return 0


def run_user_passwd(args, env) -> int:
    from ..services.admin import users

    ctx = env.context()
    target = _user(env, ctx, args.name)
    password = _new_password(f"用户 {target.username} ")
    env.run(users.reset_password, ctx, target.id, password)
    env.out({"username": target.username}, f"已为用户 {target.username} 设置新密码")
    return 0


# --- audit ---------------------------------------------------------------------------------------

def _audit_filter(args):
    from ..services.admin.audit import AuditFilter

    return AuditFilter(user=args.audit_user, action=args.action, entity=args.entity,
                       date_from=_date(args.date_from, "开始日期"), date_to=_date(args.date_to, "结束日期"))


def run_audit_verify(args, env) -> int:
    from ..services.admin import audit

    ctx = env.context()
    report = env.run(audit.verify_chain, ctx)
    data = {"ok": report.ok, "rows": report.rows, "head_hash": report.head_hash,
            "first_broken_seq": report.first_broken_seq, "reason": report.reason}
    if report.ok:
        env.out(data, f"OK 审计链完整：共 {report.rows} 条记录，链头 {report.head_hash}")
        return 0
    if env.json:
        env.out(data)
    raise CliFailure(f"审计链校验未通过：第 {report.first_broken_seq} 条记录异常（{report.reason}）；"
                     f"此前 {report.rows} 条完好")


def run_audit_key(args, env) -> int:
    from ..services.admin import audit

    written = env.run(audit.create_office_key, env.context(), args.file)
    env.out({"file": str(written)}, f"已生成办公室密钥：{written}\n请妥善保管，并以 --key 或环境变量 "
                                    "ZHIBANG_KEY_FILE 指向它；此后每条审计记录都用它签名。")
    return 0


def run_audit_list(args, env) -> int:
    from ..services.admin import audit

    ctx = env.context()
    if args.limit < 1:
        raise InvalidInput("--limit 至少为 1")
    page = env.run(audit.query_audit, ctx, offset=args.offset, limit=args.limit, filters=_audit_filter(args))
    lines = [f"共 {page.total} 条，显示第 {page.offset + 1}–{page.offset + len(page.rows)} 条（最新在前）"]
    for r in page.rows:
        when = r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        target = r.entity_label + (f" #{r.entity_id}" if r.entity_id else "")
        line = f"{r.seq:>6}  {when}  " + _pad(r.username, 14) + _pad(r.action_label, 10) + _pad(target, 18) + r.summary
        if r.changes:
            line += "\n" + "\n".join(f"{'':>8}{f}：{o or '（空）'} → {n or '（空）'}" for f, o, n in r.changes)
        lines.append(line)
    data = {"total": page.total, "offset": page.offset,
            "rows": [dict(seq=r.seq, at=r.at, username=r.username, user_id=r.user_id, action=r.action,
                          entity=r.entity, entity_id=r.entity_id, household_id=r.household_id,
                          summary=r.summary, changes=[list(c) for c in r.changes], hash=r.hash)
                     for r in page.rows]}
    env.out(data, "\n".join(lines))
    return 0


def run_audit_export(args, env) -> int:
    from ..services.admin import audit

    ctx = env.context()
    result = env.run(audit.export_audit, ctx, Path(args.file), _audit_filter(args))
    env.out({"file": result.path, "rows": result.rows}, f"已导出 {result.rows} 条审计记录：{result.path}")
    return 0


# --- backup and restore --------------------------------------------------------------------------

def run_backup(args, env) -> int:
    from ..services.admin import backup

    ctx = env.context()
    info = env.run(backup.backup_now, ctx, dest_file=Path(args.out) if args.out else None)
    size = f"{info.size / 1024 / 1024:.1f} MB" if info.size >= 1024 * 1024 else f"{max(1, info.size // 1024)} KB"
    text = f"备份完成（完整性检查通过）：{info.path}（{size}）\n备份中的审计链头：{info.chain_head}"
    if info.note:
        text += f"\n注意：{info.note}"
    env.out(info, text)
    return 0


def run_restore(args, env) -> int:
    """Close the database, restore, then audit in the restored file (done by the service)."""
    from ..services.admin import backup
    from ..services.session import DatabaseCorrupt, DatabaseMissing

    source = Path(args.file).expanduser()
    if env.is_server:
        return _restore_server(env, source)
    check = backup.check_backup(source)  # a bad file is refused before anything is written, even a login
    if not check.ok:
        raise InvalidInput(f"未恢复（数据库未改动）：{check.message}")
    note = ""
    try:
        ctx = env.context()
    except (CliFailure, InvalidInput) as exc:
        cause = exc.__cause__
        if not isinstance(cause, (DatabaseCorrupt, DatabaseMissing)):
            raise
        # The damaged (or missing) database cannot run the normal login: the administrator's
        # password is checked against its users table if still readable, else the backup's.
        actor = _restore_login(env, source)
        if isinstance(cause, DatabaseCorrupt):
            note = "当前数据库已损坏；已由管理员登录后恢复（损坏的文件已另存保留）"
    else:
        env.run(ctx.require, "backup.restore")
        actor = ctx.actor
    env.close()  # the database must be closed while the file is replaced
    result = env.run(backup.restore, env.db_path, source, actor=actor)
    lines = [f"已从备份恢复：{source}", f"数据库：{result.db_path}"]
    if result.replaced_path:
        lines.append(f"原数据库已另存为：{result.replaced_path}")
    if result.migrated:
        lines.append(f"备份的数据库版本 {result.from_revision} 已升级到当前版本")
    if note:
        lines.append(f"注意：{note}")
    env.out({"db": result.db_path, "backup": source, "replaced": result.replaced_path,
             "migrated": result.migrated, "from_revision": result.from_revision, "note": note}, "\n".join(lines))
    return 0


def _restore_server(env, source: Path) -> int:
    """pg_restore into the empty database --db names. There is no one to sign in as in an empty
    database: the restore is recorded in the restored audit trail as the system."""
    from ..services.admin.server_backup import restore_server

    result = env.run(restore_server, str(env.db_path), source)
    env.out({"db": result.db_path, "backup": source, "audit_seq": result.audit_seq},
            f"已从备份恢复（pg_restore，已检查审计链）：{source}\n数据库：{result.db_path}")
    return 0


def _restore_login(env, source: Path):
    from ..services.admin.restore_login import authenticate_for_restore

    username = env.args.user or os.environ.get(USER_ENV)
    if not username:
        raise InvalidInput("恢复损坏或缺失的数据库需要管理员登录：请用 --user 指定管理员（密码取自 ZHIBANG_PASSWORD）")
    from ..services.admin.users import LoginFailed

    try:
        return env.run(authenticate_for_restore, env.db_path, source, username, env.password_for(username))
    except CliFailure as exc:
        if isinstance(exc.__cause__, LoginFailed):
            raise InvalidInput(str(exc)) from exc
        raise
