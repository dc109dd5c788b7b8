"""Cold start to the painted main window, each start a fresh process (ui/start_probe.py),
against a bare QMainWindow with a QTableView of the first 200 households. The CPU time and peak
memory are the started process's own, at its first paint.

The start a clerk goes through shows the sign-in window first and loads the rest behind it
(ui/login/sign_in_first.py), so it is two waits: `start.signin`, to the painted sign-in window
(against the same floor), and `start.enter`, from pressing 登录 after a second of typing to the
painted main window. `start.cold` is the whole start with nobody typing, as the smoke run does."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from ...domain import clock
from ..registry import BenchContext, Samples, Work, register
from ..scratch_copy import writable_copy


def _start(side: str, bench: BenchContext) -> dict:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"  # both sides alike on a machine without a screen
    db = writable_copy(bench, "cold-start")  # a start signs in (audited) and takes the writer lock
    started = clock.process_seconds()  # the probe reads the same system-wide clock
    done = subprocess.run([sys.executable, "-m", "zhibang_desktop.ui.start_probe", repr(started), str(db), side],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or json.loads(lines[-1])["seconds"] is None:
        raise RuntimeError(f"cold start ({side}) did not paint:\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def _side(side: str, figure: str = "seconds"):
    def setup(bench: BenchContext):
        def run() -> Samples:
            start = _start(side, bench)
            return Samples([start[figure]], start["peak_rss_mb"], start[figure.replace("seconds", "cpu_seconds")])
        return run
    return setup


register(Work(
    name="start.cold", label="冷启动到主窗口绘出（经办人登录）", app=_side("app"), floor=_side("floor"),
    floor_label="裸 QMainWindow + QTableView", target="≤ 3×",
))
register(Work(
    name="start.signin", label="冷启动到登录窗口绘出（其余在后台加载）", app=_side("signin"), floor=_side("floor"),
    floor_label="裸 QMainWindow + QTableView", target="≤ 3×",
))
register(Work(
    name="start.enter", label="输入 1 秒后按“登录”到主窗口绘出", app=_side("signin", "enter_seconds"),
    target="不计入冷启动：经办人按回车后的等待",
))
