"""Load on a PostgreSQL server: N simulated clerks for M minutes, each a separate process.

    python tests/tools/pg_load.py --server postgresql://zhibang_test@127.0.0.1:5433/postgres \
        --clerks 8 --minutes 2 [--households 200] [--hot 20]

A new database `zhibang_load_<pid>` is made on the server with the demo office in it (dropped
afterwards unless --keep). Each clerk signs in and loops: search the archive (a page of 200),
open a household, think for a moment, save a change to it, and now and then create a new
household (numbered under the writer lock). Edits go to a small set of "hot" households so
that clerks really do save the same household at once: the loser gets a Conflict naming who
changed what, which is counted, not an error. At the end the audit chain must verify and the
archive numbers must be unique. Prints throughput, p50/p95 latency per operation and conflicts.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

CLERK, PASSWORD = "clerk", "demo1234"


def _url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def prepare(server: str, name: str, households: int) -> str:
    import psycopg

    from zhibang_desktop import demo
    from zhibang_desktop.storage.database import open_database

    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    url = _url(server, name)
    db = open_database(url)
    try:
        demo.create_demo(db, households, seed=11)
    finally:
        db.close()
    return url


def clerk(url: str, index: int, seconds: float, hot: int, think: float, out) -> None:
    from zhibang_desktop.domain.idnumber import make_id_number
    from zhibang_desktop.services import archive
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.archive.types import HouseholdFilter, HouseholdInput
    from zhibang_desktop.services.context import AppContext
    from zhibang_desktop.services.errors import Conflict
    from zhibang_desktop.storage.database import open_database

    rng = random.Random(index)
    db = open_database(url)
    ctx = AppContext(db, users.authenticate(db, CLERK, PASSWORD))
    ids = [r.id for r in archive.search_households(ctx, HouseholdFilter()).rows]
    hot_ids = ids[:hot]
    timings: dict[str, list[float]] = {"search": [], "open": [], "save": [], "create": []}
    conflicts = created = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        archive.search_households(ctx, HouseholdFilter(text=rng.choice("陈李张王刘黄")))
        timings["search"].append(time.perf_counter() - t)
        t = time.perf_counter()
        view = archive.get_household(ctx, rng.choice(hot_ids))
        timings["open"].append(time.perf_counter() - t)
        time.sleep(think)  # the clerk types
        t = time.perf_counter()
        try:
            archive.update_household(ctx, view.id, view.version,
                                     replace(view.data, remarks=f"第{index}号经办人 {time.time():.3f} 修改"))
        except Conflict:
            conflicts += 1
        timings["save"].append(time.perf_counter() - t)
        if rng.random() < 0.2:  # a new household: numbered under the writer lock
            born = date(1970, 1, 1) + timedelta(days=index * 400 + created // 400)
            data = HouseholdInput(name=f"压测{index}号{created}", unit_id=view.data.unit_id, category="deep",
                                  causes=["因病"], household_size=1,
                                  id_number=make_id_number("440184", born, (created % 400) * 2 + 1, "M"))
            t = time.perf_counter()
            archive.create_household(ctx, data)
            timings["create"].append(time.perf_counter() - t)
            created += 1
    db.close()
    out.put({"timings": timings, "conflicts": conflicts})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ZHIBANG_TEST_PG"),
                        help="address of the server's maintenance database (default: ZHIBANG_TEST_PG)")
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--hot", type=int, default=20, help="households the edits go to")
    parser.add_argument("--think", type=float, default=0.2, help="seconds between opening and saving")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.server:
        parser.error("--server (or ZHIBANG_TEST_PG) is required")
    name = f"zhibang_load_{os.getpid()}"
    url = prepare(args.server, name, args.households)
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    procs = [spawn.Process(target=clerk, args=(url, i, args.minutes * 60, args.hot, args.think, out))
             for i in range(args.clerks)]
    started = time.monotonic()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    report = summarise(results, elapsed, args)
    report["audit_chain_ok"], report["numbers_unique"] = verify(url)
    if not args.keep:
        import psycopg

        with psycopg.connect(args.server, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else text(report))
    return 0 if report["audit_chain_ok"] and report["numbers_unique"] else 1


def summarise(results, elapsed: float, args) -> dict:
    per_op = {}
    total = 0
    for op in ("search", "open", "save", "create"):
        values = sorted(v for r in results for v in r["timings"][op])
        total += len(values)
        if values:
            per_op[op] = {"count": len(values), "p50_ms": round(statistics.median(values) * 1000, 1),
                          "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)] * 1000, 1)}
    saves = per_op.get("save", {}).get("count", 0)
    conflicts = sum(r["conflicts"] for r in results)
    return {"clerks": args.clerks, "minutes": args.minutes, "households": args.households, "hot": args.hot,
            "operations": total, "ops_per_second": round(total / (args.minutes * 60), 1),
            "wall_seconds": round(elapsed, 1), "per_operation": per_op,
            "saves": saves, "conflicts": conflicts,
            "conflict_rate": round(conflicts / saves, 3) if saves else 0.0}


def verify(url: str) -> tuple[bool, bool]:
    from sqlalchemy import func, select

    from zhibang_desktop.services import audit_chain
    from zhibang_desktop.storage.database import open_database
    from zhibang_desktop.storage.models import Household

    db = open_database(url)
    try:
        with db.session() as s:
            chain_ok = audit_chain.verify(s).ok
            total, distinct = s.execute(select(func.count(), func.count(Household.archive_no.distinct()))).one()
        return chain_ok, total == distinct
    finally:
        db.close()


def text(r: dict) -> str:
    lines = [f"{r['clerks']} clerks × {r['minutes']} min on {r['households']} households ({r['hot']} hot):",
             f"  {r['operations']} operations, {r['ops_per_second']} per second",
             f"  saves {r['saves']}, conflicts {r['conflicts']} ({r['conflict_rate']:.1%})"]
    for op, v in r["per_operation"].items():
        lines.append(f"  {op:<7} n={v['count']:<6} p50 {v['p50_ms']} ms  p95 {v['p95_ms']} ms")
    lines.append(f"  audit chain verifies: {r['audit_chain_ok']}; archive numbers unique: {r['numbers_unique']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
