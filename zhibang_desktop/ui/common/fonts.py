"""The application font: Chinese must never render as boxes (DESIGN.md §5)."""
from __future__ import annotations

import sys
from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

BUNDLED_FONT = "data/fonts/wqy-microhei.ttc"
# Office PCs: the system's own CJK UI fonts look native; the bundled one is the fallback.
WINDOWS_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "SimSun")
FALLBACK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "SimHei")


def load_bundled_font() -> list[str]:
    """Register the bundled WenQuanYi Micro Hei; return its family names ([] if missing)."""
    path = resources.files("zhibang_desktop").joinpath(BUNDLED_FONT)
    try:
        data = path.read_bytes()
    except OSError:
        return []
    font_id = QFontDatabase.addApplicationFontFromData(data)
    return list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []


def install_app_font(app: QApplication, point_size: int = 10) -> QFont:
    bundled = load_bundled_font()
    available = set(QFontDatabase.families())
    preferred = [f for f in WINDOWS_FAMILIES if f in available] if sys.platform == "win32" else []
    families = []
    for family in [*preferred, *bundled, *FALLBACK_FAMILIES]:
        if family not in families and (family in available or family in bundled):
            families.append(family)
    font = QFont(app.font())
    if families:
        font.setFamilies(families)
    font.setPointSize(point_size)
    app.setFont(font)
    return font
