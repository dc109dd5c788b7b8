"""Before the GUI starts on Linux: is there a display to open a window on?

Without one Qt aborts the process (exit 134) with a hint to reinstall the application, which
sends a newcomer the wrong way. Say what is missing instead, in Chinese and English.
"""
from __future__ import annotations

import os
import sys

NO_DISPLAY = """\
无法打开窗口：没有图形桌面（未设置 DISPLAY 或 WAYLAND_DISPLAY）。
请在桌面会话中运行；在服务器上可用虚拟显示运行：xvfb-run -a bash installer/run-linux.sh
命令行功能不需要桌面，见：bash installer/run-linux.sh --help

Cannot open a window: there is no desktop session (DISPLAY and WAYLAND_DISPLAY are not set).
Run it in a desktop session, or on a server under a virtual display:
  xvfb-run -a bash installer/run-linux.sh
The command line needs no display: bash installer/run-linux.sh --help"""


def display_missing(environ=os.environ, platform: str = sys.platform) -> str | None:
    """The message to print when the GUI cannot open a window here, else None."""
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their own window system
    if environ.get("QT_QPA_PLATFORM"):
        return None  # chosen explicitly (offscreen, xcb, wayland …): Qt's own choice stands
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


__all__ = ["display_missing", "NO_DISPLAY"]
