"""Backups of a server database with PostgreSQL's own tools: pg_dump (custom format) and
pg_restore, run as child processes. The password, when the program had to ask for one, goes
to them in PGPASSWORD (their environment), never on a command line."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from .private_files import create_private_file, make_private_dir, partial_of

REQUIRED_TABLES = ("alembic_version", "audit_log", "audit_head", "users", "settings")
TIMEOUT_S = 3600


class PgToolError(RuntimeError):
    """pg_dump / pg_restore failed or is missing; the message is Chinese."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (folder / name).exists():
                return str(folder / name)
        raise PgToolError(f"找不到 PostgreSQL 的 {name} 程序。请安装 PostgreSQL 客户端工具"
                          "（Debian/Ubuntu：apt-get install postgresql-client），版本不低于服务器。")
    return found


def conninfo(engine: Engine) -> str:
    """The libpq address of the engine's database (with its TLS options), without a password."""
    url = engine.url.set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _env(password: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    return env


def _run(args: list[str], password: str | None) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=_env(password), timeout=TIMEOUT_S)
    except OSError as exc:
        raise PgToolError(f"无法运行 {Path(args[0]).name}：{exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PgToolError(f"{Path(args[0]).name} 失败：{'；'.join(detail)}")
    return done.stdout


def dump(engine: Engine, dest: Path, password: str | None = None) -> None:
    """pg_dump -Fc of the whole database into `dest` (owner-only; written beside it first)."""
    make_private_dir(dest.parent)
    partial = partial_of(dest)
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial),
              "--dbname", conninfo(engine)], password)
        problems = dump_problems(partial)
        if problems:
            raise PgToolError("备份文件检查未通过：" + "；".join(problems))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, dest)


def dump_problems(path: Path) -> list[str]:
    """What is wrong with a custom-format dump (empty: pg_restore can read it and it holds
    the data of a zhibang database)."""
    try:
        listing = _run([_tool("pg_restore", ), "--list", str(path)], None)
    except PgToolError as exc:
        return [f"不是可读取的 PostgreSQL 备份（{exc}）"]
    with_data = {line.split()[-2] for line in listing.splitlines() if " TABLE DATA " in line}
    missing = [t for t in REQUIRED_TABLES if t not in with_data]
    return [f"备份中缺少数据表：{'、'.join(missing)}"] if missing else []


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def restore(engine: Engine, source: Path, password: str | None = None) -> None:
    """pg_restore into the engine's (empty) database, all or nothing."""
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", conninfo(engine), str(source)], password)
