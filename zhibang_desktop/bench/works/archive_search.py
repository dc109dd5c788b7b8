"""Archive search at N households: the service call a search makes (the first 200 rows and the
number found), against plain indexed sqlite3 queries on the same file returning the same rows."""
from __future__ import annotations

import sqlite3
import time

from ..registry import BenchContext, Round, Samples, Work, each, register
from ..search_queries import QUERY_KINDS, is_initials, sample_people

PAGE = 200
ROW_COLUMNS = ("h.id, h.archive_no, h.name, h.id_number, h.sex, h.category, h.status, u.name, h.phone, "
               "h.household_size, h.total_income_fen, h.next_visit_due")


def _floor_connection(bench: BenchContext) -> sqlite3.Connection:
    """A plain connection with temporary indexes of what the program's search matches: the
    initials (taken from the stored search keys) and the reversed ID number."""
    def make():
        con = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True, check_same_thread=False)
        con.execute("pragma cache_size=-65536")
        con.execute("create temp table initials (term text, household_id integer)")
        con.execute("create temp table id_reversed (term text, household_id integer)")
        rows = con.execute("select id, name, id_number, search_text from households").fetchall()
        con.executemany("insert into temp.initials values (?, ?)",
                        [(token, hid) for hid, name, _, text in rows
                         for token in set(text.split(" ")) if is_initials(token, name)])
        con.executemany("insert into temp.id_reversed values (?, ?)", [(num[::-1], hid) for hid, _, num, _ in rows])
        con.execute("create index temp.initials_term on initials (term, household_id)")
        con.execute("create index temp.id_reversed_term on id_reversed (term, household_id)")
        return con
    return bench.shared("search floor connection", make)


def _floor_query(con: sqlite3.Connection, kind: str, query: str) -> None:
    if kind == "name_prefix":
        match = "h.name >= :lo and h.name < :hi"
    else:
        table = "initials" if kind == "initials" else "id_reversed"
        match = f"h.id in (select household_id from temp.{table} where term >= :lo and term < :hi)"
        query = query if kind == "initials" else query[::-1]
    bounds = {"lo": query, "hi": query + "\U0010ffff"}
    con.execute(f"select count(*) from households h where {match}", bounds).fetchone()
    con.execute(f"select {ROW_COLUMNS} from households h join org_units u on u.id = h.unit_id where {match} "
                f"order by h.archive_no limit {PAGE}", bounds).fetchall()


def _floor(kind: str):
    def setup(bench: BenchContext):
        con = _floor_connection(bench)
        queries = QUERY_KINDS[kind][1](sample_people(bench.db_path))
        return with_cpu(each([lambda q=q: _floor_query(con, kind, q) for q in queries]))
    return setup


def _app(kind: str):
    def setup(bench: BenchContext):
        from ...services import archive
        from ...services.archive.types import HouseholdFilter
        from .. import app_session

        ctx = app_session.clerk(bench)
        queries = QUERY_KINDS[kind][1](sample_people(bench.db_path))
        return with_cpu(each([lambda q=q: archive.search_households(ctx, HouseholdFilter(text=q), limit=PAGE)
                              for q in queries]))
    return setup


def with_cpu(round_: Round) -> Round:
    """The round, with the CPU time it took (this process, all threads) for the report."""
    def run() -> Samples:
        cpu = time.process_time()
        samples = round_()
        return Samples(samples, None, time.process_time() - cpu)
    return run


for _kind, (_label, _) in QUERY_KINDS.items():
    register(Work(
        name=f"archive.search.{_kind}", label=f"档案搜索（服务调用）：{_label}", app=_app(_kind), floor=_floor(_kind),
        floor_label="sqlite3 索引查询（同一文件）", target="p95 ≤ 50 ms，≤ 5× 底线",
    ))
