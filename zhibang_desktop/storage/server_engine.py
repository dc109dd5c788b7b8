"""The PostgreSQL engine (psycopg 3) and what its connection failures mean in Chinese."""
from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError

from .errors import DatabaseError, DatabaseMissing, PasswordNeeded

CONNECT_TIMEOUT_S = 10
ADVISORY_MIGRATION_KEY = 0x7A6862  # "zhb": one migrating client at a time


def server_engine(url: URL, password: str | None = None) -> Engine:
    """An engine on `url`; TLS and other libpq options in its query string pass through."""
    connect_args: dict = {}
    if "application_name" not in url.query:
        connect_args["application_name"] = "zhibang"
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    if password is not None:
        connect_args["password"] = password  # handed to libpq, never part of the URL
    # READ COMMITTED (the server default); rows two clerks can both change carry a version
    # column, and the numbering and the audit chain take row or advisory locks.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def connection_problem(exc: OperationalError, shown: str) -> DatabaseError:
    detail = str(getattr(exc, "orig", exc) or exc).strip()
    lowered = detail.lower()
    if "no password supplied" in lowered or "password is required" in lowered:
        return PasswordNeeded(f"数据库服务器“{shown}”要求输入密码。")
    if "password authentication failed" in lowered:
        return DatabaseError(f"无法登录数据库服务器“{shown}”：用户名或密码不正确。")
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseMissing(
            f"数据库服务器上没有地址“{shown}”中的数据库。请由服务器管理员先建好空数据库"
            "（如 createdb zhibang），再用 zhibang init 或首次使用向导设置。"
        )
    if "ssl" in lowered or "certificate" in lowered:
        return DatabaseError(f"与数据库服务器“{shown}”的加密连接（TLS）失败，请检查 sslmode、证书设置。技术信息：{detail}")
    return DatabaseError(
        f"无法连接数据库服务器“{shown}”。请检查网络、服务器地址和端口，以及服务器是否在运行。技术信息：{detail}"
    )
