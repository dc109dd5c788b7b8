"""救助金发放: disbursement batches, their lines and what happens to each payment.

Seed 000: wrong account numbers bounced and were re-paid three weeks later, 14 households
renounced, a recipient died (paid through the union); seed 002: cash only against signatures
on the real-name list. The services refuse paying a request twice whatever the order of
clicks; this page shows their reasons.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QMenu, QPushButton, QWidget,
)

from ...domain.money import format_yuan
from ...services import payout
from ...services.payout import batch_attachments, receipt_prints
from ...services.errors import ServiceError
from ...services.payout.types import BATCH_STATUS_LABELS, LINE_STATE_LABELS, BatchView, LineView
from ..common import labels, messages
from .batch_dialogs import (
    NewBatchDialog, ReissueDialog, ReturnsDialog, batch_paid_dialog, method_dialog, paid_dialog, proxy_dialog,
    relative_dialog, renounced_dialog, returned_dialog,
)
from .payout_models import BATCH_COLUMNS, LINE_COLUMNS, RowsModel, batch_foreground, line_background, \
    line_foreground
from ..common.executor import ChangeSummary
from ..common.page import Page, heading_label
from ..common.session import UiSession
from ..common.widgets.list_filters import code_combo, year_combo
from ..common.widgets.rows_table import RowsTable
from ..common.widgets.union_combo import union_filter

MANAGE = "payout.manage"
PAYOUTS = ChangeSummary(payouts=True)
ACCOUNT_METHODS = ("bank_transfer", "social_security_card")
RETURN_FILTER = "银行回执 (*.xlsx *.csv);;Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"


class BatchesPage(Page):
    REFRESH_ON = ("payouts",)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.current: BatchView | None = None
        can = session.can(MANAGE)

        self.status_filter = code_combo("全部状态", BATCH_STATUS_LABELS)
        self.year_filter = year_combo()
        self.month_filter = QComboBox()
        self.month_filter.addItem("全部月份", None)
        for m in range(1, 13):
            self.month_filter.addItem(f"{m} 月", m)
        self.month_filter.setToolTip("该月发放的批次（发放日期在该月，或有明细在该月发放）；先选年度")
        self.month_filter.setEnabled(False)
        # the batches holding a line of a union's subtree (in a city's database: of one county)
        self.union_filter = union_filter(session)
        self.union_filter.setMinimumWidth(180)
        self.union_filter.setToolTip("有该工会（含下属工会）人员的批次，人数与金额只计其人员")
        self.new_button = QPushButton("新建批次…")
        self.new_button.setEnabled(can or session.can("payout.override"))
        self.reissue_button = QPushButton("退票重新发放…")
        self.reissue_button.setEnabled(can)
        self.templates_button = QPushButton("银行模板…")
        self.templates_button.setToolTip("银行代发文件的列格式（管理员维护）")
        self.refresh_button = QPushButton("刷新")

        self.model = RowsModel(BATCH_COLUMNS, self, foreground=batch_foreground)
        self.table = RowsTable(self.model)
        self.table.setMinimumHeight(110)

        self.title_label = heading_label()
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        # line actions
        self.paid_button = QPushButton("登记已发放…")
        self.paid_button.setToolTip("选中的待发放明细已领取/已到账（可多选）")
        self.all_paid_button = QPushButton("全部已发放…")
        self.returned_button = QPushButton("银行退票…")
        self.renounced_button = QPushButton("本人放弃…")
        self.relative_button = QPushButton("亲属领取（已故）…")
        self.method_button = QPushButton("发放方式…")
        self.proxy_button = QPushButton("代领人…")
        self.remove_button = QPushButton("移出批次…")
        self.line_buttons = (self.paid_button, self.all_paid_button, self.returned_button, self.renounced_button,
                             self.relative_button, self.method_button, self.proxy_button, self.remove_button)
        # batch actions
        self.print_button = QPushButton("打印签领表…")
        self.print_button.setToolTip("实名制签领表：预览后打印或另存为PDF")
        self.full_id = QCheckBox("含完整身份证号（内部存档）")
        self.full_id.setToolTip("默认身份证号脱敏；内部存档本才打印完整号码，不得张贴或外传")
        self.attach_button = QPushButton("附签字扫描件…")
        self.attach_button.setToolTip("领取人签字后的签领表扫描件（PDF 或图片），存入数据库，随备份保存")
        self.export_button = QPushButton("导出银行代发文件…")
        self.import_button = QPushButton("导入银行回执…")
        self.close_button = QPushButton("结束批次")
        self.close_button.setToolTip("所有明细都已处理（无待发放）后，标记批次完成")

        self.lines = RowsModel(LINE_COLUMNS, self, foreground=line_foreground, background=line_background)
        self.line_table = RowsTable(self.lines, multi=True)
        self.line_table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.line_table.customContextMenuRequested.connect(self._line_menu)

        top = self.filter_bar((("状态", self.status_filter), ("年度", self.year_filter), ("", self.month_filter),
                               ("工会", self.union_filter)),
                              (self.new_button, self.reissue_button, self.templates_button, self.refresh_button))
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.print_button)
        batch_row.addWidget(self.full_id)
        batch_row.addWidget(self.attach_button)
        batch_row.addSpacing(12)
        batch_row.addWidget(self.export_button)
        batch_row.addWidget(self.import_button)
        batch_row.addStretch(1)
        batch_row.addWidget(self.close_button)
        line_row = QHBoxLayout()
        line_row.addWidget(QLabel("选中明细："))
        for b in self.line_buttons:
            line_row.addWidget(b)
        line_row.addStretch(1)
        self.list_above_detail(top, self.table, (self.title_label, self.totals_label, batch_row, line_row,
                                                 self.line_table), sizes=(185, 420))

        self.reload_on(self.status_filter, self.year_filter, self.month_filter, self.union_filter)
        self.year_filter.currentIndexChanged.connect(
            lambda _: self.month_filter.setEnabled(self.year_filter.currentData() is not None))
        self.new_button.clicked.connect(self.new_batch)
        self.reissue_button.clicked.connect(self.reissue)
        self.templates_button.clicked.connect(self.edit_templates)
        self.refresh_button.clicked.connect(lambda: self.reload())  # not clicked(bool) as the first argument
        self.table.currentRowChanged.connect(lambda _: self._show_current())
        self.line_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.line_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.paid_button.clicked.connect(self.mark_paid)
        self.all_paid_button.clicked.connect(self.mark_all_paid)
        self.returned_button.clicked.connect(lambda: self._line_form(returned_dialog))
        self.renounced_button.clicked.connect(lambda: self._line_form(renounced_dialog))
        self.relative_button.clicked.connect(lambda: self._line_form(relative_dialog))
        self.method_button.clicked.connect(self.change_method)
        self.proxy_button.clicked.connect(lambda: self._line_form(proxy_dialog))
        self.remove_button.clicked.connect(self.remove_line)
        self.print_button.clicked.connect(self.print_receipts)
        self.attach_button.clicked.connect(lambda: self.attach_scan())  # not clicked(bool) as the path
        self.export_button.clicked.connect(lambda: self.export_bank_file())  # not clicked(bool) as the first argument
        self.import_button.clicked.connect(lambda: self.import_returns())  # not clicked(bool) as the first argument
        self.close_button.clicked.connect(self.close_batch)
        self.reload()

    # -- loading (off the GUI thread) --
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self.current.summary.id if self.current else None)
        ctx, status, year = self.ctx, self.status_filter.currentData(), self.year_filter.currentData()
        month = self.month_filter.currentData() if year is not None else None
        unit = self.union_filter.unit_id()
        self.query(lambda: payout.list_batches(ctx, status, year, month, unit), lambda rows: self._show_rows(rows, keep),
                   key="list")

    def show_filtered(self, *, year: int | None = None, month: int | None = None, status: str | None = None,
                      unit_id: int | None = None) -> None:
        """Show the batches of a year (and month) and union, e.g. from a bar of the dashboard."""
        combos = (self.status_filter, self.year_filter, self.month_filter, self.union_filter)
        for combo in combos:
            combo.blockSignals(True)
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(status), 0) if status else 0)
        index = self.year_filter.findData(year) if year is not None else 0
        if index < 0:
            self.year_filter.addItem(f"{year} 年", year)
            index = self.year_filter.count() - 1
        self.year_filter.setCurrentIndex(index)
        self.month_filter.setCurrentIndex(month if year is not None and month else 0)
        self.month_filter.setEnabled(year is not None)
        self.union_filter.set_unit_id(unit_id, emit=False)
        for combo in combos:
            combo.blockSignals(False)
        self.reload()

    def _show_rows(self, rows, keep: int | None) -> None:
        self.model.set_rows(rows)
        if keep is None or not self.table.select_key(keep):
            if rows:
                self.table.selectRow(0)
        self._show_current()
        pending = sum(b.pending for b in rows)
        returned = sum(b.returned for b in rows)
        self.set_status(f"共 {len(rows)} 个批次，待发放 {pending} 人" + (f"，退票待处理 {returned} 人" if returned else ""))

    def _show_current(self) -> None:
        summary = self.table.current_item()
        if summary is None:
            self.show_batch(None)
            return
        ctx, batch_id = self.ctx, summary.id
        self.query(lambda: (payout.get_batch(ctx, batch_id), batch_attachments.list_batch_attachments(ctx, batch_id),
                            receipt_prints.list_receipt_prints(ctx, batch_id)),
                   lambda found: self.show_batch(*found), key="detail")

    def show_batch(self, view: BatchView | None, scans=(), prints=()) -> None:
        """The batch's detail; `scans`: the signed 签领表 attached to it; `prints`: who printed it, when."""
        selected = {x.id for x in self.line_table.selected_items()} if self.current and view and \
            self.current.summary.id == view.summary.id else set()
        self.current = view
        if view is None:
            self.title_label.setText("（还没有发放批次。点“新建批次…”从公示期满的已审批申请建立）")
            self.totals_label.setText("")
            self.lines.set_rows([])
            self._update_buttons()
            return
        s = view.summary
        self.title_label.setText(f"批次 {s.number}　{s.kind_label}　发放日期 {labels.day(s.pay_date)}"
                                 + (f"　{s.title}" if s.title else "") + f"　［{s.status_label}］")
        parts = [f"共 {s.lines} 人，{labels.yuan(s.total_fen)} 元", f"已发放 {labels.yuan(s.paid_fen)} 元"]
        for state, fen in view.totals_by_state.items():
            if state not in ("paid", "paid_to_relative"):
                count = sum(1 for x in view.lines if x.state == state)
                parts.append(f"{LINE_STATE_LABELS.get(state, state)} {count} 人 {labels.yuan(fen)} 元")
        parts.append(f"签领表打印 {len(prints)} 次（最近：{prints[-1].text}）" if prints else "签领表：未打印")
        parts.append(f"签字扫描件 {len(scans)} 份" if scans else "签字扫描件：未附")
        if view.totals_by_fund:
            parts.append("资金来源：" + "，".join(f"{k} {labels.yuan(v)} 元" for k, v in view.totals_by_fund.items()))
        self.totals_label.setText("　｜　".join(parts))
        self.lines.set_rows(view.lines)
        for line_id in selected:
            row = self.lines.row_of(line_id)
            if row >= 0:
                self.line_table.selectionModel().select(
                    self.lines.index(row, 0), self.line_table.selectionModel().Select
                    | self.line_table.selectionModel().Rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        can = self.session.can(MANAGE)
        v = self.current
        chosen = self.line_table.selected_items() if v else []
        one = chosen[0] if len(chosen) == 1 else None
        open_batch = bool(v and v.summary.status == "open")
        pending = [x for x in chosen if x.state == "pending"]
        self.paid_button.setEnabled(can and open_batch and bool(chosen) and len(pending) == len(chosen))
        self.all_paid_button.setEnabled(can and open_batch and bool(v and v.summary.pending))
        self.returned_button.setEnabled(can and one is not None and one.state in ("pending", "paid")
                                        and one.method in ACCOUNT_METHODS)
        self.renounced_button.setEnabled(can and one is not None and one.state in ("pending", "paid", "returned"))
        for b in (self.relative_button, self.method_button, self.proxy_button, self.remove_button):
            b.setEnabled(can and open_batch and one is not None and one.state == "pending")
        self.proxy_button.setEnabled(self.proxy_button.isEnabled() and one is not None and one.method == "cash")
        has_lines = bool(v and v.lines)
        self.print_button.setEnabled(can and has_lines)
        self.full_id.setEnabled(can and has_lines)
        self.attach_button.setEnabled(can and has_lines)
        self.export_button.setEnabled(can and bool(v and any(x.state == "pending" and x.method in ACCOUNT_METHODS
                                                            for x in v.lines)))
        self.import_button.setEnabled(can and bool(v and any(x.method in ACCOUNT_METHODS for x in v.lines)))
        self.close_button.setEnabled(can and open_batch and bool(v and not v.summary.pending))
        self.templates_button.setEnabled(self.session.can("org.edit") or can)

    def _line_menu(self, pos) -> None:
        menu = QMenu(self)
        for b in self.line_buttons:
            action = QAction(b.text(), menu)
            action.setEnabled(b.isEnabled())
            action.triggered.connect(b.click)
            menu.addAction(action)
        menu.exec(self.line_table.viewport().mapToGlobal(pos))

    # -- helpers --
    def _one_line(self) -> LineView | None:
        chosen = self.line_table.selected_items()
        if len(chosen) != 1:
            messages.info(self, "发放明细", "请在明细中选择一人。")
            return None
        return chosen[0]

    def _store(self, fn, *args, title: str):
        """A write through the executor, announced to every page (this one reloads, keeping the
        batch shown); None when refused (said why)."""
        return messages.guarded(self, lambda: self.executor.call(lambda: fn(*args), changes=PAYOUTS), title=title)

    # -- line commands (the dialogs store through the executor; the announced change reloads) --
    def _line_form(self, make) -> None:
        line = self._one_line()
        if line is not None:
            make(self.session, line, self.window()).exec()

    def mark_paid(self) -> None:
        chosen = self.line_table.selected_items()
        if chosen:
            paid_dialog(self.session, chosen, self.window()).exec()

    def mark_all_paid(self) -> None:
        if self.current:
            batch_paid_dialog(self.session, self.current, self.window()).exec()

    def change_method(self) -> None:
        line = self._one_line()
        if line is not None and self.current is not None:
            method_dialog(self.session, line, self.current.summary.pay_date.year, self.window()).exec()

    def remove_line(self) -> None:
        line = self._one_line()
        if line is None:
            return
        reason, ok = QInputDialog.getText(self, "移出批次", f"把 {line.name} 移出本批次（申请可以放入以后的批次）。原因：")
        if ok:
            self._store(payout.remove_line, self.ctx, line.id, reason.strip(), title="无法移出")

    # -- batch commands --
    def new_batch(self) -> None:
        dialog = NewBatchDialog(self.session, self.window())
        if dialog.exec() == QDialog.Accepted and dialog.result_view is not None:
            self.status_filter.setCurrentIndex(0)
            self.reload(dialog.result_view.summary.id)

    def reissue(self) -> None:
        preselect = {x.id for x in self.line_table.selected_items() if x.state == "returned"} or None
        dialog = ReissueDialog(self.session, self.window(), preselect)
        if dialog.exec() == QDialog.Accepted and dialog.result_view is not None:
            self.reload(dialog.result_view.summary.id)

    def edit_templates(self) -> None:
        from .bank_templates_dialog import BankTemplatesDialog

        BankTemplatesDialog(self.session, self.window()).exec()

    def close_batch(self) -> None:
        if self.current is None:
            return
        s = self.current.summary
        if messages.ask(self, "结束批次", f"批次 {s.number} 已全部处理完毕，标记为已完成？", yes="标记完成", no="取消"):
            self._store(payout.close_batch, self.ctx, s.id, title="无法结束批次")

    def attach_scan(self, path: str | None = None):
        """Attach the scan of the signed 签领表 to the batch."""
        if self.current is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择签字后的签领表扫描件", str(Path.home()),
                                                  "扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;所有文件 (*)")
            if not path:
                return None
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            messages.warn(self, "无法读取文件", str(exc))
            return None
        view = self._store(batch_attachments.add_batch_attachment, self.ctx, self.current.summary.id,
                           Path(path).name, data, title="无法附上扫描件")
        if view is not None:
            self.set_status(f"已附上签字扫描件：{view.filename}")
        return view

    # The PDF, bank-file and template code (reportlab, openpyxl, pdfium) loads when first used,
    # not with the page.
    def print_receipts(self):
        from ...services.payout import printing as payout_print
        from ..printing.print_preview import build_and_preview

        v = self.current
        if v is None:
            return None
        full = self.full_id.isChecked()
        if full and not messages.ask(
                self, "内部存档本", "将打印完整身份证号。此本只用于内部存档，不得张贴、外传；打印和保存都会记入审计日志。继续吗？",
                yes="继续", no="取消"):
            return None
        batch_id, number, ctx = v.summary.id, v.summary.number, self.ctx

        built = []

        def build(path, progress, cancelled):
            # the preview records nothing; what is printed or saved from it is recorded below
            built.append(payout_print.build_receipts(ctx, batch_id, path, full_id=full, progress=progress,
                                                     cancelled=cancelled))
            return built[-1]

        copy = "（内部存档本，含完整身份证号）" if full else ""

        def printed(how: str, where: str, pages: int) -> None:
            # recorded as printed for its lines: cash lines are then marked paid against it
            what = f"{built[-1].rows} 人，{format_yuan(built[-1].total_fen)} 元，" if built else ""
            summary = (f"打印批次 {number} 签领表{copy}：{what}送打印机 {where}，{pages} 页"
                       if how == "printer" else f"批次 {number} 签领表{copy}另存为 PDF：{what}{where}")
            receipts, kind = built[-1], "print" if how == "printer" else "export"
            self.executor.call(lambda: payout_print.record_receipt_print(ctx, batch_id, receipts, full_id=full,
                                                                         how=kind, summary=summary),
                               changes=PAYOUTS)

        name = f"签领表_{number}{'_内部存档' if full else ''}.pdf"
        return build_and_preview(self.window(), "签领表" + ("（内部存档）" if full else ""), build, printed,
                                 suggested_name=name, label=f"正在生成批次 {number} 的签领表（{v.summary.lines} 人）……")

    def export_bank_file(self, path: str | None = None, template: str | None = None):
        from ...services.payout import bank_files
        from .bank_templates_dialog import ChooseTemplateDialog

        v = self.current
        if v is None:
            return None
        count = sum(1 for x in v.lines if x.state == "pending" and x.method in ACCOUNT_METHODS)
        if template is None:
            chooser = ChooseTemplateDialog(self.session, v.summary.number, count, self.window())
            if chooser.exec() != QDialog.Accepted:
                return None
            template = chooser.template_name()
        if path is None:
            default = str(Path.home() / f"银行代发_{v.summary.number}.xlsx")
            path, _ = QFileDialog.getSaveFileName(self, "保存银行代发文件", default, "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        batch_id, ctx = v.summary.id, self.ctx
        try:
            result = self.executor.run_with_progress(
                self.window(), "导出银行代发文件", f"正在写入并核对 {count} 笔……",
                lambda progress, cancelled: bank_files.export_bank_file(ctx, batch_id, path, template),
                cancellable=False)
        except (ServiceError, OSError) as exc:
            messages.warn(self, "导出失败", str(exc))
            return None
        detail = f"文件：{result.path}\n模板：{result.template}"
        if result.skipped:
            detail += "\n\n未写入文件的明细：\n" + "\n".join(result.skipped[:30]) + \
                      ("\n……" if len(result.skipped) > 30 else "")
        messages.info(self, "导出银行代发文件",
                      f"已导出 {result.count} 笔，合计 {labels.yuan(result.total_fen)} 元（已重新读取核对）。", detail)
        return result

    def import_returns(self, path: str | None = None):
        from ...services.payout import bank_files

        v = self.current
        if v is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择银行回执（退票/失败明细）", str(Path.home()), RETURN_FILTER)
            if not path:
                return None
        batch_id, ctx, name = v.summary.id, self.ctx, Path(path).name
        try:
            preview = self.executor.run_with_progress(
                self.window(), "导入银行回执", f"正在读取“{name}”……",
                lambda progress, cancelled: bank_files.import_returns(ctx, batch_id, path, apply=False),
                cancellable=False)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法读取银行回执")
            return None
        except OSError as exc:
            messages.warn(self, "无法读取银行回执", str(exc))
            return None
        if ReturnsDialog(preview, name, self.window()).exec() != QDialog.Accepted:
            return preview
        try:
            result = self.executor.run_with_progress(
                self.window(), "导入银行回执", f"正在导入“{name}”……",
                lambda progress, cancelled: bank_files.import_returns(ctx, batch_id, path),
                changes=PAYOUTS, cancellable=False)
        except (ServiceError, OSError) as exc:
            messages.warn(self, "导入失败", f"{exc}\n没有改动任何明细。")
            return None
        ReturnsDialog(result, name, self.window()).exec()
        return result

    def focus_lines(self) -> None:
        self.line_table.setFocus()


__all__ = ["BatchesPage"]
