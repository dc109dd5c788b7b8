"""The bench times the head's figures (看板, 年度报表 written as .xlsx, 资金执行情况) on the demo
year: the program's side only, as nothing bare does the same work."""
from __future__ import annotations

import json

from zhibang_desktop.cli import main


def test_the_reports_are_timed_on_the_demo_year(tmp_path, capsys):
    assert main(["bench", "--households", "120", "--rounds", "1", "--only", "report",
                 "--dir", str(tmp_path / "cache"), "--json"]) == 0
    works = {w["name"]: w for w in json.loads(capsys.readouterr().out)["works"]}
    assert set(works) == {"report.dashboard", "report.annual", "report.funds_execution"}
    for name, work in works.items():
        assert work["floor"] is None and work["ratio"] is None, name
        assert work["app"]["median_ms"] > 0 and work["app"]["peak_rss_mb"] > 10, name
