"""City mode on the command line (issue 14): `init --city`, `import annual F1 F2 …` (imports,
replaces on a second import, refuses a spoiled file changing nothing, and a county's own
database refuses)."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.services.city_counties import hand_made_county
from tests.services.reports_year import YEAR
from zhibang_desktop.cli import main

PASSWORD = "Secret123"


def _county(folder, office, code):
    county = hand_made_county(folder, office, code, PASSWORD)
    return county.db_path, county.file


@pytest.fixture
def county(tmp_path):
    return _county(tmp_path, "增城区总工会", "ZC")


@pytest.fixture
def city(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBANG_PASSWORD", PASSWORD)
    path = tmp_path / "city.sqlite3"
    assert main(["--db", str(path), "init", "--office", "广州市总工会", "--region", "广州市", "--city",
                 "--admin", "admin"]) == 0

    def run(*args, db=path):
        return main(["--db", str(db), "--user", "admin", *map(str, args)])

    return run


def test_import_and_reimport(city, county, capsys):
    _, file = county
    capsys.readouterr()
    assert city("import", "annual", file) == 0
    out = capsys.readouterr().out
    assert f"已导入增城区总工会（ZC）{YEAR} 年度" in out and "替换" not in out
    assert city("--json", "import", "annual", file) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] == [] and data["imported"][0]["replaced_import_id"] is not None


def test_a_spoiled_file_is_refused_and_the_others_go_in(city, county, tmp_path, capsys):
    _, file = county
    spoiled = tmp_path / "坏文件.xlsx"
    shutil.copyfile(file, spoiled)
    spoiled.write_bytes(spoiled.read_bytes()[:5000])
    capsys.readouterr()
    assert city("import", "annual", spoiled, file) == 2
    out = capsys.readouterr().out
    assert "坏文件.xlsx：拒绝导入，未做任何更改" in out and "不完整或已损坏" in out
    assert f"{file.name}：已导入" in out


def test_a_county_database_refuses(city, county, capsys):
    path, file = county
    capsys.readouterr()
    assert city("import", "annual", file, db=path) == 2
    assert "区县单位的数据库，不能导入" in capsys.readouterr().err


def test_city_reports(city, county, tmp_path, capsys):
    """The same hand-made year sent by two counties: every aided person is aided in both."""
    _, other = _county(tmp_path, "从化区总工会", "CH")
    assert city("import", "annual", county[1], other) == 0
    capsys.readouterr()
    assert city("--json", "report", "duplicates", "--year", YEAR) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["aided_twice"] and all(
        [c["county"] for c in t["counties"]] == ["从化区总工会", "增城区总工会"]
        and t["counties"][0]["amount_fen"] == t["counties"][1]["amount_fen"] for t in found["aided_twice"])
    assert city("report", "duplicates", "--year", YEAR) == 0
    text = capsys.readouterr().out
    first = found["aided_twice"][0]["id_number"]
    assert first not in text and f"{first[:6]}********{first[-4:]}" in text
    assert city("--json", "report", "allocations", "--year", YEAR) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]  # the city allocated nothing: only the counties' sources
    assert rows and all(r["allocated_fen"] == 0 and r["problem"].startswith("仅区县有") for r in rows)
    assert city("report", "allocations", "--year", YEAR) == 0
    assert "未核对：仅区县有" in capsys.readouterr().out
    assert city("report", "imports") == 0
    assert capsys.readouterr().out.count("导入，6 户、9 笔发放") == 2


def test_a_number_on_file_in_two_counties_is_refused_naming_them(city, tmp_path, capsys, monkeypatch):
    """The hand-made year sent by 增城 and 从化: the same people, archive and request numbers. A
    command given one of these numbers names both counties instead of picking one; a user bound
    to one county gets that county's record."""
    from sqlalchemy import select

    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.models import Household, ReliefRequest

    zc, ch = _county(tmp_path / "zc", "增城区总工会", "ZC"), _county(tmp_path / "ch", "从化区总工会", "CH")
    assert city("import", "annual", zc[1], ch[1]) == 0
    db = open_database(tmp_path / "city.sqlite3")
    with db.session() as s:
        number = s.execute(select(Household.id_number).order_by(Household.id)).scalars().first()
        request = s.execute(select(ReliefRequest.number).order_by(ReliefRequest.id)).scalars().first()
    db.close()
    monkeypatch.setenv("ZHIBANG_NEW_PASSWORD", PASSWORD)
    assert city("user", "add", "city_clerk", "--roles", "clerk") == 0
    assert city("user", "add", "ch_clerk", "--roles", "clerk", "--scope", "从化区总工会") == 0
    capsys.readouterr()

    def as_user(user, *args):
        return main(["--db", str(tmp_path / "city.sqlite3"), "--user", user, *map(str, args)])

    for command in (("print", "archive", number, "--out", tmp_path / "a.pdf"),
                    ("request", "show", request),
                    ("complaint", "add", "--received", f"{YEAR}-11-02", "--channel", "电话", "--complainant", "某某",
                     "--content", "救助金未到账", "--household", number)):
        assert as_user("city_clerk", *command) != 0, command
        err = capsys.readouterr().err
        assert "增城区总工会" in err and "从化区总工会" in err and "不能确定" in err, (command, err)
        assert number not in err  # masked
    assert as_user("ch_clerk", "print", "archive", number, "--out", tmp_path / "ch.pdf") == 0
    assert (tmp_path / "ch.pdf").stat().st_size > 0
    capsys.readouterr()
    assert as_user("ch_clerk", "request", "show", request) == 0
    assert capsys.readouterr().out.startswith(request)  # 从化's: the only one within the clerk's scope
