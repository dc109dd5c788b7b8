"""Screenshots of the archive screens for the README, from demo data in a temporary folder.

    QT_QPA_PLATFORM=offscreen python tests/tools/screenshots.py [OUT_DIR]

Writes PNGs (main window at 1366×768, the clerk's office PC) into resources/screenshots/.
Nothing outside the temporary folder is touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from zhibang_desktop.services import archive
from zhibang_desktop import demo
from zhibang_desktop.services.admin import users  # noqa: E402
from zhibang_desktop.services.archive.types import HouseholdFilter  # noqa: E402
from zhibang_desktop.services.context import AppContext  # noqa: E402
from zhibang_desktop.storage.database import open_database  # noqa: E402

SCREEN = (1366, 768)
EDITOR = (1180, 700)
ROOT = Path(__file__).resolve().parents[2]


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str, app: QApplication) -> None:
    settle(app)
    path = out / name
    widget.grab().save(str(path))
    print(path)


def scan_png() -> bytes:
    """A small stand-in for a scanned document."""
    image = QImage(320, 200, QImage.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawText(image.rect(), Qt.AlignCenter, "收入证明（演示）")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def bad_ledger(path: Path, good_id: str) -> Path:
    """A clerk's ledger with the mistakes an import must report row by row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["姓名", "身份证号码", "性别", "联系电话", "工作单位", "所属工会", "困难类别", "致困原因", "家庭人口",
               "家庭月收入", "建档日期", "工会会员", "低保情况"])
    ws.append(["曾志明", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"), "男", "13800138000", "宏达电子厂",
               "荔城街宏达电子厂工会", "深度", "因病", 3, "1,800元", "2023-01-05", "是", "低保户"])
    ws.append(["", "440183198001010014", "男", "1380013", "华美服装", "新塘镇华美服装有限公司工会", "困难",
               "因病", "三", "一千", "2023年13月5日", "是", "无"])
    ws.append(["覃国强", good_id, "女", "020-82712345", "石滩某厂", "石滩镇某某五金厂工会", "相对困难", "因病",
               1, "2,345.50", "2023/1/5", "N", "特困"])
    wb.save(path)
    return path


def sign_in_shot(out: Path, app: QApplication) -> None:
    """The sign-in window at a start, 登录 pressed while the database is still opening behind it."""
    from zhibang_desktop.ui.app import demo_hint
    from zhibang_desktop.ui.login.login_dialog import LoginDialog

    dialog = LoginDialog(None, office="增城区总工会")
    dialog.set_hint(*demo_hint())
    dialog.show()
    dialog.password.setText(demo.DEMO_PASSWORD)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    save(dialog, out, "sign_in.png", app)
    dialog.reject()


def main(out: Path) -> int:
    from zhibang_desktop.ui.app import make_app
    from zhibang_desktop.ui.archive.household_editor import HouseholdEditor
    from zhibang_desktop.ui.common.import_dialog import ImportCheckDialog
    from zhibang_desktop.ui.main_window import MainWindow
    from zhibang_desktop.ui.common.session import UiSession
    from zhibang_desktop.ui.login.setup_wizard import SetupWizard
    from zhibang_desktop.services.archive import household_import

    app = make_app()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zhibang-shots-"))

    fresh = open_database(tmp / "new.sqlite3")
    wizard = SetupWizard(fresh)
    wizard.resize(720, 520)
    wizard.show()
    wizard.welcome.new_office.click()
    wizard.office.office_name.setText("增城区总工会")
    wizard.office.region.setText("广州市增城区")
    wizard.office.prefix.setText("ZC")
    wizard.office.phone.setText("020-82712345")
    wizard.next()
    for name, level in (("荔城街总工会", "street"), ("荔城街宏达电子厂工会", "grassroots"),
                        ("新塘镇总工会", "street"), ("新塘镇骏业牛仔制衣厂工会", "grassroots")):
        wizard.unions.add(level, name)
    save(wizard, out, "setup_wizard.png", app)
    wizard.close()
    fresh.close()
    sign_in_shot(out, app)

    db = open_database(tmp / "demo.sqlite3")
    demo.create_demo(db, 2000, seed=11)
    ctx = AppContext(db, users.authenticate(db, "clerk", demo.DEMO_PASSWORD))
    session = UiSession(ctx)
    window = MainWindow(session)
    window.resize(*SCREEN)
    window.show()
    save(window, out, "archive.png", app)

    page = window.pages["archive"]
    page.search.setText("zeng")
    page.refresh()
    save(window, out, "archive_search_zeng.png", app)
    page.clear_filters()

    # a household with members and visits, an attachment and one saved change
    row = next(r for r in archive.search_households(ctx, HouseholdFilter(statuses=frozenset({"active"})), limit=200).rows
               if r.household_size >= 3)
    view = archive.get_household(ctx, row.id)
    archive.add_attachment(ctx, view.id, "收入证明.png", scan_png(), kind="收入证明", note="2026年街道出具")
    archive.update_household(ctx, view.id, view.version, replace(view.data, phone="13800138000",
                                                                  remarks="2026年入户核查：配偶患病，收入减少"))
    editor = HouseholdEditor(session, view.id, window)
    editor.resize(*EDITOR)
    editor.show()
    for tab, name in ((editor.basic, "editor_basic"), (editor.form, "editor_form"), (editor.members, "editor_members"),
                      (editor.visits, "editor_visits"), (editor.attachments, "editor_attachments"),
                      (editor.changes, "editor_changes")):
        editor.tabs.setCurrentWidget(tab)
        save(editor, out, f"{name}.png", app)
    editor.tabs.setCurrentIndex(0)
    editor.basic.id_number.setText(editor.basic.id_number.text()[:-1])
    editor.touched.add("id_number")
    editor.validate_now()
    save(editor, out, "editor_inline_error.png", app)
    editor._baseline = None
    editor.close()

    ledger = bad_ledger(tmp / "台账.xlsx", archive.get_household(ctx, row.id).data.id_number)
    check = household_import.check_import(ctx, ledger)
    dialog = ImportCheckDialog(check, ledger.name, window)
    dialog.resize(900, 520)
    dialog.show()
    save(dialog, out, "import_problems.png", app)
    dialog.close()

    window.show_page("visits")
    save(window, out, "visits_due.png", app)
    window.close()

    admin_ctx = AppContext(db, users.authenticate(db, "admin", demo.DEMO_PASSWORD))
    admin_window = MainWindow(UiSession(admin_ctx))
    admin_window.resize(*SCREEN)
    admin_window.show()
    settings_page = admin_window.show_page("settings")
    save(admin_window, out, "settings_office.png", app)
    settings_page.tabs.setCurrentIndex(2)
    save(admin_window, out, "settings_unions.png", app)
    admin_window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"))
