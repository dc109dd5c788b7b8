"""救助政策 (admin): the stored policy versions per year and which one is in force; use a
bundled preset, edit a version in the app (its policy file, checked field by field
before it is saved), import / export a policy file (JSON), put an older version back
in force, and a read-only structured view of a version.

Every change writes a new version; requests keep the version they were judged under.
An invalid file is refused as a whole, with each problem's field path and Chinese
message (e.g. ``relief_types[0].max_yuan：应为数字``).
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
    QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from ...domain import clock
from ...services.relief import policies
from ...services.errors import ServiceError, ValidationFailed
from ...services.relief.types import PolicyVersionView
from ..common import labels, messages
from .relief_common import MUTED_COLOR, OK_COLOR
from ..common.session import UiSession
from ..common.page import Page
from .policy_dialogs import JSON_FILTER, PolicyEditDialog, PresetDialog
from .policy_html import policy_html

VERSION_HEADERS = ("年度", "版本", "名称", "生效", "保存人", "保存时间", "引用申请")


class PolicyPage(Page):
    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.versions: list[PolicyVersionView] = []
        self.year = QComboBox()
        self.preset_button = QPushButton("选用预置政策…")
        self.edit_button = QPushButton("修改所选…")
        self.edit_button.setToolTip("在程序中修改所选版本的政策内容，检查后保存为新版本")
        self.import_button = QPushButton("导入政策文件…")
        self.export_button = QPushButton("导出所选…")
        self.activate_button = QPushButton("设为该年度生效")
        self.activate_button.setToolTip("把所选的旧版本重新设为该年度生效的政策")
        can_edit = session.can("policy.edit")
        for b in (self.preset_button, self.import_button, self.activate_button):
            b.setEnabled(can_edit)

        self.table = QTableWidget(0, len(VERSION_HEADERS))
        self.table.setHorizontalHeaderLabels(list(VERSION_HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for i in range(len(VERSION_HEADERS)):
            header.setSectionResizeMode(i, QHeaderView.Stretch if i == 2 else QHeaderView.ResizeToContents)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        for b in (self.preset_button, self.edit_button, self.import_button, self.export_button,
                  self.activate_button):
            bar.addWidget(b)
        bar.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("已保存的政策版本（每年一个生效版本）"))
        ll.addWidget(self.table, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.detail, 1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([480, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.year.currentIndexChanged.connect(lambda _: self._fill_table())
        self.table.currentCellChanged.connect(lambda *_: self._show_selected())
        self.preset_button.clicked.connect(self.use_preset)
        self.edit_button.clicked.connect(self.edit_selected)
        self.import_button.clicked.connect(lambda: self.import_file())  # not clicked(bool) as the first argument
        self.export_button.clicked.connect(lambda: self.export_selected())  # not clicked(bool) as the first argument
        self.activate_button.clicked.connect(self.activate_selected)
        self.refresh()

    # -- data --
    def refresh(self, select_id: int | None = None) -> None:
        try:
            self.versions = policies.list_policies(self.session.ctx)
        except ServiceError as exc:
            self.set_status(f"读取政策失败：{exc}")
            return
        current = self.year.currentData()
        years = sorted({v.year for v in self.versions} | {clock.today().year}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("全部年度", None)
        for y in years:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(self.year.findData(current), 0) if current is not None else 0)
        self.year.blockSignals(False)
        self._fill_table(select_id)
        in_force = sorted({v.year for v in self.versions if v.in_force})
        this_year = clock.today().year
        missing = "" if this_year in in_force else f"；{this_year} 年尚无生效政策，不能录入该年度的救助申请"
        self.set_status(f"共 {len(self.versions)} 个政策版本，生效年度："
                     + ("、".join(str(y) for y in in_force) or "无") + missing)

    def _fill_table(self, select_id: int | None = None) -> None:
        year = self.year.currentData()
        shown = [v for v in self.versions if year is None or v.year == year]
        self.table.setRowCount(len(shown))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for i, v in enumerate(shown):
            cells = (f"{v.year}", f"第 {v.version} 版", v.name, "生效" if v.in_force else "",
                     v.created_by, labels.moment(v.created_at), str(v.used_by_requests))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, v.id)
                item.setToolTip(v.name)
                if v.in_force:
                    item.setFont(bold)
                    if j == 3:
                        item.setForeground(QBrush(QColor(OK_COLOR)))
                else:
                    item.setForeground(QBrush(QColor(MUTED_COLOR)))
                self.table.setItem(i, j, item)
        target = select_id if select_id is not None else next((v.id for v in shown if v.in_force), None)
        row = next((i for i, v in enumerate(shown) if v.id == target), 0 if shown else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show_selected()

    def selected_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return item.data(Qt.UserRole) if item else None

    def _show_selected(self) -> None:
        pid = self.selected_id()
        self.export_button.setEnabled(pid is not None)
        self.edit_button.setEnabled(self.session.can("policy.edit") and pid is not None)
        selected = next((v for v in self.versions if v.id == pid), None)
        self.activate_button.setEnabled(self.session.can("policy.edit") and selected is not None
                                        and not selected.in_force)
        self.detail.clear()
        if pid is None:
            return
        try:
            view = policies.show_policy(self.session.ctx, policy_id=pid)
            doc = policies.policy_document(self.session.ctx, policy_id=pid)
        except ServiceError as exc:
            self.detail.setPlainText(str(exc))
            return
        self.show_policy(view, doc)

    # -- the structured view --
    def show_policy(self, v: PolicyVersionView, doc: dict) -> None:
        self.detail.setHtml(policy_html(v, doc))

    def policy_text(self) -> str:
        return self.detail.toPlainText()

    # -- commands --
    def _default_year(self) -> int:
        return self.year.currentData() or clock.today().year

    def use_preset(self) -> PolicyVersionView | None:
        dialog = PresetDialog(self._default_year(), self)
        if dialog.exec() != QDialog.Accepted:
            return None
        return self.apply_preset(dialog.preset.currentData(), dialog.year.value())

    def apply_preset(self, preset: str, year: int) -> PolicyVersionView | None:
        try:
            view = policies.use_preset(self.session.ctx, preset, year)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法选用预置政策")
            return None
        self.refresh(view.id)
        messages.info(self, "选用预置政策", f"{view.year} 年已按“{view.name}”生效（第 {view.version} 版）。")
        return view

    def edit_dialog(self) -> PolicyEditDialog | None:
        """The editor for the selected version (not yet shown)."""
        pid = self.selected_id()
        v = next((x for x in self.versions if x.id == pid), None)
        if v is None or not self.session.can("policy.edit"):
            return None
        try:
            doc = policies.policy_document(self.session.ctx, policy_id=v.id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法读取政策")
            return None
        newest = max(x.id for x in self.versions if x.year == v.year)  # what this page knows of the year
        return PolicyEditDialog(self.session, v, json.dumps(doc, ensure_ascii=False, indent=2), self,
                                based_on=newest)

    def edit_selected(self) -> PolicyVersionView | None:
        dialog = self.edit_dialog()
        if dialog is None or dialog.exec() != QDialog.Accepted or dialog.saved_view is None:
            return None
        view = dialog.saved_view
        self.refresh(view.id)
        messages.info(self, "修改政策", f"已保存并生效：{view.year} 年第 {view.version} 版", view.name)
        return view

    def import_file(self, path: str | None = None) -> PolicyVersionView | None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "导入救助政策文件", str(Path.home()), JSON_FILTER)
        if not path:
            return None
        try:
            view = policies.import_policy(self.session.ctx, Path(path))
        except ValidationFailed as exc:
            messages.warn(self, "政策文件有误，未导入",
                          f"“{Path(path).name}”有 {len(exc.problems)} 处问题（按字段路径列出），请修改后重新导入：",
                          "\n".join(f"• {p.label}：{p.message}" for p in exc.problems))
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法导入政策文件")
            return None
        self.refresh(view.id)
        messages.info(self, "导入政策文件", f"已导入并生效：{view.year} 年第 {view.version} 版", view.name)
        return view

    def export_selected(self, path: str | None = None) -> str | None:
        pid = self.selected_id()
        v = next((x for x in self.versions if x.id == pid), None)
        if v is None:
            return None
        if not path:
            default = str(Path.home() / f"救助政策_{v.year}年第{v.version}版.json")
            path, _ = QFileDialog.getSaveFileName(self, "导出救助政策", default, JSON_FILTER)
        if not path:
            return None
        if not path.lower().endswith(".json"):
            path += ".json"
        try:
            policies.export_policy(self.session.ctx, policy_id=v.id, path=path)
        except (ServiceError, OSError) as exc:
            messages.warn(self, "导出失败", str(exc))
            return None
        messages.info(self, "导出政策", "已导出政策文件（JSON，金额以元为单位），可修改后再导入。", f"文件：{path}")
        return path

    def activate_selected(self) -> PolicyVersionView | None:
        pid = self.selected_id()
        v = next((x for x in self.versions if x.id == pid), None)
        if v is None or v.in_force:
            return None
        if not messages.ask(self, "设为生效", f"把 {v.year} 年第 {v.version} 版设为该年度生效的政策？\n"
                                          "之后录入和提交的申请按此版本判定；已提交的申请不受影响。",
                            yes="设为生效", no="取消"):
            return None
        try:
            view = policies.activate_policy(self.session.ctx, v.id)
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法设为生效")
            return None
        self.refresh(view.id)
        return view

    # -- page protocol --
    def activated(self) -> None:
        self.refresh(self.selected_id())
