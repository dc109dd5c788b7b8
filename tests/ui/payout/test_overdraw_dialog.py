"""新建发放批次 past a budget line's balance (issue 12): the clerk is asked for a written reason,
the batch is made with it, and the receipt list prints it; cancelling makes no batch."""
from __future__ import annotations

from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from zhibang_desktop.services import funds, payout
from zhibang_desktop.services.payout import notices
from zhibang_desktop.services.payout.printing import build_receipts
from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput
from zhibang_desktop.ui.payout import batch_dialogs as bd
from zhibang_desktop.ui.payout.overdraw_dialog import OverdrawDialog
from zhibang_desktop.ui.payout.batches_page import BatchesPage
from zhibang_desktop.ui.common.session import UiSession

from .payout_ui_helpers import Clock, seed
from ..waiting import settle


@pytest.fixture
def page(ctx, monkeypatch, qtbot):
    clock = Clock(monkeypatch, 2026, 3, 1)
    s = seed(ctx)  # four quarterly requests: 500 + 600 + 400 + 500 yuan
    funds.add_budget(s.admin, 2026, "工会经费", 150_000, set_on=date(2026, 1, 5))  # 1,500 yuan
    v = notices.create_notice(s.clerk, NoticeInput(NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2)))
    v = notices.publish_notice(s.clerk, v.summary.id)
    clock.day(v.summary.end + timedelta(days=1))
    widget = BatchesPage(UiSession(s.clerk))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def open_new_batch(page, qtbot) -> bd.NewBatchDialog:
    dialog = bd.NewBatchDialog(page.session, page)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    dialog.quarter.setCurrentIndex(dialog.quarter.findData(1))
    dialog.pay_date.set_value(date(2026, 3, 12))
    settle(qtbot, dialog)
    return dialog


def answer_overdraw(qtbot, reason: str | None, seen: dict):
    def attempt():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OverdrawDialog):
            QTimer.singleShot(20, attempt)
            return
        if reason is None:
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
            return
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)  # empty: refused
        seen["refused"] = dialog.error.text()
        dialog.reason.setPlainText(reason)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    QTimer.singleShot(20, attempt)


def test_overdraw_asks_for_a_reason_printed_on_the_receipts(page, qtbot, tmp_path):
    dialog = open_new_batch(page, qtbot)
    seen = {}
    answer_overdraw(qtbot, "第一季度申请集中，已报请年中调增预算", seen)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert seen["refused"] == "请填写超预算的书面说明"
    view = dialog.result_view
    assert view is not None and "已报请年中调增预算" in view.remark
    out = build_receipts(page.ctx, view.summary.id, tmp_path / "receipts.pdf")
    doc = pdfium.PdfDocument(str(out.path))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r\n", "")
    doc.close()
    assert "超预算说明" in text and "已报请年中调增预算" in text


def test_cancelling_the_reason_makes_no_batch(page, qtbot):
    dialog = open_new_batch(page, qtbot)
    answer_overdraw(qtbot, None, {})
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.result_view is None
    assert payout.list_batches(page.ctx) == []
