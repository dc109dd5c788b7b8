"""公示: notices of approved requests, their rosters, objections and the printed roster.

A notice is built as a draft from approved requests (relief type, period, union), published
(the entries are then frozen), objected to (recorded, then handled: upheld sends the request
back), and ended after its period. Seed 000: 公示 5 个工作日 before payout.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QTabWidget,
    QWidget,
)

from ...services.admin import audit
from ...services.payout import notices
from ...services.errors import ServiceError
from ...services.payout.types import NOTICE_FILTER_LABELS, NoticeView
from ..common import labels, messages
from .payout_models import (
    ENTRY_COLUMNS, NOTICE_COLUMNS, OBJECTION_COLUMNS, RowsModel, entry_foreground, notice_foreground,
    objection_foreground,
)
# the dialogs live in ..notice_dialogs; still importable from here (tests, screenshot tools)
from .notice_dialogs import HandleObjectionDialog, NoticeDialog, ObjectionDialog, notice_end, period_text
from ..common.executor import ChangeSummary
from ..common.page import Page, heading_label
from ..common.session import UiSession
from ..common.widgets.list_filters import code_combo, year_combo
from ..common.widgets.rows_table import RowsTable

MANAGE = "notice.manage"
NOTICES = ChangeSummary(notices=True)


# ---------------------------------------------------------------------------- the page

class NoticesPage(Page):
    REFRESH_ON = ("notices",)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.current: NoticeView | None = None
        can = session.can(MANAGE)

        self.status_filter = code_combo("全部状态", NOTICE_FILTER_LABELS)
        self.year_filter = year_combo()
        self.new_button = QPushButton("新建公示…")
        self.new_button.setEnabled(can)
        self.refresh_button = QPushButton("刷新")

        self.model = RowsModel(NOTICE_COLUMNS, self, foreground=notice_foreground)
        self.table = RowsTable(self.model)
        self.table.setMinimumHeight(120)

        # detail
        self.title_label = heading_label()
        self.title_label.setWordWrap(True)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #c62828;")

        self.edit_button = QPushButton("修改…")
        self.refresh_entries_button = QPushButton("刷新名单")
        self.refresh_entries_button.setToolTip("按筛选条件重新取已审批的申请（新审批的加入，金额按最新审批）")
        self.remove_entry_button = QPushButton("移出名单…")
        self.remark_button = QPushButton("备注…")
        self.delete_button = QPushButton("删除草稿")
        self.publish_button = QPushButton("发布公示")
        self.publish_button.setToolTip("发布后名单固定，不能再增删或修改")
        self.object_button = QPushButton("登记异议…")
        self.handle_button = QPushButton("处理异议…")
        self.close_button = QPushButton("结束公示")
        self.close_button.setToolTip("公示期满、异议都已处理后，标记公示结束")
        self.print_button = QPushButton("打印公示名单…")
        self.print_button.setToolTip("预览后可打印或另存为PDF")
        self._manage_buttons = (self.edit_button, self.refresh_entries_button, self.remove_entry_button,
                                self.remark_button, self.delete_button, self.publish_button, self.object_button,
                                self.handle_button, self.close_button, self.print_button)

        self.entries = RowsModel(ENTRY_COLUMNS, self, foreground=entry_foreground)
        self.entry_table = RowsTable(self.entries)
        self.objections = RowsModel(OBJECTION_COLUMNS, self, foreground=objection_foreground)
        self.objection_table = RowsTable(self.objections)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entry_table, "公示名单")
        self.tabs.addTab(self.objection_table, "异议登记")

        top = self.filter_bar((("状态", self.status_filter), ("年度", self.year_filter)),
                              (self.new_button, self.refresh_button))
        actions = QHBoxLayout()
        for b in (self.edit_button, self.refresh_entries_button, self.remove_entry_button, self.remark_button,
                  self.delete_button, self.publish_button, self.object_button, self.handle_button,
                  self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        self.list_above_detail(top, self.table, (self.title_label, self.info_label, self.warning_label, actions,
                                                 self.tabs), sizes=(170, 430))

        self.reload_on(self.status_filter, self.year_filter)
        self.new_button.clicked.connect(self.new_notice)
        self.refresh_button.clicked.connect(lambda: self.reload())  # not clicked(bool) as the first argument
        self.table.currentRowChanged.connect(lambda _: self._show_current())
        self.edit_button.clicked.connect(self.edit_notice)
        self.refresh_entries_button.clicked.connect(self.refresh_entries)
        self.remove_entry_button.clicked.connect(self.remove_entry)
        self.remark_button.clicked.connect(self.edit_remark)
        self.delete_button.clicked.connect(self.delete_notice)
        self.publish_button.clicked.connect(self.publish)
        self.object_button.clicked.connect(self.record_objection)
        self.handle_button.clicked.connect(self.handle_objection)
        self.close_button.clicked.connect(self.close_notice)
        self.print_button.clicked.connect(self.print_roster)
        self.entry_table.activatedRow.connect(lambda _: self.record_objection()
                                              if self.current and self.current.summary.status == "published" else None)
        self.objection_table.activatedRow.connect(lambda _: self.handle_objection())
        self.objection_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.entry_table.currentRowChanged.connect(lambda _: self._update_buttons())
        self.reload()

    # -- loading (off the GUI thread) --
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self.current.summary.id if self.current else None)
        ctx, status, year = self.ctx, self.status_filter.currentData(), self.year_filter.currentData()
        self.query(lambda: notices.list_notices(ctx, status, year), lambda rows: self._show_rows(rows, keep),
                   key="list")

    def _show_rows(self, rows, keep: int | None) -> None:
        self.model.set_rows(rows)
        if keep is None or not self.table.select_key(keep):
            if rows:
                self.table.selectRow(0)
        self._show_current()
        running = sum(1 for n in rows if n.status == "published" and not n.ended)
        ended = sum(1 for n in rows if n.status == "published" and n.ended)
        open_objections = sum(n.open_objections for n in rows)
        self.set_status(f"共 {len(rows)} 个公示，公示中 {running} 个"
                        + (f"，已期满未结束 {ended} 个" if ended else "")
                        + (f"，待处理异议 {open_objections} 条" if open_objections else ""))

    def _show_current(self) -> None:
        summary = self.table.current_item()
        if summary is None:
            self.show_notice(None)
            return
        ctx, notice_id = self.ctx, summary.id
        self.query(lambda: notices.get_notice(ctx, notice_id), self.show_notice, key="detail")

    def show_notice(self, view: NoticeView | None) -> None:
        self.current = view
        if view is None:
            self.title_label.setText("（没有公示。点“新建公示…”从已审批的申请建立公示名单）")
            self.info_label.setText("")
            self.warning_label.setText("")
            self.entries.set_rows([])
            self.objections.set_rows([])
            self._update_buttons()
            return
        s = view.summary
        self.title_label.setText(s.title)
        info = [f"状态：<b>{s.status_label}</b>", f"公示期：{period_text(s.start, s.end, s.working_days)}",
                f"名单：{s.entries} 人，合计 {labels.yuan(s.total_fen)} 元"]
        if view.phone:
            info.append(f"联系电话：{view.phone}")
        if view.place:
            info.append(f"公示地点：{view.place}")
        if view.object_to:
            info.append(f"异议受理：{view.object_to}")
        if s.published_at:
            info.append(f"发布：{s.published_by} {labels.moment(s.published_at)}")
        self.info_label.setText("　｜　".join(info))
        warning = f"⚠ {s.end_warning}" if s.end_warning else ""
        if s.open_objections:
            warning = "　".join(x for x in (warning, f"有 {s.open_objections} 条异议待处理：处理前涉及人员不能发放") if x)
        self.warning_label.setText(warning)
        self.warning_label.setVisible(bool(warning))
        self.entries.set_rows(view.entries)
        self.objections.set_rows(view.objections)
        self.tabs.setTabText(1, f"异议登记（{len(view.objections)}）" if view.objections else "异议登记")
        self._update_buttons()

    def _update_buttons(self) -> None:
        can = self.session.can(MANAGE)
        v = self.current
        status = v.summary.status if v else None
        draft, published = status == "draft", status == "published"
        entry = self.entry_table.current_item()
        has_open = bool(v and any(o.result == "open" for o in v.objections))
        self.edit_button.setVisible(draft)
        self.refresh_entries_button.setVisible(draft)
        self.remove_entry_button.setVisible(draft)
        self.remark_button.setVisible(draft)
        self.delete_button.setVisible(draft)
        self.publish_button.setVisible(draft)
        self.object_button.setVisible(published)
        self.handle_button.setVisible(status in ("published", "closed") and bool(v and v.objections))
        self.close_button.setVisible(published)
        for b in self._manage_buttons:
            b.setEnabled(can and v is not None)
        if can and v is not None:
            self.remove_entry_button.setEnabled(entry is not None)
            self.remark_button.setEnabled(entry is not None)
            self.publish_button.setEnabled(v.summary.entries > 0)
            self.handle_button.setEnabled(has_open)
            self.close_button.setEnabled(v.summary.ended and not has_open)
            self.close_button.setToolTip("公示期满、异议都已处理后，标记公示结束" if not v.summary.ended or has_open
                                         else "标记公示结束、不再登记异议（期满后不结束也已可发放）")
        self.print_button.setText("预览草稿名单…" if draft else "打印公示名单…")

    # -- commands --
    def _selected_entry(self):
        entry = self.entry_table.current_item()
        if entry is None:
            messages.info(self, "公示名单", "请先在公示名单中选择一人。")
        return entry

    def _store(self, fn, *args, title: str):
        """A write through the executor (announced to every page); None when refused (said why)."""
        return messages.guarded(self, lambda: self.executor.call(lambda: fn(*args), changes=NOTICES), title=title)

    def _after(self, view: NoticeView | None) -> None:
        """Show the notice just stored (the executor announced the change to every page)."""
        if view is not None:
            self.reload(view.summary.id)

    def new_notice(self) -> None:
        dialog = NoticeDialog(self.session, self.window())
        if dialog.exec() == QDialog.Accepted and dialog.result_view is not None:
            self.status_filter.setCurrentIndex(0)
            self._after(dialog.result_view)

    def edit_notice(self) -> None:
        if self.current is None:
            return
        dialog = NoticeDialog(self.session, self.window(), draft=self.current)
        if dialog.exec() == QDialog.Accepted:
            self._after(dialog.result_view)

    def refresh_entries(self) -> None:
        if self.current is not None:
            self._after(self._store(notices.refresh_notice, self.ctx, self.current.summary.id, title="无法刷新名单"))

    def remove_entry(self) -> None:
        entry = self._selected_entry()
        if entry is None or self.current is None:
            return
        reason, ok = QInputDialog.getText(self, "移出名单", f"把 {entry.name} 移出本次公示草稿。原因（可不填）：")
        if ok:
            self._after(self._store(notices.remove_notice_entry, self.ctx, entry.id, reason.strip(), title="无法移出"))

    def edit_remark(self) -> None:
        entry = self._selected_entry()
        if entry is None:
            return
        text, ok = QInputDialog.getText(self, "备注", f"{entry.name} 的备注（公开张贴，勿写病情、收入、证件号）：",
                                        QLineEdit.Normal, entry.remark)
        if ok:
            self._after(self._store(notices.set_entry_remark, self.ctx, entry.id, text.strip(),
                                    title="无法保存备注"))

    def delete_notice(self) -> None:
        if self.current is None:
            return
        if not messages.ask(self, "删除草稿", f"删除公示草稿“{self.current.summary.title}”？名单中的人员可以重新公示。",
                            yes="删除", no="取消"):
            return
        notice_id = self.current.summary.id
        try:
            self.executor.call(lambda: notices.delete_notice(self.ctx, notice_id), changes=NOTICES)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法删除")
            return
        self.current = None
        self.reload()

    def publish(self) -> None:
        v = self.current
        if v is None:
            return
        s, ctx = v.summary, self.ctx

        def stored_end(exc: Exception) -> None:
            if not isinstance(exc, (ServiceError, ValueError)):
                raise exc
            self._confirm_publish(s, (s.end, s.end_warning))

        # the end date on today's calendar, worked out off the GUI thread, goes into the question
        self.query(lambda: notice_end(ctx, s.start, s.working_days), lambda found: self._confirm_publish(s, found),
                   stored_end, key="publish")

    def _confirm_publish(self, s, found) -> None:
        end, warning = found
        text = (f"发布“{s.title}”？\n\n名单 {s.entries} 人，合计 {labels.yuan(s.total_fen)} 元。\n"
                f"公示期：{period_text(s.start, end, s.working_days)}。\n\n"
                "发布后名单即固定（姓名、工会、救助类型、金额），不能再增删或修改；"
                "发现问题只能通过登记、处理异议撤下。")
        if warning:
            text += f"\n\n⚠ {warning}"
        if not messages.ask(self, "发布公示", text, yes="发布", no="取消"):
            return
        self._after(self._store(notices.publish_notice, self.ctx, s.id, title="无法发布"))

    def record_objection(self) -> None:
        if self.current is None or self.current.summary.status != "published":
            return
        entry = self.entry_table.current_item()
        dialog = ObjectionDialog(self.session, self.current, entry.id if entry else None, self.window())
        if dialog.exec() == QDialog.Accepted:
            self.reload(self.current.summary.id)
            self.tabs.setCurrentIndex(1)

    def handle_objection(self) -> None:
        if self.current is None:
            return
        objection = self.objection_table.current_item()
        if objection is None or objection.result != "open":
            objection = next((o for o in self.current.objections if o.result == "open"), None)
        if objection is None:
            messages.info(self, "处理异议", "没有待处理的异议。")
            return
        dialog = HandleObjectionDialog(self.session, objection, self.window())
        if dialog.exec() == QDialog.Accepted:
            self.reload(self.current.summary.id)
            self.tabs.setCurrentIndex(1)

    def close_notice(self) -> None:
        if self.current is not None:
            self._after(self._store(notices.close_notice, self.ctx, self.current.summary.id, title="无法结束公示"))

    def print_roster(self):
        # the roster's PDF code and the preview (reportlab, pdfium) load when first used
        from ...services.payout import printing as payout_print
        from ..printing.print_preview import build_and_preview

        v = self.current
        if v is None:
            return None
        notice_id, title = v.summary.id, v.summary.title
        ctx = self.ctx

        built = []

        def build(path, progress, cancelled):
            # the preview records nothing; what is printed or saved from it is recorded below
            built.append(payout_print.build_roster(ctx, notice_id, path, progress=progress, cancelled=cancelled))
            return built[-1]

        def printed(how: str, where: str, pages: int) -> None:
            people = f"{built[-1].rows} 人，" if built else ""
            summary = (f"打印公示名单“{title}”：{people}送打印机 {where}，{pages} 页"
                       if how == "printer" else f"公示名单“{title}”另存为 PDF：{people}{where}")
            kind = "print" if how == "printer" else "export"
            self.executor.call(lambda: audit.record_event(ctx, kind, "notice", notice_id, summary=summary))

        name = f"公示名单_{labels.day(v.summary.start)}.pdf"
        return build_and_preview(self.window(), "公示名单", build, printed, suggested_name=name,
                                 label=f"正在生成公示名单（{v.summary.entries} 人）……")
