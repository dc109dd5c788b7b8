"""Telling a server address (`postgresql://user@host/db`) from a file path, and checking it.

A location that looks like a URL is used as a URL or refused; it is never taken for a file
name (`postgresql://x` once created a SQLite file under `postgresql:/`). Passwords are never
part of the address: libpq reads them from `~/.pgpass` (`%APPDATA%\\postgresql\\pgpass.conf`),
from `PGPASSWORD`, or the program asks. Query options (sslmode, sslrootcert, sslcert,
connect_timeout, application_name …) go to libpq unchanged.
"""
from __future__ import annotations

import re
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ..config import looks_like_url  # noqa: F401  (re-exported: the one definition of "an address")

_URL_LIKE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):/")
_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


class BadServerUrl(ValueError):
    """The location looks like an address but cannot be used; the message is Chinese."""


def server_url(location: str) -> URL:
    """The SQLAlchemy URL for a PostgreSQL address, or BadServerUrl saying why not."""
    text = str(location).strip()
    scheme = _URL_LIKE.match(text).group("scheme").lower() if _URL_LIKE.match(text) else ""
    if scheme == "sqlite":
        raise BadServerUrl(f"“{_safe(text)}”：本机数据库请直接写文件路径（如 D:\\职帮\\zhibang.sqlite3），不用 sqlite:// 地址。")
    if scheme not in _POSTGRES_SCHEMES:
        raise BadServerUrl(
            f"无法识别的数据库地址“{_safe(text)}”。服务器模式只支持 PostgreSQL，"
            "地址形如 postgresql://用户名@服务器/数据库名；本机数据库请写文件路径。"
        )
    if not text[len(scheme) + 1:].startswith("//"):
        raise BadServerUrl(f"数据库地址“{_safe(text)}”不完整：应为 postgresql://用户名@服务器/数据库名（冒号后是两个斜杠）。")
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise BadServerUrl(f"数据库地址“{_safe(text)}”格式不正确：应为 postgresql://用户名@服务器/数据库名。") from exc
    if url.password is not None:
        raise BadServerUrl(
            "数据库地址中不能写密码（命令行和环境变量会被其他程序看到）。请把密码写入 .pgpass 文件"
            "（Windows 为 %APPDATA%\\postgresql\\pgpass.conf），或设置 PGPASSWORD，"
            "或不写密码，由程序询问。"
        )
    if not url.database:
        raise BadServerUrl(f"数据库地址“{_safe(text)}”缺少数据库名：应为 postgresql://用户名@服务器/数据库名。")
    return url.set(drivername="postgresql+psycopg")


def display_url(url: URL | str) -> str:
    """The address for messages and the window title (never a password)."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            return _safe(url)
    shown = url.set(drivername="postgresql", password=None)
    return shown.render_as_string(hide_password=True)


def _safe(text: str) -> str:
    """An address as typed, with anything between ':' and '@' of the user part masked."""
    return re.sub(r"(//[^/:@]*):[^@/]*@", r"\1:***@", text)
