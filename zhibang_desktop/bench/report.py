"""The bench's figures as text lines (and the heading naming the machine)."""
from __future__ import annotations

import os
import platform

from .stats import Figures, WorkResult


def machine() -> str:
    return f"{platform.system()} {platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}"


def load_average() -> str:
    """The 1/5/15-minute load average (the machine may be shared), or "" where there is none."""
    try:
        return "负载 " + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # Windows
        return ""


def _side(f: Figures | None) -> str:
    if f is None:
        return "—"
    memory = f"，峰值 {f.peak_rss_mb:.0f} MB" if f.peak_rss_mb is not None else ""
    cpu = f"，CPU 每次 {f.cpu_ms:.2f} ms" if f.cpu_ms is not None else ""
    return f"中位 {f.median_ms:.2f} / p95 {f.p95_ms:.2f} / 最大 {f.max_ms:.2f} ms（{f.samples} 次{cpu}{memory}）"


def result_lines(r: WorkResult) -> list[str]:
    ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
    lines = [f"{r.label}  [{r.name}]", f"  程序：{_side(r.app)}"]
    if r.floor is not None:
        lines.append(f"  底线（{r.floor_label}）：{_side(r.floor)}")
    lines.append(f"  倍数（中位数之比）：{ratio}" + (f"；目标：{r.target}" if r.target else "")
                 + (f"；{load_average()}" if load_average() else ""))
    return lines
