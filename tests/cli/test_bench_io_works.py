"""The bench's export and start works run at a small N: each side measured, the floor beside it."""
from __future__ import annotations

import json

from zhibang_desktop.cli import main


def test_exports_and_the_cold_start_are_measured_beside_their_floors(tmp_path, capsys):
    assert main(["bench", "--households", "120", "--rounds", "1", "--only", "export", "--only", "start",
                 "--dir", str(tmp_path / "cache"), "--json"]) == 0
    works = {w["name"]: w for w in json.loads(capsys.readouterr().out)["works"]}
    assert set(works) == {"export.households", "export.bank", "start.cold", "start.signin", "start.enter"}
    for name, work in works.items():
        assert work["app"]["median_ms"] > 0, name
        if name != "start.enter":  # the wait after 登录 has no bare-library counterpart
            assert work["floor"]["median_ms"] > 0 and work["ratio"] > 0, name
    assert works["start.enter"]["app"]["cpu_ms"] > 0
    assert works["export.households"]["app"]["peak_rss_mb"] > 10
    for name in ("start.cold", "start.signin"):
        for side in ("app", "floor"):  # the started process's own figures, not the bench's
            assert works[name][side]["peak_rss_mb"] > 10
            assert works[name][side]["cpu_ms"] > 50
