"""What a measured work is, and the list of them.

A work has a name, a label, the program's way of doing it (`app`) and, where one exists, the
bare libraries' way (`floor`: plain sqlite3, openpyxl write-only, a bare Qt table …). Each is a
*set-up* function: given the `BenchContext`, it prepares what it needs (untimed) and returns a
*round*, a function that does the work once and returns how long each sample took, in seconds
(a search work times several queries in one round; `each` and `once` build rounds).

A work module imports the program's packages inside its `app` set-up, not at the top: the
floor's child process then holds only what the floor needs, and its peak memory says so.
"""
from __future__ import annotations

import importlib
import pkgutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

Round = Callable[[], Sequence[float]]


class Samples(list):
    """A round's samples measured in a process of its own (the GUI), with that process's peak
    memory: the runner reports it instead of measuring the side again; `cpu_s`, where the
    round measured it, the CPU time (all threads) spent during the samples, reported per sample."""

    def __init__(self, samples, peak_rss_mb: float | None, cpu_s: float | None = None):
        super().__init__(samples)
        self.peak_rss_mb = peak_rss_mb
        self.cpu_s = cpu_s


@dataclass
class BenchContext:
    """What a work's set-up gets. `db_path` is the shared bench database: read it, never write it
    (copy it into `scratch` first). `households` is N."""

    households: int
    db_path: Path
    scratch: Path
    _cache: dict[str, Any] = field(default_factory=dict)

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        """One `make()` per bench run for `key` (an open database, a signed-in clerk …)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def close(self) -> None:
        for value in self._cache.values():
            close = getattr(value, "close", None)
            if callable(close):
                close()
        self._cache.clear()


Setup = Callable[[BenchContext], Round]


@dataclass(frozen=True)
class Work:
    name: str  # dotted, e.g. "archive.search.initials"; `--only archive` selects by prefix
    label: str  # what the table shows
    app: Setup
    floor: Setup | None = None
    floor_label: str = ""  # what the floor is, in a few words
    target: str = ""  # the target, shown beside the figures
    memory: bool = True  # measure each side's peak memory in a child process (or the round's Samples)
    max_rounds: int | None = None  # heavy works: at most this many rounds whatever --rounds says


_WORKS: dict[str, Work] = {}


def register(work: Work) -> Work:
    if work.name in _WORKS:
        raise ValueError(f"bench work registered twice: {work.name}")
    _WORKS[work.name] = work
    return work


def works() -> list[Work]:
    """Every work of `bench.works`, in the order of their names."""
    package = importlib.import_module(f"{__package__}.works")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return [_WORKS[name] for name in sorted(_WORKS)]


def find(name: str) -> Work:
    works()
    return _WORKS[name]


def each(calls: Sequence[Callable[[], Any]]) -> Round:
    """A round timing each call as one sample."""
    def run() -> list[float]:
        samples = []
        for call in calls:
            start = time.perf_counter()
            call()
            samples.append(time.perf_counter() - start)
        return samples
    return run


def once(call: Callable[[], Any]) -> Round:
    return each([call])
