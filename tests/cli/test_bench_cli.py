"""`zhibang bench`: builds its database once, measures each work beside its floor, reports JSON."""
from __future__ import annotations

import json

import pytest

from zhibang_desktop.bench.database import database_path
from zhibang_desktop.cli import main


@pytest.mark.slow
@pytest.mark.timeout(1200)  # builds a demo year, then opens the GUI for each GUI work: minutes on a busy machine
def test_bench_measures_every_work_against_its_floor_at_small_n(tmp_path, capsys):
    cache = tmp_path / "bench-cache"
    assert main(["bench", "--households", "200", "--rounds", "1", "--dir", str(cache), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["households"] == 200 and report["rounds"] == 1
    assert report["database"] == str(database_path(cache, 200)) and database_path(cache, 200).exists()
    names = {w["name"] for w in report["works"]}
    assert {"archive.search.name_prefix", "archive.search.initials", "archive.search.id_suffix", "gui.archive.typed",
            "gui.archive.enter", "gui.archive.scroll", "gui.archive.memory", "import.households", "print.receipts",
            "print.archive_forms",
            "demo.build", "export.households", "export.bank", "start.cold", "start.signin", "start.enter",
            "report.dashboard", "report.annual", "report.funds_execution"} <= names
    assert report["load_average"] is not None
    for work in report["works"]:
        app = work["app"]
        assert app["samples"] >= 1 and 0 < app["median_ms"] <= app["p95_ms"] <= app["max_ms"], work["name"]
        assert app["peak_rss_mb"] is None or app["peak_rss_mb"] > 10, work["name"]
        assert app["cpu_ms"] is None or app["cpu_ms"] > 0, work["name"]
        if work["floor"] is not None:
            assert work["floor"]["median_ms"] > 0 and work["ratio"] > 0, work["name"]


def test_bench_lists_its_works_and_refuses_an_unknown_one(tmp_path, capsys):
    assert main(["bench", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "archive.search.initials" in listed
    assert main(["bench", "--only", "no.such.work", "--dir", str(tmp_path)]) == 2
    assert "no.such.work" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # nothing built for nothing to measure
