"""Building the demo database of N households (`demo --households N`) into a new file: no floor,
the wall time and the peak memory (the issue's target: ≤ 2 minutes at 100,000).

Each round builds in a process of its own (`python -m zhibang_desktop.bench.works.demo_build
FILE N`), which reports its time and peak memory: the build is not run a second time only to
measure its memory."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from ..registry import BenchContext, Samples, Work, register


def _app(bench: BenchContext):
    def run() -> Samples:
        target = bench.scratch / "demo-build.sqlite3"
        for leftover in bench.scratch.glob(target.name + "*"):
            leftover.unlink()
        done = subprocess.run([sys.executable, "-m", __name__, str(target), str(bench.households)],
                              capture_output=True, text=True, encoding="utf-8")
        if done.returncode != 0:
            raise RuntimeError(f"demo.build failed in its child process:\n{done.stderr[-2000:]}")
        got = json.loads(done.stdout.strip().splitlines()[-1])
        return Samples([got["seconds"]], got["peak_rss_mb"])
    return run


register(Work(name="demo.build", label="生成演示数据库（demo --households N，独立进程）", app=_app,
              target="100,000 户 ≤ 2 分钟", max_rounds=1))


def main(argv: list[str]) -> int:
    from ...demo import create_demo
    from ...storage.database import open_database
    from ..memory import peak_rss_mb

    path, households = Path(argv[0]), int(argv[1])
    start = time.perf_counter()
    db = open_database(path)
    try:
        create_demo(db, households=households, seed=1)
    finally:
        db.close()
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
