"""Choosing who a relief request is for: an archived household found by search, or a
worker not in the archive (where the relief type allows it).

A widget of the request dialog; it tells the dialog by signals: `edited()` when who the
request is for changed, `householdShown(HouseholdView)` when a household is shown (chosen or
loaded), `picked()` when the clerk chose one (the dialog moves the focus on).
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...services import archive
from ...services.archive.types import HouseholdFilter
from ...services.errors import ServiceError
from ..common import labels, messages
from ..common.field_errors import FieldErrors, with_error
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR, WARNING_COLOR
from ..common.widgets.union_combo import UnionCombo

SEARCH_LIMIT = 8
SEARCH_DELAY_MS = 250
WORKER_REFUSED = "该救助类型须先建档、后帮扶，只能为在档困难职工申请"


class HouseholdChooser(QGroupBox):
    edited = Signal()
    householdShown = Signal(object)  # HouseholdView
    picked = Signal()

    def __init__(self, ctx, errors: FieldErrors, parent: QWidget | None = None):
        super().__init__("申请对象", parent)
        self.ctx = ctx
        self.household = None  # HouseholdView of the chosen household
        self._quiet = False  # filling the widgets: no edited()
        self.archived_radio = QRadioButton("在档困难职工")
        self.worker_radio = QRadioButton("未建档职工")
        self.archived_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.archived_radio)
        self.mode_group.addButton(self.worker_radio)
        modes = QHBoxLayout()
        modes.addWidget(self.archived_radio)
        modes.addWidget(self.worker_radio)
        modes.addStretch(1)

        self.search = QLineEdit(placeholderText="输入姓名、拼音首字母、身份证号（或末几位）或档案号查找")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.results = QListWidget()
        self.results.setMaximumHeight(132)
        self.results.hide()
        self.chosen = QLabel("尚未选择")
        self.chosen.setTextFormat(Qt.RichText)
        self.chosen.setWordWrap(True)
        self.person = QComboBox()
        self.person_label = QLabel("受助人")
        self.archived_box = QWidget()
        f = self.archived_form = QFormLayout(self.archived_box)
        f.setContentsMargins(0, 0, 0, 0)
        f.addRow("查找档案", with_error(self.search, errors.add("household_id", self.search)))
        f.addRow("", self.results)
        f.addRow("已选择", self.chosen)
        f.addRow(self.person_label, with_error(self.person, errors.add("person_id_number", self.person)))
        f.setRowVisible(self.person_label, False)

        self.worker_name = QLineEdit()
        self.worker_id = QLineEdit()
        self.worker_id.setMaxLength(18)
        self.worker_id_facts = QLabel()
        self.worker_id_facts.setStyleSheet(f"color: {MUTED_COLOR};")
        self.worker_unit = UnionCombo(ctx, for_household=True)
        self.worker_box = QWidget()
        g = QFormLayout(self.worker_box)
        g.setContentsMargins(0, 0, 0, 0)
        g.addRow("姓名", with_error(self.worker_name, errors.add("worker_name", self.worker_name)))
        id_cell = with_error(self.worker_id, errors.add("worker_id_number", self.worker_id))
        id_cell.layout().addWidget(self.worker_id_facts)
        g.addRow("身份证号", id_cell)
        g.addRow("所属工会", with_error(self.worker_unit, errors.add("unit_id", self.worker_unit)))
        self.worker_box.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(modes)
        layout.addWidget(self.archived_box)
        layout.addWidget(self.worker_box)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.archived_radio.toggled.connect(self._mode_changed)
        self.search.textEdited.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.results.itemActivated.connect(self._choose_item)
        self.results.itemClicked.connect(self._choose_item)
        self.person.currentIndexChanged.connect(lambda _: self._changed())
        self.worker_name.textEdited.connect(lambda _: self._changed())
        self.worker_id.textEdited.connect(self._worker_id_edited)
        self.worker_unit.currentIndexChanged.connect(lambda _: self._changed())

    def _changed(self) -> None:
        if not self._quiet:
            self.edited.emit()

    def _mode_changed(self, archived: bool) -> None:
        self.archived_box.setVisible(archived)
        self.worker_box.setVisible(not archived)
        self._changed()

    # -- what the dialog asks --
    def focus_search(self) -> None:
        self.search.setFocus()

    def is_archived(self) -> bool:
        return self.archived_radio.isChecked()

    def allow_worker(self, allowed: bool) -> None:
        """Whether the relief type may go to a worker not in the archive."""
        self.worker_radio.setEnabled(allowed)
        self.worker_radio.setToolTip("" if allowed else WORKER_REFUSED)
        if not allowed and self.worker_radio.isChecked():
            self.archived_radio.setChecked(True)

    def household_id(self) -> int | None:
        return self.household.id if self.is_archived() and self.household else None

    def person_id_number(self) -> str | None:
        return self.person.currentData() if self.is_archived() and self.household else None

    def worker(self) -> tuple[str | None, str | None, int | None]:
        """(name, ID number, union) of a worker not in the archive; Nones for a household."""
        if self.is_archived():
            return None, None, None
        return self.worker_name.text().strip(), self.worker_id.text().strip(), self.worker_unit.unit_id()

    def who_missing(self) -> str:
        if self.is_archived():
            return "" if self.household else "请先在“查找档案”中选择申请人"
        if not self.worker_name.text().strip() or not self.worker_id.text().strip():
            return "请填写未建档职工的姓名和身份证号"
        return ""

    def show_worker(self, name: str, id_number: str, unit_id: int | None) -> None:
        self.worker_radio.setChecked(True)
        self.worker_name.setText(name)
        self.worker_id.setText(id_number)
        self.worker_unit.set_unit_id(unit_id, emit=False)

    # -- household search --
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.search and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down \
                and self.results.isVisible() and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def search_now(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self.results.clear()
        if not text:
            self.results.hide()
            return
        try:
            page = archive.search_households(self.ctx, HouseholdFilter(text=text), limit=SEARCH_LIMIT)
        except ServiceError as exc:
            self.results.addItem(QListWidgetItem(f"查找失败：{exc}"))
            self.results.show()
            return
        for row in page.rows:
            status = labels.STATUSES.get(row.status, row.status)
            item = QListWidgetItem(f"{row.name}　{row.archive_no}　{status}　{row.unit_name}　{row.id_number_masked}")
            item.setData(Qt.UserRole, row.id)
            self.results.addItem(item)
        if page.total > len(page.rows):
            more = QListWidgetItem(f"…… 共 {page.total} 户，请输入更多字缩小范围")
            more.setFlags(Qt.NoItemFlags)
            self.results.addItem(more)
        if not page.rows:
            none = QListWidgetItem("没有找到。未建档的职工请先建档（或在类型允许时选“未建档职工”）。")
            none.setFlags(Qt.NoItemFlags)
            self.results.addItem(none)
        self.results.show()

    def _search_enter(self) -> None:
        self.search_now()
        first = self.results.item(0)
        if first is not None and first.data(Qt.UserRole) is not None and self.results.count() <= 2:
            self._choose_item(first)

    def _choose_item(self, item: QListWidgetItem) -> None:
        hid = item.data(Qt.UserRole)
        if hid is None:
            return
        self.choose_household(hid)

    def choose_household(self, household_id: int) -> None:
        self.show_household(household_id)
        self.results.hide()
        self._changed()
        self.picked.emit()

    def show_household(self, household_id: int, person: str | None = None) -> None:
        try:
            hv = archive.get_household(self.ctx, household_id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法读取档案")
            return
        self.archived_radio.setChecked(True)
        self.household = hv
        self.search.setText(hv.data.name)
        status = labels.STATUSES.get(hv.status, hv.status)
        color = OK_COLOR if hv.status == "active" else (WARNING_COLOR if hv.status == "phasing_out" else ERROR_COLOR)
        category = labels.CATEGORIES.get(hv.data.category, hv.data.category or "")
        self.chosen.setText(
            f"<b>{html.escape(hv.data.name)}</b>　档案号 {html.escape(hv.archive_no)}　"
            f"<span style='color:{color}'>{html.escape(status)}</span>　{html.escape(category)}<br>"
            f"{html.escape(hv.unit_name)}　家庭人口 {hv.data.household_size}　"
            f"{'工会会员' if hv.data.union_member else '非工会会员'}")
        was = self._quiet
        self._quiet = True
        self.person.clear()
        self.person.addItem(f"{hv.data.name}（户主本人）", None)
        for m in hv.data.members:
            if m.id_number:
                self.person.addItem(f"{m.name}（{m.relation}）", m.id_number)
        index = self.person.findData(person)
        if index >= 0:
            self.person.setCurrentIndex(index)
        self.archived_form.setRowVisible(self.person_label, self.person.count() > 1)
        self.householdShown.emit(hv)
        self._quiet = was

    def _worker_id_edited(self, text: str) -> None:
        self.worker_id_facts.setText(labels.id_facts(text.strip()) if len(text.strip()) == 18 else "")
        self._changed()
