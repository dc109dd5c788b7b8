"""待我审核: the requests waiting at a level the logged-in reviewer decides, the most
urgent first, with due dates (overdue in red) and the service's warning when a due date
had to be computed without holiday data (e.g. 2027 before the admin entered it)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...domain import clock
from ...services import relief
from ...services.relief import review
from ...services.errors import ServiceError
from ...services.relief.types import RequestPage
from ..common import messages
from .relief_table_model import QUEUE_COLUMNS, ReliefTableModel
from .relief_common import WARNING_COLOR
from ..common.session import UiSession
from .request_table import RequestTable
from ..common.page import Page


class ReviewPage(Page):
    REFRESH_ON = ("requests",)

    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.dialogs: list[QWidget] = []
        self.title = QLabel()
        self.title.setTextFormat(Qt.RichText)
        self.warning = QLabel()
        self.warning.setTextFormat(Qt.RichText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING_COLOR}; background: #fff4e0; border: 1px solid #f0c36d;"
                                   " padding: 4px;")
        self.warning.hide()
        self.model = ReliefTableModel(session.executor, QUEUE_COLUMNS, self)
        self.table = RequestTable(self.model, key="review_queue")
        self.table.openRequested.connect(self.review_request)
        self.review_button = QPushButton("审核…")
        self.view_button = QPushButton("查看申请")
        self.refresh_button = QPushButton("刷新")
        note = QLabel("双击一件申请进行审核。每级应在政策规定的工作日内完成（到期日按节假日和调休推算），超期的显示为红色。")
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.review_button)
        bar.addWidget(self.view_button)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

        self.review_button.clicked.connect(self._review_current)
        self.view_button.clicked.connect(self._view_current)
        self.refresh_button.clicked.connect(self.reload)
        self.model.modelReset.connect(self._queue_shown)
        self.model.failed.connect(self.query_failed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._selected: int | None = None
        self.reload()

    def reload(self) -> None:
        """The whole queue (the service returns it at once), off the GUI thread."""
        ctx = self.ctx
        self._selected = self.table.current_request_id()

        def fetch(offset: int, limit: int) -> RequestPage:
            rows = tuple(review.review_queue(ctx))
            return RequestPage(rows, len(rows), 0, len(rows))

        self.model.load(fetch)

    def _queue_shown(self) -> None:
        if self._selected is not None:
            self.table.select_request(self._selected)
        self._update_buttons()
        rows = self.model.rows()
        late = sum(1 for r in rows if r.due_date is not None and r.due_date < clock.today())
        actor = self.session.actor
        self.title.setText(f"<b>待我审核</b>　{html.escape(actor.display_name or actor.username)}：共 <b>{len(rows)}</b> 件"
                           + (f"，<b style='color:#c62828'>{late} 件已超期</b>" if late else ""))
        warnings = list(dict.fromkeys(r.due_warning for r in rows if r.due_warning))
        self.warning.setText("<br>".join(f"⚠ {html.escape(w)}" for w in warnings))
        self.warning.setVisible(bool(warnings))
        self.set_status(f"待我审核 {len(rows)} 件" + (f"，已超期 {late} 件" if late else ""))

    def _update_buttons(self) -> None:
        selected = self.table.current_request_id() is not None
        self.review_button.setEnabled(selected)
        self.view_button.setEnabled(selected)

    # -- commands --
    def _keep(self, dialog):
        if dialog is not None:
            self.dialogs = [d for d in self.dialogs if _alive(d)] + [dialog]
        return dialog

    def review_request(self, request_id: int):
        from .review_dialog import ReviewDialog

        try:
            view = relief.get_request(self.session.ctx, request_id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法打开申请")
            return None
        dialog = ReviewDialog(self.session, view=view, parent=self.window())
        dialog.show()
        return self._keep(dialog)

    def view_request(self, request_id: int):
        from .request_view import RequestViewDialog

        dialog = RequestViewDialog(self.session, request_id=request_id, parent=self.window())
        dialog.show()
        return self._keep(dialog)

    def _review_current(self) -> None:
        rid = self.table.current_request_id()
        if rid is None:
            messages.info(self, "审核", "请先在列表中选择一件申请。")
        else:
            self.review_request(rid)

    def _view_current(self) -> None:
        rid = self.table.current_request_id()
        if rid is not None:
            self.view_request(rid)


def _alive(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:
        return False
