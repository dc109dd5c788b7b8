"""The request view: what was asked, the rule findings, and the timeline — created,
submitted, each level's decision with reviewer, opinion, time, due date and whether it
was late — plus the level whose turn it is.  Buttons for what the user may do now
(review, edit, withdraw, print the 审批表)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...services import relief
from ...services.errors import ServiceError
from ...services.relief.types import RequestView, ReviewView, TimelineEntry
from ..common import labels, messages
from .relief_common import (
    ERROR_COLOR,
    MUTED_COLOR,
    STATUS_COLORS,
    WARNING_COLOR,
    findings_html,
    print_approval_flow,
    request_changed,
)
from .request_summary import summary_html
from ..common.session import UiSession

TIMELINE_HEADERS = ("时间", "事项", "操作人", "意见 / 说明", "应完成日期", "是否超期")
PAST_HEADERS = ("日期", "救助类型", "金额(元)", "来源")
REVIEW_KINDS = ("approve", "reject", "return")


def _item(text: str, color: str | None = None, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled)
    if color:
        item.setForeground(QBrush(QColor(color)))
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(headers: tuple[str, ...], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for i in range(len(headers)):
        header.setSectionResizeMode(i, QHeaderView.Stretch if i == stretch else QHeaderView.ResizeToContents)
    return table


def timeline_rows(v: RequestView) -> list[tuple[str, str, str, str, str, str, str | None, str]]:
    """(time, event, actor, detail, due, overdue, colour, tooltip) per line, oldest first,
    then the level whose turn it is."""
    reviews: dict[tuple, ReviewView] = {(r.decided_at, r.decision): r for r in v.reviews}
    out = []
    for e in v.timeline:
        due = late = ""
        color = None
        tooltip = ""
        r = reviews.get((e.at, e.kind)) if e.kind in REVIEW_KINDS else None
        if r is not None:
            due = labels.day(r.due_date)
            late = "超期" if r.overdue else "按期"
            color = ERROR_COLOR if r.overdue else None
            tooltip = r.due_warning or ""
            if r.justification:
                tooltip = (tooltip + "\n" if tooltip else "") + f"核减说明：{r.justification}"
        elif e.kind in ("reject", "withdrawn"):
            color = MUTED_COLOR
        out.append((labels.moment(e.at), _event_label(e), e.actor, e.detail, due, late, color, tooltip))
    p = v.pending
    if p is not None:
        late = p.overdue
        out.append((labels.moment(p.received_at), f"等待{p.level_name}审核", "", f"{p.working_days_allowed} 个工作日内完成",
                    labels.day(p.due_date), "已超期" if late else "未到期",
                    ERROR_COLOR if late else (WARNING_COLOR if p.due_warning else None), p.due_warning or ""))
    return out


def _event_label(e: TimelineEntry) -> str:
    return e.label


class RequestViewDialog(QDialog):
    changed = Signal(int)

    def __init__(self, session: UiSession, view: RequestView | None = None, request_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(self.windowFlags() | Qt.WindowMinMaxButtonsHint)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.session = session
        self.view = view

        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.pending = QLabel()
        self.pending.setTextFormat(Qt.RichText)
        self.pending.setWordWrap(True)

        self.timeline = _table(TIMELINE_HEADERS, 3)
        self.timeline.horizontalHeader().sectionResized.connect(lambda *_: self.timeline.resizeRowsToContents())
        self.findings = QLabel()
        self.findings.setTextFormat(Qt.RichText)
        self.findings.setWordWrap(True)
        self.findings.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.past = _table(PAST_HEADERS, 1)
        self.attachments = _table(("文件名", "材料类型", "大小", "添加人", "添加时间"), 0)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, "审核流程与时间线")
        findings_box = QWidget()
        fl = QVBoxLayout(findings_box)
        fl.addWidget(self.findings)
        fl.addStretch(1)
        self.tabs.addTab(findings_box, "政策核查")
        self.tabs.addTab(self.past, "以往救助")
        self.tabs.addTab(self.attachments, "附件")

        self.review_button = QPushButton("审核…")
        self.edit_button = QPushButton("修改 / 提交…")
        self.withdraw_button = QPushButton("撤回")
        self.print_button = QPushButton("打印审批表…")
        self.close_button = QPushButton("关闭")
        buttons = QHBoxLayout()
        for b in (self.review_button, self.edit_button, self.withdraw_button, self.print_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addWidget(self.pending)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self.review_button.clicked.connect(self.review)
        self.edit_button.clicked.connect(self.edit)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.print_button.clicked.connect(self.print_form)
        self.close_button.clicked.connect(self.close)
        session.changed.connect(self._changed)

        if view is None and request_id is not None:
            self.reload(request_id)
        else:
            self.show_view(view)
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1060, 690
        if screen is not None:
            width, height = min(width, screen.width() - 20), min(height, screen.height() - 40)
        self.resize(width, height)

    # -- showing --
    def reload(self, request_id: int | None = None) -> None:
        rid = request_id if request_id is not None else (self.view.id if self.view else None)
        if rid is None:
            return
        try:
            self.show_view(relief.get_request(self.session.ctx, rid))
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法读取申请")

    def _changed(self, changes) -> None:
        if changes.requests and self.view is not None and changes.request_id == self.view.id and self.isVisible():
            self.reload()

    def show_view(self, v: RequestView | None) -> None:
        self.view = v
        if v is None:
            return
        self.setWindowTitle(f"救助申请 {v.number} — {v.name}")
        color = STATUS_COLORS.get(v.status, QColor("#1f4e8c")).name()
        extra = ""
        if v.self_approved:
            extra = f"　<span style='color:{WARNING_COLOR}'>经办人本人审批（政策允许一人办公室自审）</span>"
        if v.source == "ledger":
            extra += f"　<span style='color:{MUTED_COLOR}'>由历史发放台账导入</span>"
        self.header.setText(f"<span style='font-size:12pt'><b>救助申请 {html.escape(v.number)}</b></span>　"
                            f"状态：<b style='color:{color}'>{html.escape(v.status_label)}</b>{extra}")
        self.summary.setText(summary_html(v))
        self._show_pending(v)
        self._fill_timeline(v)
        self.findings.setText(findings_html(v.findings, none_text="提交时未发现不符合政策标准的情况")
                              + (f"<p><b>书面说明：</b>{html.escape(v.justification)}</p>" if v.justification else ""))
        self._fill_past(v)
        self._fill_attachments(v)
        self.review_button.setVisible(v.can_review)
        self.edit_button.setVisible(v.can_edit)
        self.withdraw_button.setVisible(v.can_withdraw)

    def _show_pending(self, v: RequestView) -> None:
        p = v.pending
        if p is None:
            self.pending.hide()
            return
        late = f"<b style='color:{ERROR_COLOR}'>（已超期）</b>" if p.overdue else ""
        text = (f"当前由 <b>{html.escape(p.level_name)}</b> 审核：{labels.moment(p.received_at)} 收到，"
                f"应于 <b>{labels.day(p.due_date)}</b> 前完成{late}（{p.working_days_allowed} 个工作日）")
        if p.due_warning:
            text += f"<br><span style='color:{WARNING_COLOR}'>⚠ {html.escape(p.due_warning)}</span>"
        self.pending.setText(text)
        self.pending.show()

    def _fill_timeline(self, v: RequestView) -> None:
        rows = timeline_rows(v)
        self.timeline.setRowCount(len(rows))
        for i, (at, event, actor, detail, due, late, color, tooltip) in enumerate(rows):
            for j, text in enumerate((at, event, actor, detail, due, late)):
                c = color if (j in (1, 4, 5) or color == MUTED_COLOR) else None
                self.timeline.setItem(i, j, _item(text, c, tooltip))
        self.timeline.resizeRowsToContents()

    def _fill_past(self, v: RequestView) -> None:
        self.past.setRowCount(len(v.previous_aid))
        sources = {"request": "救助申请", "ledger": "历史台账", "disbursement": "发放批次"}
        for i, a in enumerate(v.previous_aid):
            for j, text in enumerate((labels.day(a.on), a.relief_type_name, labels.yuan(a.amount_fen),
                                      (a.number + " " if a.number else "") + sources.get(a.source, a.source))):
                self.past.setItem(i, j, _item(text))
        self.tabs.setTabText(2, f"以往救助（{len(v.previous_aid)}）")

    def _fill_attachments(self, v: RequestView) -> None:
        self.attachments.setRowCount(len(v.attachments))
        for i, a in enumerate(v.attachments):
            for j, text in enumerate((a.filename, a.kind, labels.file_size(a.size), a.added_by,
                                      labels.moment(a.added_at))):
                self.attachments.setItem(i, j, _item(text))
        self.tabs.setTabText(3, f"附件（{len(v.attachments)}）")

    def timeline_text(self) -> str:
        """Every cell of the timeline, row by row (what the clerk reads)."""
        lines = []
        for i in range(self.timeline.rowCount()):
            lines.append(" | ".join(self.timeline.item(i, j).text() if self.timeline.item(i, j) else ""
                                    for j in range(self.timeline.columnCount())))
        return "\n".join(lines)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.timeline.resizeRowsToContents()  # wrapped opinions, at the real column widths

    # -- commands --
    def review(self):
        from .review_dialog import ReviewDialog

        if self.view is None:
            return None
        dialog = ReviewDialog(self.session, view=self.view, parent=self)
        dialog.show()
        return dialog

    def edit(self):
        from .relief_request_dialog import ReliefRequestDialog

        if self.view is None:
            return None
        dialog = ReliefRequestDialog(self.session, view=self.view, parent=self.parentWidget())
        dialog.show()
        self.close()
        return dialog

    def withdraw(self) -> None:
        v = self.view
        if v is None or not messages.ask(self, "撤回申请", f"撤回 {v.number}（{v.name}，{v.relief_type_name}）？\n"
                                                      "撤回后该申请不再审核。", yes="撤回", no="不撤回"):
            return
        try:
            view = self.session.executor.call(lambda: relief.withdraw(self.session.ctx, v.id),
                                              changes=request_changed)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法撤回")
            return
        self.show_view(view)

    def print_form(self):
        if self.view is None:
            return None
        return print_approval_flow(self, self.session, self.view.id, self.view.number)
