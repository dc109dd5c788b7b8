"""On a database that has users every command needs a login — `check` and `template`
included; only `--help`, `--version` and `bench` (its own demo database) do not. Each command is tried with no user, a wrong
password and an unknown user: exit code 2, the reason printed, nothing written."""
from __future__ import annotations

import argparse

import pytest

from zhibang_desktop.cli import build_parser, main

PASSWORD = "Secret123"


def leaf_commands() -> list[tuple[list[str], argparse.ArgumentParser]]:
    """Every sub-command of `zhibang`, e.g. (["user", "add"], its parser)."""
    found = []

    def walk(parser, words):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.append((words, parser))
            return
        for name, child in subs[0].choices.items():
            walk(child, [*words, name])

    walk(build_parser(), [])
    return found


def argv_for(words: list[str], parser: argparse.ArgumentParser, folder) -> list[str]:
    """The command with a value for each required argument (paths point into `folder`)."""
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or not (action.required or not action.option_strings):
            continue
        if action.option_strings and action.nargs == 0:  # a required switch, e.g. --check-only
            argv.append(action.option_strings[0])
            continue
        if action.choices:
            value = str(next(iter(action.choices)))
        elif action.type is int:
            value = "2026"
        else:
            value = str(folder / f"{action.dest}.xlsx")
        argv += ([action.option_strings[0]] if action.option_strings else []) + [value]
    for choice in parser._mutually_exclusive_groups:  # e.g. `batch paid` needs --line or --all
        if choice.required:
            flag = next(a for a in choice._group_actions if a.nargs == 0)
            argv.append(flag.option_strings[0])
    return argv


# `bench` measures the program on a demo database of its own (never the office's --db), so it
# needs no login; run here, it would build that database.
NO_OFFICE_DATA = {"bench"}
COMMANDS = [(words, parser) for words, parser in leaf_commands() if " ".join(words) not in NO_OFFICE_DATA]


@pytest.fixture
def office(tmp_path, monkeypatch):
    db = tmp_path / "zhibang.sqlite3"
    for name in ("ZHIBANG_USER", "ZHIBANG_DB", "ZHIBANG_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)
    assert main(["--db", str(db), "init", "--office", "增城区总工会", "--admin", "admin"]) == 0
    return db


def test_every_command_is_listed():
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"check", "template households", "demo", "init", "restore", "user add", "batch list"} <= names


@pytest.mark.parametrize("who, password, reason", [
    (None, PASSWORD, "请用 --user 指定用户名"),
    ("admin", "wrong-password", "密码错误"),
    ("nobody", PASSWORD, "用户名或密码错误"),
])
def test_every_command_refuses_without_a_valid_login(office, tmp_path, monkeypatch, capsys, who, password, reason):
    monkeypatch.setenv("ZHIBANG_PASSWORD", password)
    folder = tmp_path / "out"
    folder.mkdir()
    good_backup = tmp_path / "good-backup.sqlite3"  # restore checks the file before it logs in
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)
    assert main(["--db", str(office), "--user", "admin", "backup", "--out", str(good_backup)]) == 0
    monkeypatch.setenv("ZHIBANG_PASSWORD", password)
    capsys.readouterr()
    for words, parser in COMMANDS:
        argv = ["--db", str(office)] + (["--user", who] if who else []) + argv_for(words, parser, folder)
        if words == ["restore"]:
            argv[-1] = str(good_backup)
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, f"{' '.join(argv)} → {code}"
        assert reason in err or "锁定" in err, f"{' '.join(argv)}: {err}"
        if who == "admin":  # five wrong passwords lock the account: unlock for the next command
            monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)
            unlock(office)
            monkeypatch.setenv("ZHIBANG_PASSWORD", password)
    assert list(folder.iterdir()) == []  # no template, export or report was written


def unlock(db) -> None:
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.models import User

    database = open_database(db)
    try:
        with database.session() as s:
            for user in s.query(User):
                user.failed_attempts, user.locked_until = 0, None
    finally:
        database.close()


def test_check_and_template_run_for_a_logged_in_user_and_help_and_version_need_none(office, tmp_path, capsys):
    assert main(["--db", str(office), "--user", "admin", "check"]) == 0
    out = tmp_path / "template.xlsx"
    assert main(["--db", str(office), "--user", "admin", "template", "households", str(out)]) == 0
    assert out.exists()
    for argv in (["--version"], ["--help"], ["check", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(["--db", str(office), *argv])
        assert done.value.code == 0


def test_a_fresh_database_needs_no_login_and_is_not_created_by_a_command(tmp_path, monkeypatch):
    monkeypatch.delenv("ZHIBANG_USER", raising=False)
    out = tmp_path / "template.xlsx"
    missing = tmp_path / "none.sqlite3"
    assert main(["--db", str(missing), "template", "households", str(out)]) == 0
    assert out.exists() and not missing.exists()
