"""救助金发放 page on a seeded temporary database: a batch from a published notice, line states
(paid, returned, renounced, paid to a relative), the reissue of a returned line, receipts
(masked / full ID), the bank file and the bank's return file, bank templates.

Seed 000: wrong accounts bounced and were re-paid; households renounced; a recipient died.
"""
from __future__ import annotations

from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from zhibang_desktop.services.admin import audit
from zhibang_desktop.services.payout import bank_files, notices
from zhibang_desktop.services import payout
from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput, ObjectionInput
from zhibang_desktop.ui.payout import batch_dialogs as bd
from zhibang_desktop.ui.payout.bank_templates_dialog import BankTemplatesDialog
from zhibang_desktop.ui.payout.payout_models import STATE_COLORS
from zhibang_desktop.ui.payout.batches_page import BatchesPage
from zhibang_desktop.ui.common.session import UiSession

from .payout_ui_helpers import Clock, seed
from ..waiting import click, click_for_preview, click_ok, settle

CORRECTED = "6222021001112223375"  # Luhn-valid


@pytest.fixture
def seeded(ctx, monkeypatch):
    clock = Clock(monkeypatch, 2026, 3, 1)
    s = seed(ctx)
    s.clock = clock
    v = notices.create_notice(s.clerk, NoticeInput(NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2),
                                                   place="区总工会一楼公示栏"))
    s.notice = notices.publish_notice(s.clerk, v.summary.id)
    clock.day(s.notice.summary.end + timedelta(days=1))  # 2026-03-10: the notice has ended
    return s


@pytest.fixture
def page(seeded, qtbot):
    widget = BatchesPage(UiSession(seeded.clerk))
    qtbot.addWidget(widget)
    widget.resize(1216, 680)
    widget.show()
    settle(qtbot, widget)
    return widget


def new_batch(page, qtbot) -> bd.NewBatchDialog:
    dialog = bd.NewBatchDialog(page.session, page)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    dialog.quarter.setCurrentIndex(dialog.quarter.findData(1))
    dialog.pay_date.set_value(date(2026, 3, 12))
    settle(qtbot, dialog)
    return dialog


def make_batch(page, qtbot):
    dialog = new_batch(page, qtbot)
    click_ok(qtbot, dialog)
    assert dialog.result_view is not None
    page.reload(dialog.result_view.summary.id)
    settle(qtbot, page)
    return dialog.result_view


def line_named(page, name):
    return next(x for x in page.current.lines if x.name == name)


def select_line(page, name):
    page.line_table.clearSelection()
    page.line_table.selectRow(page.lines.row_of(line_named(page, name).id))


def answer_modal(qtbot, fill):
    """Fill and accept the next modal dialog the page opens."""
    def attempt():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            fill(dialog)
        else:
            QTimer.singleShot(20, attempt)
    QTimer.singleShot(20, attempt)


def test_new_batch_takes_payable_requests_with_method_and_fund(page, qtbot, seeded):
    dialog = new_batch(page, qtbot)
    assert len(dialog.rows) == 4 and all(p.payable for _, p in dialog.rows)
    assert dialog.number.placeholderText() == "2026-Q1-01"
    dialog.kind.setCurrentIndex(dialog.kind.findData("standing"))  # seed 003: numbered standing-subsidy batches
    settle(qtbot, dialog)
    assert dialog.number.placeholderText() == "第1次"
    dialog.kind.setCurrentIndex(dialog.kind.findData("regular"))
    settle(qtbot, dialog)
    assert "4 人" in dialog.count_label.text() and "2,000.00" in dialog.count_label.text()
    # bulk set: the first two paid in cash from the chosen fund source
    dialog.set_checked({seeded.request_ids[0], seeded.request_ids[1]})
    dialog.bulk_method.setCurrentIndex(dialog.bulk_method.findData("cash"))
    dialog.bulk_method_button.click()
    funds = [dialog.bulk_fund.itemData(i) for i in range(dialog.bulk_fund.count()) if dialog.bulk_fund.itemData(i)]
    assert funds, "the 2026 policy names its fund sources"
    dialog.bulk_fund.setCurrentIndex(dialog.bulk_fund.findData(funds[0]))
    dialog.bulk_fund_button.click()
    dialog.set_checked(set(seeded.request_ids))
    plans = {p.request_id: p for p in dialog.plans()}
    assert plans[seeded.request_ids[0]].method == "cash" and plans[seeded.request_ids[0]].fund_source == funds[0]
    assert plans[seeded.request_ids[2]].method is None  # by the archive
    click_ok(qtbot, dialog)
    view = dialog.result_view
    assert view is not None and view.summary.number == "2026-Q1-01" and view.summary.lines == 4
    methods = {x.request_id: x.method for x in view.lines}
    assert methods[seeded.request_ids[0]] == "cash" and methods[seeded.request_ids[2]] == "bank_transfer"
    assert methods[seeded.request_ids[3]] == "cash"  # no card in the archive
    page.reload(view.summary.id)
    settle(qtbot, page)
    assert page.lines.rowCount() == 4 and page.current.summary.pending == 4
    # the same requests are not offered again: a request is paid once
    again = new_batch(page, qtbot)
    assert again.rows == [] and "没有待发放" in again.count_label.text()


def test_open_objection_blocks_and_admin_override(page, qtbot, seeded, monkeypatch):
    entry = seeded.notice.entries[0]
    notices.record_objection(seeded.clerk, ObjectionInput(entry.id, "匿名", "有经营收入", date(2026, 3, 4)))
    dialog = new_batch(page, qtbot)
    blocked = [(c, p) for c, p in dialog.rows if not p.payable]
    assert [c.request_id for c, _ in blocked] == [entry.request_id]
    assert "异议" in blocked[0][1].reason
    row = next(i for i, (c, _) in enumerate(dialog.rows) if c.request_id == entry.request_id)
    assert not (dialog.table.item(row, 0).flags() & Qt.ItemIsUserCheckable)
    assert entry.request_id not in {p.request_id for p in dialog.plans()}
    assert not dialog.override_button.isVisible()  # a clerk cannot override

    admin_dialog = bd.NewBatchDialog(UiSession(seeded.admin), page)
    qtbot.addWidget(admin_dialog)
    admin_dialog.year.setValue(2026)
    settle(qtbot, admin_dialog)
    row = next(i for i, (c, _) in enumerate(admin_dialog.rows) if c.request_id == entry.request_id)
    admin_dialog.table.setCurrentCell(row, 1)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("紧急情况，经区总工会负责人同意", True)))
    click(qtbot, admin_dialog.override_button)
    settle(qtbot, admin_dialog)
    overridden = next(p for c, p in admin_dialog.rows if c.request_id == entry.request_id)
    assert overridden.payable and overridden.overridden


def test_line_states_returned_reissue_and_never_twice(page, qtbot, seeded, boxes, tmp_path):
    make_batch(page, qtbot)
    chen, li, huang, zeng = seeded.names
    # paid through the page's own dialog (a modal, answered)
    select_line(page, chen)
    assert page.paid_button.isEnabled()
    answer_modal(qtbot, lambda d: d.buttons.accepted.emit())
    click(qtbot, page.paid_button)
    settle(qtbot, page)
    assert line_named(page, chen).state == "paid"

    # returned by the bank: the reason is required, then kept
    select_line(page, chen)
    assert page.returned_button.isEnabled()
    dialog = bd.returned_dialog(page.session, line_named(page, chen), page)
    qtbot.addWidget(dialog)
    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.Accepted and "退票原因" in boxes.texts()
    reason_box = dialog.findChildren(bd.QComboBox)[0]
    reason_box.setCurrentText("户名与账号不符")
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.Accepted
    page.reload()
    settle(qtbot, page)
    returned = line_named(page, chen)
    assert returned.state == "returned" and returned.return_reason == "户名与账号不符"
    row = page.lines.row_of(returned.id)
    assert page.lines.data(page.lines.index(row, 0), Qt.BackgroundRole).color() == STATE_COLORS["returned"][1]

    # renounced, and paid to a relative (the cash line)
    dialog = bd.renounced_dialog(page.session, line_named(page, li), page)
    qtbot.addWidget(dialog)
    dialog.findChildren(bd.QComboBox)[0].setCurrentText("本人书面声明放弃")
    click_ok(qtbot, dialog)
    printed = click_for_preview(qtbot, page.print_button)  # cash is paid only against the printed, signed list
    assert printed.save_as(str(tmp_path / "签领表.pdf"))
    settle(qtbot, page)  # the renouncement and the print record reload the batch first
    dialog = bd.relative_dialog(page.session, line_named(page, zeng), page)
    qtbot.addWidget(dialog)
    dialog.findChildren(bd.QLineEdit)[0].setText("王秀兰")
    dialog.findChildren(bd.QComboBox)[0].setCurrentText("配偶")
    click_ok(qtbot, dialog)
    page.reload()
    settle(qtbot, page)
    assert line_named(page, li).state == "renounced"
    assert line_named(page, zeng).state == "paid_to_relative"

    # reissue the returned line to the corrected account
    select_line(page, chen)
    dialog = bd.ReissueDialog(page.session, page, {returned.id})
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)
    assert [x.id for x in dialog.lines] == [returned.id]
    dialog.pay_date.set_value(date(2026, 3, 31))
    settle(qtbot, dialog)
    assert dialog.number.placeholderText() == "2026-Q1-02"
    click_ok(qtbot, dialog)  # same account as the returned one: refused with the reason
    assert dialog.result_view is None and "与退票时相同" in boxes.texts()
    dialog.accounts[0].setText(CORRECTED)
    click_ok(qtbot, dialog)
    reissue = dialog.result_view
    assert reissue is not None and reissue.summary.kind == "reissue" and reissue.summary.number == "2026-Q1-02"
    assert reissue.lines[0].reissue_of == returned.id and reissue.lines[0].account == CORRECTED
    page.reload(reissue.summary.id)
    settle(qtbot, page)
    assert page.current.summary.id == reissue.summary.id
    page.reload(returned.batch_id)
    settle(qtbot, page)
    assert line_named(page, chen).state == "reissued"

    # never twice: nothing left to reissue, and the request is no batch candidate
    nothing_left = bd.ReissueDialog(page.session, page)
    qtbot.addWidget(nothing_left)
    settle(qtbot, nothing_left)
    assert nothing_left.lines == []
    assert all(c.request_id != returned.request_id for c, _ in payout.batch_candidates(seeded.clerk))
    # the first batch can be closed once nothing is pending
    page.reload(returned.batch_id)
    settle(qtbot, page)
    assert page.all_paid_button.isEnabled()
    answer_modal(qtbot, lambda d: d.buttons.accepted.emit())
    click(qtbot, page.all_paid_button)
    settle(qtbot, page)
    assert line_named(page, huang).state == "paid"
    assert page.close_button.isEnabled()
    boxes.answer = True
    click(qtbot, page.close_button)
    settle(qtbot, page)
    assert page.current.summary.status == "closed"


def pdf_text(path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_receipts_masked_by_default_full_id_by_choice(page, qtbot, seeded, boxes, tmp_path):
    def printed():
        return [r.summary for r in audit.query_audit(seeded.admin, entity="disbursement").rows
                if r.action in ("print", "export")]

    view = make_batch(page, qtbot)
    full_id = view.lines[0].id_number
    preview = click_for_preview(qtbot, page.print_button)
    assert preview.page_count() >= 1
    text = pdf_text(preview.pdf_path)
    assert seeded.names[0] in text and full_id not in text and full_id[-4:] in text
    assert printed() == []  # looking at the preview prints nothing
    masked_copy = tmp_path / "masked.pdf"
    assert preview.save_as(str(masked_copy))
    assert len(printed()) == 1 and "另存为 PDF" in printed()[0] and "元" in printed()[0]

    page.full_id.setChecked(True)
    boxes.answer = True
    full = click_for_preview(qtbot, page.print_button)
    assert "内部存档" in boxes.shown[-1][2] or any("内部存档" in s[2] for s in boxes.shown)
    assert full_id in pdf_text(full.pdf_path)
    assert len(printed()) == 1  # the internal copy was only looked at
    assert full.save_as(str(tmp_path / "full.pdf"))
    summaries = printed()
    assert len(summaries) == 2 and "内部存档本" in summaries[0] and "签领表" in summaries[0]


def test_bank_file_export_and_return_import(page, qtbot, seeded, tmp_path, monkeypatch, boxes):
    view = make_batch(page, qtbot)
    out = tmp_path / "代发.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))

    def generic_template(dialog):
        if dialog.combo.findData(bank_files.GENERIC_NAME) < 0:  # the templates are still loading
            QTimer.singleShot(20, lambda: generic_template(dialog))
            return
        dialog.combo.setCurrentIndex(dialog.combo.findData(bank_files.GENERIC_NAME))
        dialog.ok_button.click()

    answer_modal(qtbot, generic_template)
    click(qtbot, page.export_button)
    settle(qtbot, page)
    assert out.exists()
    bank_lines = [x for x in view.lines if x.method == "bank_transfer"]
    assert len(bank_lines) == 3 and "已导出 3 笔" in boxes.texts()

    # the bank returns one line, confirms another; one row matches nothing
    returned, confirmed = bank_lines[0], bank_lines[1]
    amount = lambda x: f"{x.amount_fen / 100:.2f}"  # noqa: E731
    csv = tmp_path / "回执.csv"
    csv.write_text("账号,户名,金额,状态,失败原因\n"
                   f"{returned.account},{returned.name},{amount(returned)},失败,账户已销户\n"
                   f"{confirmed.account},{confirmed.name},{amount(confirmed)},成功,\n"
                   "6222029999999999999,不认识,100.00,失败,账号不存在\n", encoding="utf-8")
    shown = []

    def fake_exec(dialog):
        shown.append(dialog.result)
        return QDialog.Accepted

    monkeypatch.setattr(bd.ReturnsDialog, "exec", fake_exec)
    from zhibang_desktop.ui.payout import batches_page

    monkeypatch.setattr(batches_page.ReturnsDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(csv), "")))
    click(qtbot, page.import_button)
    settle(qtbot, page)
    preview, applied = shown
    assert applied.applied
    assert not preview.applied and len(preview.unmatched) == 1
    assert {m.action for m in preview.returned} == {"returned", "confirmed_paid"}
    assert line_named(page, returned.name).state == "returned"
    assert line_named(page, returned.name).return_reason == "账户已销户"
    assert line_named(page, confirmed.name).state == "paid"
    # importing the same file again changes nothing
    click(qtbot, page.import_button)
    settle(qtbot, page)
    again = shown[-1]
    assert len(shown) == 4 and all(m.action != "returned" for m in again.returned)


def test_bank_templates_editor_for_admin_only(seeded, qtbot, boxes):
    clerk_dialog = BankTemplatesDialog(UiSession(seeded.clerk))
    qtbot.addWidget(clerk_dialog)
    settle(qtbot, clerk_dialog)
    assert not clerk_dialog.new_button.isEnabled() and "管理员" in clerk_dialog.readonly_note.text()

    dialog = BankTemplatesDialog(UiSession(seeded.admin))
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)
    assert not dialog.save_button.isEnabled()  # the built-in generic template
    click(qtbot, dialog.new_button)
    dialog.name.setText("工商银行代发")
    dialog.bank.setText("中国工商银行增城支行")
    click(qtbot, dialog.add_col)  # a fixed-text column: 用途 = 困难职工救助金
    last = dialog.columns.rowCount() - 1
    dialog.columns.item(last, 0).setText("用途")
    dialog.columns.item(last, 2).setText("困难职工救助金")
    click(qtbot, dialog.save_button)
    settle(qtbot, dialog)
    saved = next((t for t in bank_files.list_templates(seeded.admin) if t.name == "工商银行代发"), None)
    assert saved is not None and saved.id is not None
    assert dialog.name.text() == "工商银行代发"  # the editor shows the stored template
    assert any(c.header == "用途" and c.value == "困难职工救助金" for c in saved.columns)
    # a template without an amount column is refused with the service's reason
    click(qtbot, dialog.new_button)
    dialog.name.setText("缺金额")
    for r in reversed(range(dialog.columns.rowCount())):
        if dialog.columns.cellWidget(r, 1).currentData() == "amount":
            dialog.columns.setCurrentCell(r, 0)
            click(qtbot, dialog.remove_col)
    before = bank_files.list_templates(seeded.admin)
    click(qtbot, dialog.save_button)
    settle(qtbot, dialog)
    assert "金额" in boxes.texts() and bank_files.list_templates(seeded.admin) == before


def test_cash_is_not_paid_before_the_receipt_list_is_printed(page, qtbot, seeded, boxes):
    """Issue 8: a cash line could be marked paid without the signed list ever having been printed."""
    make_batch(page, qtbot)
    cash = next(x for x in page.current.lines if x.method == "cash")

    def try_and_close(dialog):
        dialog.buttons.accepted.emit()
        dialog.reject()

    select_line(page, cash.name)
    answer_modal(qtbot, try_and_close)
    qtbot.mouseClick(page.paid_button, Qt.LeftButton)
    assert f"{cash.name} 为现金发放，须先打印批次" in boxes.texts()
    assert line_named(page, cash.name).state == "pending"
    assert "签字扫描件：未附" in page.totals_label.text() and "签领表：未打印" in page.totals_label.text()


def test_the_batch_shows_who_printed_the_receipt_list(page, qtbot, seeded, tmp_path, monkeypatch):
    make_batch(page, qtbot)
    preview = click_for_preview(qtbot, page.print_button)
    assert "签领表：未打印" in page.totals_label.text()  # looking at the preview prints nothing
    saved = tmp_path / "签领表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), "")))
    click(qtbot, preview.save_button)
    assert saved.exists()
    settle(qtbot, page)
    qtbot.waitUntil(lambda: "签领表打印 1 次" in page.totals_label.text(), timeout=10000)
    who = seeded.clerk.actor.display_name
    assert f"最近：{who} " in page.totals_label.text() and "另存为 PDF，4 人" in page.totals_label.text()


def _fits(view, row: int, column: int) -> bool:
    text = view.model().index(row, column).data()
    return view.fontMetrics().horizontalAdvance(text) + 12 <= view.columnWidth(column)


def test_a_company_union_s_full_name_shows_in_the_batch_and_in_a_new_batch_at_1366(window, qtbot, monkeypatch):
    """At 1366×768 a line's union (石滩联发五金制品有限公司工会) is read whole, not cut to
    “石滩联发五金制品有限…” beside an empty 情况说明 / 发放条件 column."""
    from zhibang_desktop.ui.payout.new_batch_dialog import NewBatchDialog

    from ..waiting import click_row, when_opened

    nav = window.nav
    row = next(i for i in range(nav.count()) if nav.item(i).text() == "救助金发放")
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    settle(qtbot, window)
    page = window.current_page()
    union = next(i for i, c in enumerate(page.lines.columns) if c.header == "所属工会")
    widest = (0, -1)
    for batch_row in range(page.model.rowCount()):
        click_row(qtbot, page.table, batch_row)
        settle(qtbot, window)
        names = [x.unit_name for x in page.lines.rows()]
        width = max((page.line_table.fontMetrics().horizontalAdvance(n) for n in names), default=0)
        widest = max(widest, (width, batch_row))
    assert widest[0] + 12 > 170  # a name the old fixed column cut
    click_row(qtbot, page.table, widest[1])
    settle(qtbot, window)
    cut = [page.lines.index(r, union).data() for r in range(page.lines.rowCount())
           if not _fits(page.line_table, r, union)]
    assert not cut, f"cut in the batch's lines: {cut}"

    seen = []

    def look(dialog):
        settle(qtbot, dialog)
        table = dialog.table
        col = dialog.COLS.index("所属工会")
        seen.extend(table.item(r, col).text() for r in range(table.rowCount()))
        cut.extend(table.item(r, col).text() for r in range(table.rowCount())
                   if table.fontMetrics().horizontalAdvance(table.item(r, col).text()) + 12 > table.columnWidth(col))
        dialog.reject()

    when_opened(monkeypatch, NewBatchDialog, look)
    click(qtbot, page.new_button)
    assert max(page.line_table.fontMetrics().horizontalAdvance(n) for n in seen) + 12 > 160
    assert not cut, f"cut in 新建发放批次: {cut}"
