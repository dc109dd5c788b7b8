"""One side of one work, once, in a process of its own: prints its samples and peak memory as
JSON. `python -m zhibang_desktop.bench.child WORK app|floor DB HOUSEHOLDS SCRATCH`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .memory import peak_rss_mb
from .registry import BenchContext, find


def main(argv: list[str]) -> int:
    name, side, db_path, households, scratch = argv
    work = find(name)
    bench = BenchContext(int(households), Path(db_path), Path(scratch))
    try:
        setup = work.app if side == "app" else work.floor
        samples = list(setup(bench)())
    finally:
        bench.close()
    print(json.dumps({"samples": samples, "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
