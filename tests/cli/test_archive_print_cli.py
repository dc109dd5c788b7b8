"""`zhibang print archive HOUSEHOLD | --all [filters]` and `zhibang print visits --due`."""
from __future__ import annotations

import json

import pytest

from tests.documents.pdf_tools import assert_all_fonts_embedded, pdftotext
from zhibang_desktop.cli import main
from zhibang_desktop.services import archive
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.archive import printing
from zhibang_desktop.services.archive.types import HouseholdFilter
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.storage.database import open_database


@pytest.fixture
def z(demo_copy, monkeypatch):
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")

    def run(*args, user="clerk"):
        return main(["--db", str(demo_copy), "--user", user, *map(str, args)])

    return run


@pytest.fixture
def clerk(demo_copy):
    """Read what to expect as the clerk; the database is closed again before the command runs
    (one program at a time may write to it)."""
    def ask(fn, *args, **kwargs):
        db = open_database(demo_copy)
        try:
            return fn(AppContext(db, users.authenticate(db, "clerk", "demo1234")), *args, **kwargs)
        finally:
            db.close()
    return ask


def flat(path) -> str:
    return "".join("".join(pdftotext(path)).split())


def test_one_household_by_archive_number_or_id_number(z, clerk, tmp_path, capsys):
    row = clerk(archive.search_households, HouseholdFilter(statuses=frozenset({"active"})), limit=1).rows[0]
    view = clerk(archive.get_household, row.id)
    out = tmp_path / "one.pdf"
    assert z("--json", "print", "archive", row.archive_no, "--out", out) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["households"] == 1 and result["pages"] >= 1 and result["file"] == str(out)
    assert_all_fonts_embedded(out)
    text = flat(out)
    assert row.archive_no in text and view.data.id_number in text and view.data.name in text
    assert z("print", "archive", view.data.id_number, "--out", tmp_path / "by_id.pdf") == 0
    assert "1 户" in capsys.readouterr().out and row.archive_no in flat(tmp_path / "by_id.pdf")


def test_all_with_the_archive_filters(z, clerk, tmp_path, capsys):
    filt = HouseholdFilter(categories=frozenset({"deep"}), statuses=frozenset({"phasing_out"}))
    expected = clerk(archive.search_households, filt, limit=1000)
    out = tmp_path / "sel.pdf"
    assert z("--json", "print", "archive", "--all", "--category", "深度困难", "--status", "phasing_out",
             "--out", out) == 0
    assert json.loads(capsys.readouterr().out)["households"] == expected.total > 0
    text = flat(out)
    assert all(r.archive_no in text for r in expected.rows)


def test_bad_arguments_exit_2_with_a_reason(z, tmp_path, capsys):
    assert z("print", "archive", "ZC-NONE", "--out", tmp_path / "x.pdf") == 2
    assert "ZC-NONE" in capsys.readouterr().err
    assert z("print", "archive", "--out", tmp_path / "x.pdf") == 2
    assert "二者选一" in capsys.readouterr().err
    assert z("print", "archive", "X1", "--status", "active", "--out", tmp_path / "x.pdf") == 2
    assert "--all" in capsys.readouterr().err
    assert z("print", "archive", "--all", "--out", tmp_path / "x.txt") == 2
    assert z("print", "archive", "--all", "--out", tmp_path / "x.pdf", user="reviewer") == 2
    assert "导出档案" in capsys.readouterr().err  # the permission a full-ID form needs
    assert not (tmp_path / "x.pdf").exists()


def test_visit_forms_for_the_households_due(z, clerk, tmp_path, capsys):
    due = clerk(archive.search_households, printing.due_filter(), sort="next_visit_due", limit=1000)
    out = tmp_path / "visits.pdf"
    assert z("--json", "print", "visits", "--due", "--out", out) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["households"] == due.total > 0
    pages = ["".join(p.split()) for p in pdftotext(out)]
    assert due.rows[0].name in pages[0] and "入户走访表" in pages[0]
    assert z("print", "visits", "--due", "--within", 0, "--blank", "--out", tmp_path / "blank.pdf") == 0
    assert "空白" in capsys.readouterr().out
    overdue = clerk(archive.search_households, HouseholdFilter(visit_overdue=True), limit=1).total
    assert len(pdftotext(tmp_path / "blank.pdf")) >= overdue
