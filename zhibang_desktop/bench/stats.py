"""Median, 95th percentile and maximum of a work's samples, and the ratio to its floor."""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median
from typing import Sequence


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (the sample at or above `fraction` of them)."""
    ordered = sorted(samples)
    rank = min(max(1, math.ceil(fraction * len(ordered))), len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figures:
    samples: int
    median_ms: float
    p95_ms: float
    max_ms: float
    peak_rss_mb: float | None = None
    cpu_ms: float | None = None  # CPU time per sample (mean), where the round measured it

    @classmethod
    def of(cls, samples: Sequence[float], peak_rss_mb: float | None = None,
           cpu_s: float | None = None) -> "Figures":
        ms = [s * 1000 for s in samples]
        cpu_ms = cpu_s * 1000 / len(ms) if cpu_s is not None and ms else None
        return cls(len(ms), median(ms), percentile(ms, 0.95), max(ms), peak_rss_mb, cpu_ms)


@dataclass(frozen=True)
class WorkResult:
    name: str
    label: str
    app: Figures
    floor: Figures | None
    floor_label: str
    target: str

    @property
    def ratio(self) -> float | None:
        """App median over floor median."""
        if self.floor is None or self.floor.median_ms <= 0:
            return None
        return self.app.median_ms / self.floor.median_ms
