"""Screenshots of the 公示 and 救助金发放 screens and the print preview, from demo data.

    QT_QPA_PLATFORM=offscreen python tests/tools/payout_screenshots.py [OUT_DIR] [--readme]

Writes payout_*.png into OUT_DIR (default: a temporary folder, printed); with --readme also
copies the two used in the README to resources/screenshots/ (notices.png, print_preview.png).
The demo database lives in a temporary folder; nothing else is touched.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from zhibang_desktop import demo
from zhibang_desktop.services import payout
from zhibang_desktop.services.payout import notices
from zhibang_desktop.services.admin import users  # noqa: E402
from zhibang_desktop.services.context import AppContext  # noqa: E402
from zhibang_desktop.storage.database import open_database  # noqa: E402

SCREEN = (1366, 768)
PREVIEW = (1180, 728)
ROOT = Path(__file__).resolve().parents[2]


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str, app: QApplication) -> Path:
    settle(app)
    path = out / name
    widget.grab().save(str(path))
    print(path)
    return path


def until(app, done, seconds: float = 60) -> None:
    """Run the event loop until `done()`: the pages load off the GUI thread."""
    import time

    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not load")
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str]) -> int:
    readme = "--readme" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="zhibang-shots-"))
    out.mkdir(parents=True, exist_ok=True)

    from zhibang_desktop.ui.common import messages
    from zhibang_desktop.ui.app import make_app

    app = make_app()
    # no modal message box may wait for a click here
    messages.ask = lambda *a, **k: True
    messages.info = messages.warn = messages.error = lambda *a, **k: None

    from zhibang_desktop.ui.payout.bank_templates_dialog import BankTemplatesDialog
    from zhibang_desktop.ui.payout.batch_dialogs import NewBatchDialog, ReissueDialog, ReturnsDialog, returned_dialog
    from zhibang_desktop.ui.main_window import MainWindow
    from zhibang_desktop.ui.payout.notices_page import HandleObjectionDialog, NoticeDialog
    from zhibang_desktop.ui.common.session import UiSession

    folder = Path(tempfile.mkdtemp(prefix="zhibang-demo-"))
    db = open_database(folder / "demo.sqlite3")
    try:
        demo.create_demo(db, 300, seed=3)
        clerk = AppContext(db, users.authenticate(db, "clerk", demo.DEMO_PASSWORD))
        admin = AppContext(db, users.authenticate(db, "admin", demo.DEMO_PASSWORD))
        session = UiSession(clerk)
        window = MainWindow(session)
        window.resize(*SCREEN)
        window.show()

        # 公示: the current quarter's notice, one objection still open
        page = window.show_page("notices")
        current = next((n for n in notices.list_notices(clerk) if n.status == "published"), None)
        if current is not None:
            page.reload(current.id)
        until(app, lambda: page.current is not None)
        row = next((i for i, e in enumerate(page.current.entries) if e.open_objections), 0)
        page.entry_table.selectRow(row)
        shots = {"notices": save(window, out, "payout_notices.png", app)}
        page.tabs.setCurrentIndex(1)
        save(window, out, "payout_notices_objections.png", app)
        open_objection = next((o for o in page.current.objections if o.result == "open"), None)
        if open_objection is not None:
            dialog = HandleObjectionDialog(session, open_objection, window)
            dialog.show()
            save(dialog, out, "payout_handle_objection.png", app)
            dialog.close()
        dialog = NoticeDialog(session, window)
        dialog.show()
        save(dialog, out, "payout_new_notice.png", app)
        dialog.close()

        preview = page.print_roster()
        preview.resize(*PREVIEW)
        settle(app)
        preview.view.render_visible_now()
        shots["print_preview"] = save(preview, out, "payout_print_preview.png", app)
        preview.close()

        # 救助金发放: the last regular batch with a returned and a renounced line
        page = window.show_page("batches")
        batch = next((b for b in payout.list_batches(clerk) if b.kind == "regular" and (b.returned or b.renounced)),
                     None)
        if batch is not None:
            page.reload(batch.id)
        save(window, out, "payout_batches.png", app)
        dialog = NewBatchDialog(session, window)
        dialog.show()
        save(dialog, out, "payout_new_batch.png", app)
        dialog.close()
        dialog = ReissueDialog(session, window)
        dialog.show()
        save(dialog, out, "payout_reissue.png", app)
        dialog.close()
        line = next((x for x in page.current.lines if x.method != "cash"), None) if page.current else None
        if line is not None:
            dialog = returned_dialog(session, line, window)
            dialog.show()
            save(dialog, out, "payout_returned.png", app)
            dialog.close()
        dialog = BankTemplatesDialog(UiSession(admin), window)
        dialog.show()
        save(dialog, out, "payout_bank_templates.png", app)
        dialog.close()
        if page.current is not None:
            bank = [x for x in page.current.lines if x.account]
            returns = folder / "回执.csv"
            returns.write_text("账号,户名,金额,状态,失败原因\n"
                               + "".join(f"{x.account},{x.name},{x.amount_fen / 100:.2f},成功,\n" for x in bank[1:4])
                               + "6222029999999999999,不认识,500.00,失败,账号不存在\n", encoding="utf-8")
            from zhibang_desktop.services.payout import bank_files

            result = bank_files.import_returns(clerk, page.current.summary.id, returns, apply=False)
            dialog = ReturnsDialog(result, returns.name, window)
            dialog.show()
            save(dialog, out, "payout_returns.png", app)
            dialog.close()
            preview = page.print_receipts()
            preview.resize(*PREVIEW)
            settle(app)
            preview.view.render_visible_now()
            save(preview, out, "payout_receipts_preview.png", app)
            preview.close()
        window.close()
        if readme:
            target = ROOT / "resources" / "screenshots"
            target.mkdir(parents=True, exist_ok=True)
            for name, path in shots.items():
                shutil.copyfile(path, target / f"{name}.png")
                print(target / f"{name}.png")
    finally:
        db.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
