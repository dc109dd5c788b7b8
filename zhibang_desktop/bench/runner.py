"""Interleaved rounds of each work's floor and app side, then each side's peak memory in a
child process of its own."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

from .registry import BenchContext, Work, works
from .stats import Figures, WorkResult


def selected(only: Sequence[str]) -> list[Work]:
    """Every work, or those whose name starts with one of `only`."""
    return [w for w in works() if not only or any(w.name.startswith(prefix) for prefix in only)]


def child_command(work: Work, side: str, bench: BenchContext) -> list[str]:
    return [sys.executable, "-m", "zhibang_desktop.bench.child", work.name, side, str(bench.db_path),
            str(bench.households), str(bench.scratch)]


def measure_memory(work: Work, side: str, bench: BenchContext) -> float | None:
    done = subprocess.run(child_command(work, side, bench), capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"{work.name} ({side}) failed in its child process:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def run_work(work: Work, bench: BenchContext, rounds: int) -> WorkResult:
    rounds = min(rounds, work.max_rounds or rounds)
    app_round = work.app(bench)
    floor_round = work.floor(bench) if work.floor is not None else None
    app_samples: list[float] = []
    floor_samples: list[float] = []
    peaks: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for index in range(rounds):
        # Alternate which side goes first, so neither always runs on the other's warm caches.
        order = [("floor", floor_round, floor_samples), ("app", app_round, app_samples)]
        for side, run, samples in (order if index % 2 == 0 else order[::-1]):
            if run is not None:
                started = time.process_time()
                got = run()
                used = time.process_time() - started
                samples.extend(got)
                if getattr(got, "peak_rss_mb", None) is not None:
                    peaks[side] = max(peaks.get(side, 0.0), got.peak_rss_mb)
                cpu_s = getattr(got, "cpu_s", None)
                if cpu_s is None and getattr(got, "peak_rss_mb", None) is None:
                    cpu_s = used  # a round run in this process (set-up excluded): this process's CPU
                if cpu_s is not None:
                    cpu[side] = cpu.get(side, 0.0) + cpu_s
    app_peak, floor_peak = peaks.get("app"), peaks.get("floor")
    if work.memory:
        if app_peak is None:
            app_peak = measure_memory(work, "app", bench)
        if work.floor is not None and floor_peak is None:
            floor_peak = measure_memory(work, "floor", bench)
    return WorkResult(work.name, work.label, Figures.of(app_samples, app_peak, cpu.get("app")),
                      Figures.of(floor_samples, floor_peak, cpu.get("floor")) if floor_samples else None,
                      work.floor_label, work.target)


def run_bench(db_path: Path, households: int, rounds: int, only: Sequence[str] = (),
              on_result: Callable[[WorkResult], None] | None = None) -> list[WorkResult]:
    results = []
    with tempfile.TemporaryDirectory(prefix="zhibang-bench-") as scratch:
        bench = BenchContext(households, db_path, Path(scratch))
        try:
            for work in selected(only):
                result = run_work(work, bench, rounds)
                results.append(result)
                if on_result is not None:
                    on_result(result)
        finally:
            bench.close()
    return results
