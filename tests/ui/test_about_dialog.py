"""帮助 → 关于职帮: version, build date, where the data and backups are, and the bundled parts
with their licences (read from the installed packages), in plain Chinese around them."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from zhibang_desktop import __version__
from zhibang_desktop.ui.about_dialog import AboutDialog

from ..plain_language import findings
from .screen_texts import widget_texts


def _help_menu_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    return next(a for a in menu.actions() if a.text() == text)


def test_about_opens_from_the_help_menu_and_tells_version_paths_and_licences(window, qtbot):
    seen = {}

    def inspect_and_close():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())
        seen["version"] = dialog.version_label.text()
        seen["build"] = dialog.build_label.text()
        seen["db"] = dialog.db_label.text()
        seen["folder"] = dialog.folder_label.text()
        seen["backups"] = dialog.backup_label.text()
        rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
        seen["parts"] = set(rows)
        seen["qt_licence"] = dialog.table.item(rows["PySide6_Essentials"], 2).text()
        rect = dialog.table.visualItemRect(dialog.table.item(rows["wqy-microhei.ttc"], 0))
        dialog.table.scrollToItem(dialog.table.item(rows["wqy-microhei.ttc"], 0))
        rect = dialog.table.visualItemRect(dialog.table.item(rows["wqy-microhei.ttc"], 0))
        qtbot.mouseClick(dialog.table.viewport(), Qt.LeftButton, pos=rect.center())
        seen["font_licence_text"] = dialog.licence_text.toPlainText()
        seen["plain"] = [str(f) for what, text in widget_texts(dialog) for f in findings(what, text)]
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Close), Qt.LeftButton)

    QTimer.singleShot(0, inspect_and_close)
    _help_menu_action(window, "关于职帮(&A)").trigger()

    db_path = window.session.ctx.db.path
    assert seen["version"] == __version__
    assert seen["build"] == "从源代码运行（未打包）"
    assert seen["db"] == str(db_path)
    assert seen["folder"] == str(db_path.parent)
    assert seen["backups"] == str(db_path.parent / "backups-demo")
    assert {"PySide6_Essentials", "SQLAlchemy", "reportlab", "alembic", "uming.ttc", "wqy-microhei.ttc"} <= seen["parts"]
    assert "LGPL-3.0-only" in seen["qt_licence"]
    assert "WenQuanYi" in seen["font_licence_text"]
    assert seen["plain"] == []
    assert not any(isinstance(w, AboutDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_the_smoke_start_builds_the_main_window_and_quits_after_its_first_paint(demo_copy):
    """What the release build runs on the built program (installer/check_bundle.py). In its own
    process, as there: a QApplication that has run and quit its main loop is not reused."""
    import os
    import subprocess
    import sys

    from zhibang_desktop.demo import DEMO_PASSWORD

    env = {**os.environ, "ZHIBANG_SMOKE": "1", "ZHIBANG_USER": "clerk", "ZHIBANG_PASSWORD": DEMO_PASSWORD,
           "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ZHIBANG_SMOKE_PDF", None)
    done = subprocess.run([sys.executable, "-m", "zhibang_desktop", "--db", str(demo_copy)], env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["painted"] is True
    assert result["pages"] >= 5
    assert result["translations"] is True
    assert "PySide6_Essentials" in result["components"]
    assert result["pdf_page_size"] is None
