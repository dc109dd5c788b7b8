"""A database location is a file path or a PostgreSQL address — never an address taken for a path."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhibang_desktop.cli import main
from zhibang_desktop.config import db_location, looks_like_url
from zhibang_desktop.storage.database import BadDatabaseAddress, DatabaseError, open_database
from zhibang_desktop.storage.server_url import BadServerUrl, display_url, server_url


@pytest.mark.parametrize("text", ["postgresql://clerk@db.local/zhibang", "postgres://clerk@db/zb",
                                  "postgresql:/clerk@db/zb", "mysql://a@b/c", "sqlite:///x.db"])
def test_addresses_are_recognised(text):
    assert looks_like_url(text) and isinstance(db_location(text), str)


@pytest.mark.parametrize("text", ["zhibang.sqlite3", "/data/zhibang.sqlite3", "C:/职帮/zhibang.sqlite3",
                                  "C:\\职帮\\zhibang.sqlite3", "./postgresql/zhibang.sqlite3"])
def test_paths_stay_paths(text):
    assert not looks_like_url(text) and isinstance(db_location(text), Path)


def test_environment_variable_may_name_a_server(monkeypatch):
    monkeypatch.setenv("ZHIBANG_DB", "postgresql://clerk@db.local/zhibang")
    assert db_location(None) == "postgresql://clerk@db.local/zhibang"
    assert db_location("/tmp/other.sqlite3") == Path("/tmp/other.sqlite3")  # --db beats the variable


def test_tls_options_pass_through_to_libpq():
    url = server_url("postgresql://clerk@db.local:5433/zhibang?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    assert url.drivername == "postgresql+psycopg" and url.port == 5433
    assert dict(url.query) == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}
    assert display_url(url) == "postgresql://clerk@db.local:5433/zhibang?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"


@pytest.mark.parametrize("text, words", [
    ("postgresql://clerk:secret@db/zhibang", ".pgpass"),
    ("mysql://clerk@db/zhibang", "只支持 PostgreSQL"),
    ("sqlite:///zhibang.sqlite3", "文件路径"),
    ("postgresql:/clerk@db/zhibang", "两个斜杠"),
    ("postgresql://clerk@db", "缺少数据库名"),
])
def test_unusable_addresses_are_refused_in_chinese(text, words):
    with pytest.raises(BadServerUrl, match=words) as raised:
        server_url(text)
    assert "secret" not in str(raised.value)


def test_no_file_appears_for_an_address(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", "postgresql://clerk:secret@127.0.0.1:1/zhibang", "init", "--office", "某区总工会"]) == 2
    err = capsys.readouterr().err
    assert "不能写密码" in err and "secret" not in err
    # a server that is not there: a clear message, and no SQLite file under ./postgresql:/
    assert main(["--db", "postgresql://clerk@127.0.0.1:1/zhibang", "init", "--office", "某区总工会"]) == 1
    assert "无法连接数据库服务器" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(BadDatabaseAddress):
        open_database("postgres:/clerk@db/zhibang")
    with pytest.raises(DatabaseError, match="无法连接"):
        open_database("postgresql://clerk@127.0.0.1:1/zhibang?connect_timeout=2")
    assert list(tmp_path.iterdir()) == []
