"""What every sub-command shares: the database, the acting user, output and errors."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path

from ..config import PASSWORD_ENV, USER_ENV, db_location, looks_like_url
from ..services.context import SYSTEM, AppContext
from ..services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from ..services.session import (
    BadDatabaseAddress, Database, DatabaseError, DatabaseMissing, PasswordNeeded, open_office_database,
)


class InvalidInput(Exception):
    """Exit code 2."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


class CliFailure(Exception):
    """Exit code 1."""


def _jsonable(value):
    if is_dataclass(value):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


# Only these create a database when --db names a file that does not exist; every other
# command says so and creates nothing (a typo in --db must not start an empty office).
CREATING_COMMANDS = frozenset({"init", "demo"})


class CliEnv:
    def __init__(self, args):
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self._db: Database | None = None
        self._ctx: AppContext | None = None

    @property
    def db_path(self) -> Path | str:
        """The database file, or the server address (text) when `--db`/ZHIBANG_DB is one."""
        return db_location(self.args.db)

    @property
    def is_server(self) -> bool:
        return looks_like_url(self.db_path)

    @property
    def db(self) -> Database:
        if self._db is None:
            create = getattr(self.args, "command", None) in CREATING_COMMANDS
            try:
                try:
                    self._db = open_office_database(self.db_path, create=create)
                except PasswordNeeded as exc:
                    self._db = open_office_database(self.db_path, create=create,
                                                    password=self.server_password(str(exc)))
            except (DatabaseMissing, BadDatabaseAddress) as exc:
                raise InvalidInput(str(exc)) from exc
            except DatabaseError as exc:
                raise CliFailure(str(exc)) from exc
            except RuntimeError as exc:  # DatabaseLocked
                raise CliFailure(str(exc)) from exc
        return self._db

    def require_login(self) -> None:
        """Every command on a database that has users acts as a logged-in user (README: the
        CLI). A database file that does not exist yet is not created here."""
        if self.is_server or (self.db_path.exists() and self.db_path.stat().st_size > 0):
            self.context()

    def context(self) -> AppContext:
        """The acting user: `--user` (or ZHIBANG_USER) once the database has users; logged in
        once per command.

        A database without users (fresh, or before the first `init --admin`) is used as
        the built-in system actor so that scripted set-ups work.
        """
        if self._ctx is None:
            self._ctx = self._login()
        return self._ctx

    def _login(self) -> AppContext:
        from ..services.admin import users

        username = self.args.user or os.environ.get(USER_ENV)
        if not users.has_users(self.db):
            return AppContext(self.db, SYSTEM)
        if not username:
            raise InvalidInput("此数据库已设置用户，请用 --user 指定用户名（或设置 ZHIBANG_USER）")
        password = self.password_for(username)
        try:
            actor = users.authenticate(self.db, username, password)
        except ServiceError as exc:
            raise InvalidInput(str(exc)) from exc
        return AppContext(self.db, actor)

    @staticmethod
    def server_password(why: str) -> str:
        """Asked only in a terminal: a script keeps the server's password in .pgpass or PGPASSWORD."""
        if not sys.stdin.isatty():
            raise InvalidInput(f"{why}请把密码写入 .pgpass 文件或环境变量 PGPASSWORD（不要写在数据库地址里）。")
        return getpass.getpass("数据库服务器密码：")

    @staticmethod
    def password_for(username: str) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            if not sys.stdin.isatty():
                raise InvalidInput("请在环境变量 ZHIBANG_PASSWORD 中提供密码，或在终端中运行以输入密码")
            password = getpass.getpass(f"用户 {username} 的密码：")
        return password

    def run(self, fn, *args, **kwargs):
        """Call a service, turning its errors into exit codes."""
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as exc:
            raise InvalidInput("输入有误", [str(p) for p in exc.problems]) from exc
        except (PermissionDenied, NotFound) as exc:
            raise InvalidInput(str(exc)) from exc
        except ServiceError as exc:
            raise CliFailure(str(exc)) from exc

    def out(self, data, text: str | None = None) -> None:
        if self.json:
            print(json.dumps(_jsonable(data), ensure_ascii=False, indent=2))
        elif text is not None:
            print(text)

    def error(self, message: str, details: list[str] | None = None) -> None:
        if self.json:
            print(json.dumps({"error": message, "details": details or []}, ensure_ascii=False), file=sys.stderr)
        else:
            print(f"错误：{message}", file=sys.stderr)
            for line in details or []:
                print(f"  - {line}", file=sys.stderr)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def group(sub, name: str, help: str):
    """The sub-parsers of the command group `name` (e.g. `zhibang import …`), created once.

    Several areas add to the same group: archive registers `import households`, others
    `import ledger`, `import returns`, `export bank` … each calling `group(sub, "import", …)`
    and adding its own parser to what it returns.
    """
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help)
        inner = parser.add_subparsers(dest=f"{name}_target", metavar="对象")
        parser.set_defaults(func=_group_without_target(parser, name))
        parser._zhibang_group = inner
    return parser._zhibang_group


def _group_without_target(parser, name: str):
    def run(args, env):
        choices = "、".join(parser._zhibang_group.choices) or "（无）"
        raise InvalidInput(f"请指定“{name}”的对象，可选：{choices}（如：zhibang {name} households …）")

    return run


def json_flag(parser) -> None:
    """`--json` on a sub-command too; SUPPRESS keeps `zhibang --json X` and `zhibang X --json` equal."""
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出结果")


Argument = tuple[tuple[str, ...], dict]


def arg(*flags: str, **options) -> Argument:
    """One argument of a `command`, as `parser.add_argument` takes it."""
    return flags, options


def command(commands, name: str, help: str, func, *arguments: Argument) -> argparse.ArgumentParser:
    """The sub-command `name` of a group: its arguments, `--json`, and `func(args, env)` to run it."""
    parser = commands.add_parser(name, help=help)
    for flags, options in arguments:
        parser.add_argument(*flags, **options)
    json_flag(parser)
    parser.set_defaults(func=func)
    return parser


def parse_date(text: str | None) -> date | None:
    """A date typed as 2026-03-20; None when none was typed."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"日期“{text}”无效，请写成 2026-03-20") from exc


def progress_printer(env: "CliEnv"):
    """A progress callback printing every 10 % to a terminal's stderr; None when not interactive."""
    if env.json or not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent // 10 != last[0] // 10:
            last[0] = percent
            print(f"  {percent}%（{done}/{total}）", file=sys.stderr)

    return show
