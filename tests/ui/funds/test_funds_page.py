"""资金 page (issue 12) driven by clicks on a copy of the demo database: a budget of
480,000 cut to 270,000 (seed 001) with its reason in the history, an allocation to a lower
union and its reported spending (seed 004), a fund source with its allowed uses (seed 002),
the execution rows with a drill-down to payments, and what a clerk may not do."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from zhibang_desktop.services import funds
from zhibang_desktop.services.admin.org import list_units
from zhibang_desktop.ui.funds import funds_dialogs as fd
from zhibang_desktop.ui.funds.funds_page import FundsPage
from zhibang_desktop.ui.common.session import UiSession

from ..waiting import choose, click, settle


def on_next_dialog(qtbot, fill):
    """Run `fill(dialog)` on the next modal dialog the page opens (fill clicks its buttons)."""
    def attempt():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            fill(dialog)
        else:
            QTimer.singleShot(20, attempt)
    QTimer.singleShot(20, attempt)


def click_ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def type_into(qtbot, edit, text):
    """Digits are typed key by key; Chinese arrives through the input method, as a whole text."""
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.setText(text)


@pytest.fixture
def page(admin, qtbot):
    p = FundsPage(UiSession(admin))
    qtbot.addWidget(p)
    p.resize(1300, 700)
    p.show()
    p.activated()  # as the main window does when the page is shown
    settle(qtbot, p)
    return p


def select_line(page, line_id):
    assert page.line_table.select_key(line_id)


def test_add_and_cut_a_budget_with_its_reason(page, qtbot):
    def fill_add(d):
        assert isinstance(d, fd.AddBudgetDialog), type(d)
        d.year_box.setCurrentIndex(d.year_box.findData(2026))
        qtbot.waitUntil(lambda: d.source.findText("工会经费") >= 0)
        d.source.setCurrentIndex(d.source.findText("工会经费"))  # the sources listed from the policy
        type_into(qtbot, d.programme, "困难职工帮扶（测试）")
        type_into(qtbot, d.amount, "480000")
        type_into(qtbot, d.doc, "增工〔2026〕1号")
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_add)
    qtbot.mouseClick(page.add_button, Qt.LeftButton)
    settle(qtbot, page)
    line = next(v for v in page.lines.rows() if v.programme == "困难职工帮扶（测试）")
    assert page.line_table.current_item().id == line.id
    assert line.figures.budget_fen == 48_000_000

    seen = {}

    def fill_adjust(d):
        assert isinstance(d, fd.AdjustDialog) and d.decrease.isChecked()
        type_into(qtbot, d.amount, "210000")
        click_ok(qtbot, d)  # no reason yet: refused, the dialog stays open
        seen["error"] = d.error.text()
        seen["open"] = d.isVisible()
        d.reason.setPlainText("年中按财政要求压减经费")
        type_into(qtbot, d.doc, "增财预〔2026〕18号")
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_adjust)
    qtbot.mouseClick(page.adjust_button, Qt.LeftButton)
    settle(qtbot, page)
    assert "调整原因" in seen["error"] and seen["open"]
    line = page.line_table.current_item()
    assert line.figures.budget_fen == 27_000_000
    history = page.history.toPlainText()
    assert "调减 210,000.00 元：年中按财政要求压减经费（增财预〔2026〕18号）" in history
    assert "当前预算 270,000.00 元" in history


def test_allocate_and_record_the_reported_spending(page, qtbot, admin):
    line = funds.add_budget(admin, 2026, "财政预算资金", 100_000_000, "下拨测试")
    page.reload(line.id)
    settle(qtbot, page)
    select_line(page, line.id)

    def fill_allocate(d):
        assert isinstance(d, fd.AllocateDialog)
        qtbot.waitUntil(lambda: d.unit.count() > 1)
        d.unit.setCurrentIndex(1)
        type_into(qtbot, d.amount, "250000")
        type_into(qtbot, d.doc, "增工〔2026〕9号")
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_allocate)
    qtbot.mouseClick(page.allocate_button, Qt.LeftButton)
    settle(qtbot, page)
    allocated = [a for a in page.allocations.rows() if a.line_id == line.id]
    assert [a.amount_fen for a in allocated] == [25_000_000]
    assert "下拨" in page.history.toPlainText()

    page.tabs.setCurrentIndex(1)
    assert page.allocation_table.select_key(allocated[0].id)

    def fill_report(d):
        type_into(qtbot, d.spent, "240000")
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_report)
    qtbot.mouseClick(page.report_button, Qt.LeftButton)
    settle(qtbot, page)
    row = next(a for a in page.allocations.rows() if a.id == allocated[0].id)
    assert (row.reported_spent_fen, funds.rate_text(row.reported_rate_bp)) == (24_000_000, "96.00%")


def test_execution_rows_drill_down_to_payments(page, qtbot):
    page.tabs.setCurrentIndex(2)
    page.view.setCurrentIndex(page.view.findData("by_source"))
    rows = page.execution.rows()
    assert rows, "the demo year has budgets"
    paid = next(r for r in rows if r.figures.paid_fen)
    index = page.execution.index(page.execution.row_of(paid.key), 0)
    page.execution_table.scrollTo(index)
    rect = page.execution_table.visualRect(index)
    qtbot.mouseClick(page.execution_table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.execution_table.viewport(), Qt.LeftButton, pos=rect.center())
    settle(qtbot, page)
    payments = page.payments.rows()
    assert payments and paid.label in page.drill_label.text()
    assert sum(d.amount_fen for d in payments if d.state_label == "已发放") == paid.figures.paid_fen
    assert "执行率" in page.total_label.text()


def test_the_union_chosen_narrows_lines_allocations_and_execution(page, qtbot, admin):
    """A clerk picks a street union in 工会: 预算指标, 下拨 and 执行情况 list only its subtree's."""
    year = page.selected_year
    units = list_units(admin)
    district = next(u for u in units if u.level == "district")
    street = next(u for u in units if u.level == "street" and any(b.parent_id == u.id for b in units))
    below = next(u for u in units if u.parent_id == street.id)
    other = next(u for u in units if u.level == "street" and u.id != street.id)
    mine = funds.add_budget(admin, year, "工会经费", 5_000_000, "街道帮扶（测试）", unit_id=street.id)
    given = funds.add_budget(admin, year, "工会经费", 10_000_000, "下拨测试")  # the district's
    to_below = funds.allocate(admin, given.id, below.id, 1_000_000)
    to_other = funds.allocate(admin, given.id, other.id, 2_000_000)
    from_mine = funds.allocate(admin, mine.id, below.id, 500_000)
    click(qtbot, page.refresh_button)
    settle(qtbot, page)
    assert {mine.id, given.id} <= {v.id for v in page.lines.rows()}
    assert {to_below.id, to_other.id, from_mine.id} <= {a.id for a in page.allocations.rows()}
    assert district.id in {v.unit_id for v in page.lines.rows()}

    choose(qtbot, page.union, street.id)
    settle(qtbot, page)
    assert [v.id for v in page.lines.rows()] == [mine.id]
    assert page.line_table.current_item().id == mine.id and "街道帮扶（测试）" in page.history.toPlainText()
    allocations = page.allocations.rows()
    assert to_other.id not in {a.id for a in allocations}
    assert {to_below.id, from_mine.id} <= {a.id for a in allocations}
    assert all(a.unit_id in (street.id, below.id) for a in allocations)
    assert [r.key for r in page.report.by_line] == [str(mine.id)]
    assert page.status_text.startswith(f"{year} 年{street.name}预算 ")

    choose(qtbot, page.union, None)  # 全部工会: every line again
    settle(qtbot, page)
    assert {mine.id, given.id} <= {v.id for v in page.lines.rows()}
    assert to_other.id in {a.id for a in page.allocations.rows()}


def test_a_line_added_outside_the_union_chosen_is_shown_with_every_union(page, qtbot, admin):
    street = next(u for u in list_units(admin) if u.level == "street")
    choose(qtbot, page.union, street.id)
    settle(qtbot, page)
    assert page.lines.rows() == [] and street.name in page.history.toPlainText()

    def fill_add(d):
        qtbot.waitUntil(lambda: d.source.findText("工会经费") >= 0)
        d.source.setCurrentIndex(d.source.findText("工会经费"))
        type_into(qtbot, d.programme, "区级新增（测试）")
        type_into(qtbot, d.amount, "1000")
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_add)
    click(qtbot, page.add_button)
    settle(qtbot, page)
    assert page.union.unit_id() is None and page.union.currentText() == "全部工会"
    assert page.line_table.current_item().programme == "区级新增（测试）"
    assert len(page.lines.rows()) > 1


def test_a_fund_source_with_its_allowed_uses(page, qtbot):
    page.tabs.setCurrentIndex(3)

    def fill_source(d):
        type_into(qtbot, d.name, "省财政（测试）")
        qtbot.waitUntil(lambda: bool(d.types) and all(check.isVisible() for check in d.types))
        for check in d.types:
            if check.text() in ("季度救助",):
                qtbot.mouseClick(check, Qt.LeftButton)
        click_ok(qtbot, d)

    on_next_dialog(qtbot, fill_source)
    qtbot.mouseClick(page.source_button, Qt.LeftButton)
    settle(qtbot, page)
    added = next(s for s in page.sources.rows() if s.name == "省财政（测试）")
    assert added.allowed_relief_types == ("quarterly",) and added.allowed_text == "季度救助"


def test_the_plan_dialog_shows_its_working(page, qtbot):
    def look(d):
        qtbot.waitUntil(lambda: "合计" in d.text.toPlainText())
        seen["text"] = d.text.toPlainText()
        qtbot.mouseClick(d.close_button, Qt.LeftButton)

    seen = {}
    on_next_dialog(qtbot, look)
    qtbot.mouseClick(page.plan_button, Qt.LeftButton)
    assert "季度救助" in seen["text"] and "测算依据" in seen["text"] and "合计" in seen["text"]


def test_a_clerk_reads_but_does_not_set_budgets(clerk, qtbot):
    p = FundsPage(UiSession(clerk))
    qtbot.addWidget(p)
    p.activated()
    settle(qtbot, p)
    assert p.lines.rows()
    assert not p.add_button.isEnabled() and not p.carry_button.isEnabled()
    assert not p.adjust_button.isEnabled() and not p.source_button.isEnabled()


def test_a_head_bound_to_a_union_sets_its_budgets_but_not_the_fund_sources(admin, qtbot):
    """The fund sources hold for the whole office (domain/permissions.OFFICE_WIDE): a head bound
    to a street union adds budget lines for it, but 新增资金来源 is off and says why."""
    from tests.admin_helpers import user_context
    from zhibang_desktop.services.admin import org

    street = next(u for u in org.list_units(admin) if u.level == "street")
    head = user_context(admin, "street_head", ["head"], scope_unit_id=street.id)
    p = FundsPage(UiSession(head))
    qtbot.addWidget(p)
    p.activated()
    settle(qtbot, p)
    assert p.add_button.isEnabled()
    assert not p.source_button.isEnabled() and "对全单位生效" in p.source_button.toolTip()
