"""Every option that names a union (`--unit`, `--scope`, `user review --at UNIT:LEVEL`) takes its
number or its exact full name, among the unions the user's scope covers, with the same refusals
(exit 2): an unknown union, one outside the scope, a name two unions share. `unit list` shows
the numbers."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from zhibang_desktop.cli import main
from zhibang_desktop.demo import DEMO_PASSWORD
from zhibang_desktop.services import archive, funds
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.archive import printing
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import SYSTEM, AppContext
from zhibang_desktop.storage.database import open_database

LICHENG, XINTANG, TWIN = "荔城街总工会", "新塘镇总工会", "同名工会"
TARGETS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "selfeval_targets.json"


@pytest.fixture
def office(demo_copy, tmp_path, monkeypatch):
    """The demo office plus a union named 同名工会 under both 荔城街 and 新塘镇, a reviewer `rv` of 荔城街,
    a budget line of the district's, and `lc`: bound to 荔城街, with every role a command below needs.
    The union the commands are tried on is the 荔城街 grassroots union with the most households due
    a visit (so that every command has something to show for it)."""
    db = open_database(demo_copy)
    ctx = AppContext(db, SYSTEM)
    ids = {u.name: u.id for u in org.list_units(ctx)}
    twins = [org.add_unit(ctx, TWIN, "grassroots", ids[parent]).id for parent in (LICHENG, XINTANG)]
    line = funds.add_budget(ctx, 2026, "工会经费", 10_000_000)
    admin = AppContext(db, users.authenticate(db, "admin", DEMO_PASSWORD))
    users.add_user(admin, "rv", "审核人", DEMO_PASSWORD, ["reviewer"], ids[LICHENG])  # a user lc manages
    users.add_user(admin, "lc", "荔城街", DEMO_PASSWORD, ["admin", "clerk", "head"], ids[LICHENG])

    def households(filt):
        return archive.search_households(ctx, filt, limit=1).total

    grassroots = [u for u in org.list_units(ctx) if u.parent_id == ids[LICHENG] and u.name != TWIN]
    unit = max(grassroots, key=lambda u: households(printing.due_filter(u.id)))
    union = SimpleNamespace(id=unit.id, name=unit.name, households=households(HouseholdFilter(unit_id=unit.id)),
                            due=households(printing.due_filter(unit.id)))
    db.close()
    assert union.due > 0
    monkeypatch.setenv("ZHIBANG_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("ZHIBANG_NEW_PASSWORD", DEMO_PASSWORD)

    def run(*args, user):
        return main(["--db", str(demo_copy), "--user", user, *map(str, args)])

    return SimpleNamespace(run=run, ids=ids, twins=twins, line=line.id, union=union, tmp=tmp_path)


@dataclass(frozen=True)
class Command:
    user: str  # who runs it in the success cases (lc, bound to 荔城街, runs it in the others)
    argv: Callable  # (office, the union's text, a word unique to the run) -> the command line
    shows: Callable  # the --json output -> what it says about the union it was given
    expected: Callable  # the union (id, name, households, due) -> what `shows` must say


COMMANDS = {
    "export households": Command(
        "clerk", lambda o, unit, tag: ["export", "households", o.tmp / f"{tag}.xlsx", "--unit", unit],
        lambda data: data["households"], lambda u: u.households),
    "print archive --all": Command(
        "clerk", lambda o, unit, tag: ["print", "archive", "--all", "--unit", unit, "--out", o.tmp / f"{tag}.pdf"],
        lambda data: data["households"], lambda u: u.households),
    "print visits --due": Command(
        "clerk", lambda o, unit, tag: ["print", "visits", "--due", "--unit", unit, "--out", o.tmp / f"{tag}.pdf"],
        lambda data: data["households"], lambda u: u.due),
    "report annual": Command(
        "head", lambda o, unit, tag: ["report", "annual", "--year", 2026, "--unit", unit],
        lambda data: data["unit"], lambda u: u.name),
    "report selfeval": Command(
        "head", lambda o, unit, tag: ["report", "selfeval", "--year", 2026, "--targets", TARGETS, "--unit", unit],
        lambda data: data["year"], lambda u: 2026),
    "budget list": Command(
        "head", lambda o, unit, tag: ["budget", "list", "--year", 2026, "--unit", unit],
        lambda data: data["unit"], lambda u: u.name),
    "budget add": Command(
        "head", lambda o, unit, tag: ["budget", "add", "--year", 2026, "--source", "工会经费", "--amount", 100,
                                      "--programme", tag, "--unit", unit],
        lambda data: data["unit"], lambda u: u.name),
    "budget allocate": Command(
        "head", lambda o, unit, tag: ["budget", "allocate", o.line, "--unit", unit, "--amount", 100],
        lambda data: data["unit"], lambda u: u.name),
    "user add --scope": Command(
        "admin", lambda o, unit, tag: ["user", "add", tag, "--roles", "clerk", "--scope", unit],
        lambda data: data["scope_unit_id"], lambda u: u.id),
    "user edit --scope": Command(
        "admin", lambda o, unit, tag: ["user", "edit", "rv", "--scope", unit],
        lambda data: data["scope_unit_id"], lambda u: u.id),
    "user review --at": Command(
        "admin", lambda o, unit, tag: ["user", "review", "rv", "--at", f"{unit}:基层"],
        lambda data: [(s["unit_id"], s["level"]) for s in data], lambda u: [(u.id, "grassroots")]),
}


def _fails(office, capsys, name: str, unit, user: str) -> str:
    """The command refused `unit` (exit 2, nothing done); its message."""
    capsys.readouterr()
    assert office.run(*COMMANDS[name].argv(office, unit, "refused"), user=user) == 2
    out, err = capsys.readouterr()
    assert out == "" and not list(office.tmp.glob("refused.*"))
    return err


@pytest.mark.parametrize("name", COMMANDS)
def test_a_union_by_its_number_or_by_its_name(office, capsys, name):
    command, union = COMMANDS[name], office.union
    for tag, unit in (("bynumber", union.id), ("byname", f" {union.name} ")):  # spaces around are dropped
        capsys.readouterr()
        assert office.run("--json", *command.argv(office, unit, tag), user=command.user) == 0, capsys.readouterr().err
        assert command.shows(json.loads(capsys.readouterr().out)) == command.expected(union)


@pytest.mark.parametrize("name", COMMANDS)
def test_an_unknown_a_blank_an_out_of_scope_and_a_shared_name_are_refused(office, capsys, name):
    user = COMMANDS[name].user
    err = _fails(office, capsys, name, "没有这个工会", user)
    assert "找不到工会“没有这个工会”（请用工会编号或完整名称；`zhibang unit list` 可查看编号）" in err
    assert "工会不能为空" in _fails(office, capsys, name, "  ", user)

    # lc is bound to 荔城街: neither 新塘镇 (by name or number) nor the district above it
    assert f"工会“{XINTANG}”不在当前用户的管辖范围内" in _fails(office, capsys, name, XINTANG, "lc")
    number = office.ids[XINTANG]
    assert f"工会“{number}”不在当前用户的管辖范围内" in _fails(office, capsys, name, number, "lc")
    assert "工会“增城区总工会”不在当前用户的管辖范围内" in _fails(office, capsys, name, "增城区总工会", "lc")

    licheng, xintang = office.twins
    assert (f"有多个名为“{TWIN}”的工会，请用编号（编号 {licheng}：增城区总工会 / {LICHENG} / {TWIN}；"
            f"编号 {xintang}：增城区总工会 / {XINTANG} / {TWIN}）") in _fails(office, capsys, name, TWIN, user)


def test_a_shared_name_is_one_union_within_the_users_scope(office, capsys):
    licheng, _ = office.twins
    capsys.readouterr()
    assert office.run("--json", "user", "add", "lc2", "--roles", "clerk", "--scope", TWIN, user="lc") == 0
    assert json.loads(capsys.readouterr().out)["scope_unit_id"] == licheng
    assert office.run("--json", "budget", "list", "--year", 2026, "--unit", TWIN, user="lc") == 0
    assert json.loads(capsys.readouterr().out)["unit"] == TWIN


def test_unit_list_shows_the_numbers_within_the_users_scope(office, capsys):
    capsys.readouterr()
    assert office.run("--json", "unit", "list", user="clerk") == 0
    everything = json.loads(capsys.readouterr().out)
    assert {u["id"] for u in everything} == set(office.ids.values()) | set(office.twins)
    assert office.run("--json", "unit", "list", user="lc") == 0
    mine = json.loads(capsys.readouterr().out)
    assert {u["name"] for u in mine} >= {LICHENG, TWIN, office.union.name} and XINTANG not in {u["name"] for u in mine}
    assert all(u["path"].startswith(f"增城区总工会 / {LICHENG}") for u in mine)
    assert office.run("unit", "list", user="lc") == 0
    text = capsys.readouterr().out
    assert f"{office.ids[LICHENG]:>5}  增城区总工会 / {LICHENG}（镇街/系统工会）" in text
    assert f"{office.twins[0]:>5}  增城区总工会 / {LICHENG} / {TWIN}（基层工会）" in text
