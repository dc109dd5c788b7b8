"""The archive page at N households, measured in a GUI process of its own
(zhibang_desktop/ui/bench_probe.py): search as typed (last key to rows on screen), search with
Enter (rows and counts on screen, through the page's worker), scrolling to the end, and the
window's memory. Floors: the same indexed sqlite3 queries on the same file; reading every row in
pages of 200 by keyset; a bare QMainWindow with a QTableView of 200 rows."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from ..registry import BenchContext, Samples, Work, each, register
from ..search_queries import QUERY_KINDS, sample_people
from .archive_search import PAGE, ROW_COLUMNS, _floor_connection, _floor_query, with_cpu

PER_KIND = 5


def _queries(bench: BenchContext) -> list[tuple[str, str]]:
    people = sample_people(bench.db_path)
    return [(kind, q) for kind, (_, make) in QUERY_KINDS.items() for q in make(people)[:PER_KIND]]


def probe(mode: str, bench: BenchContext, queries: list[str] = ()) -> Samples:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run([sys.executable, "-m", "zhibang_desktop.ui.bench_probe", mode, str(bench.db_path), *queries],
                          capture_output=True, text=True, encoding="utf-8", env=env)
    if done.returncode != 0:
        raise RuntimeError(f"GUI probe {mode} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Samples(result["samples"], result["peak_rss_mb"], result.get("cpu_s"))


def _app(mode: str):
    def setup(bench: BenchContext):
        queries = [q for _, q in _queries(bench)]
        return lambda: probe(mode, bench, queries)
    return setup


def _search_floor(bench: BenchContext):
    con = _floor_connection(bench)
    return with_cpu(each([lambda k=k, q=q: _floor_query(con, k, q) for k, q in _queries(bench)]))


def _read_all_by_keyset(bench: BenchContext):
    def run() -> None:
        con = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True)
        try:
            last = ""
            while True:
                rows = con.execute(f"select {ROW_COLUMNS} from households h join org_units u on u.id = h.unit_id "
                                   f"where h.archive_no > ? order by h.archive_no limit {PAGE}", (last,)).fetchall()
                if len(rows) < PAGE:
                    return
                last = rows[-1][1]
        finally:
            con.close()
    return each([run])


TARGET = "≤ 100 ms 自最后一键；p95 ≤ 50 ms"
register(Work("gui.archive.typed", "档案页边输边搜：最后一键到结果显示", _app("typed"), _search_floor,
              "sqlite3 索引查询（同一文件）", TARGET, memory=False, max_rounds=3))
register(Work("gui.archive.enter", "档案页回车搜索：经页面后台线程到行与统计显示", _app("enter"), _search_floor,
              "sqlite3 索引查询（同一文件）", "p95 ≤ 50 ms", memory=False, max_rounds=3))
register(Work("gui.archive.scroll", "档案页滚动到底（全部档案，每次 200 行）", _app("scroll"), _read_all_by_keyset,
              "sqlite3 按档案号分页读完全部行", "不卡界面", memory=False, max_rounds=1))
register(Work("gui.archive.memory", "主窗口：登录后到档案页首屏显示（峰值内存）", _app("window"),
              lambda bench: lambda: probe("bare", bench), "QMainWindow + QTableView 200 行", "内存 ≤ 300 MB",
              memory=False, max_rounds=1))
