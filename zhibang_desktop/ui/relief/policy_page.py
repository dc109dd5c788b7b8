"""救助政策 (admin): the stored policy versions per year and which one is in force; use a
bundled preset, edit a version in the app (its policy file, checked field by field
before it is saved), import / export a policy file (JSON), put an older version back
in force, and a read-only structured view of a version.

Every change writes a new version; requests keep the version they were judged under.
An invalid file is refused as a whole, with each problem's field path and Chinese
message (e.g. ``relief_types[0].max_yuan：应为数字``).
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...domain.money import fen_from_yuan_number, yuan_text
from ...services.relief import policies
from ...services.errors import ServiceError, ValidationFailed
from ...services.relief.types import PolicyVersionView
from ..common import labels, messages
from .relief_common import ERROR_COLOR, MUTED_COLOR, OK_COLOR
from ..common.session import UiSession
from ..common.page import Page

JSON_FILTER = "救助政策文件 (*.json)"
VERSION_HEADERS = ("年度", "版本", "名称", "生效", "保存人", "保存时间", "引用申请")
SCOPES = {"person": "每人", "household": "每户"}
PERIODS = {"time": "每次", "year": "每年", "quarter": "每季度"}
APPLIES = {"cash": "现金", "goods": "实物", "all": "现金和实物"}
KINDS = {"quarterly": "按季度申请", "emergency": "随时申请", "annual": "按年度计", "standing": "常年按月补助，分批发放"}


def _yuan(value) -> str:
    if value is None:
        return ""
    return f"{yuan_text(fen_from_yuan_number(value))} 元"


def cap_text(cap: dict) -> str:
    """'每户每年 现金 不超过 6,000 元' / '… 不超过 10 个月低保标准'."""
    head = SCOPES.get(cap.get("scope"), cap.get("scope") or "") + PERIODS.get(cap.get("period"), cap.get("period") or "")
    applies = APPLIES.get(cap.get("applies_to"), cap.get("applies_to") or "")
    limits = []
    if cap.get("max_yuan") is not None:
        limits.append(f"不超过 {_yuan(cap['max_yuan'])}")
    if cap.get("dibao_months"):
        limits.append(f"不超过 {cap['dibao_months']} 个月低保标准")
    text = f"{head}{applies}{'，'.join(limits)}"
    return text + (f"（{cap['note']}）" if cap.get("note") else "")


def count_text(limit: dict) -> str:
    return (SCOPES.get(limit.get("scope"), limit.get("scope") or "") + PERIODS.get(limit.get("period"), "")
            + f"最多 {limit.get('max_count')} 次")


def _rows(rows: list[tuple[str, str]]) -> str:
    return ("<table cellspacing='0' cellpadding='3' width='100%'>" + "".join(
        f"<tr><td width='110' valign='top' style='color:{MUTED_COLOR}'>{html.escape(k)}</td>"
        f"<td valign='top'>{v}</td></tr>" for k, v in rows) + "</table>")


def category_label(doc: dict, code: str) -> str:
    return next((c.get("label") for c in doc.get("categories") or [] if c.get("code") == code), code)


def policy_html(v: PolicyVersionView, doc: dict) -> str:
    """A read-only, structured view of one policy version (what an auditor reads)."""
    esc = html.escape
    state = (f"<b style='color:{OK_COLOR}'>生效中</b>" if v.in_force
             else f"<span style='color:{MUTED_COLOR}'>未生效</span>")
    out = [f"<h3 style='margin:0'>{v.year} 年第 {v.version} 版　{state}</h3><p style='margin:2px 0 6px 0'>{esc(v.name)}</p>"]
    basic = [("单位", esc(v.office)),
             ("本人审批", "允许录入人本人审批（一人办公室，审计中标记）" if v.self_approval_allowed
              else "录入人不得审批本人录入的申请"),
             ("一人审多级", "允许同一人审核同一申请的多个层级" if v.several_levels_per_reviewer_allowed
              else "同一人只能审核同一申请的一个层级"),
             ("走访周期", esc("，".join(f"{category_label(doc, c)}每 {m} 个月" for c, m in v.visit_interval_months)
                              or "不要求走访"))]
    chain = doc.get("review_chain") or []
    if chain:
        basic.append(("审核流程", esc(" → ".join(f"{c.get('name') or c.get('level')}（{c.get('days_allowed', 5)} 个工作日）"
                                              for c in chain))))
    for c in doc.get("household_year_caps") or []:
        basic.append(("每户年度上限", esc(cap_text(c))))
    if v.source:
        basic.append(("依据", esc(v.source)))
    if v.note:
        basic.append(("说明", esc(v.note)))
    basic.append(("引用此版本", f"{v.used_by_requests} 件申请"))
    out.append(_rows(basic))
    docs_by_code = {t.get("code"): t for t in doc.get("relief_types") or []}
    for t in v.relief_types:
        d = docs_by_code.get(t.code, {})
        out.append(f"<h4 style='margin:10px 0 2px 0; color:#1f4e8c'>{esc(t.name)}"
                   f"<span style='color:{MUTED_COLOR}; font-weight:normal'>　"
                   f"{esc(KINDS.get(t.kind, t.kind))}</span></h4>")
        rows = [("金额标准", esc(t.standard_text) if t.standard_text else "不设固定标准（按上限控制）")]
        if t.subcases:
            rows.append(("具体情形", "<br>".join(f"{esc(sc.label)}：<b>{esc(sc.note)}</b>" for sc in t.subcases)))
        if t.conditions:
            head = f"至少符合 {t.min_conditions} 项：<br>" if t.min_conditions else ""
            rows.append(("申请条件", head + "<br>".join(f"（{i}）{esc(c.label)}"
                                                      for i, c in enumerate(t.conditions, start=1))))
        limits = [count_text(x) for x in d.get("count_limits") or []]
        if d.get("min_quarter_gap"):
            limits.append(f"两次申请至少相隔 {d['min_quarter_gap']} 个季度（不能连续季度申请）")
        if limits:
            rows.append(("次数限制", esc("；".join(limits))))
        if d.get("caps"):
            rows.append(("金额上限", "<br>".join(esc(cap_text(c)) for c in d["caps"])))
        who = ["须先建档" if t.requires_archive else "未建档职工也可申请"]
        if t.members_only:
            who.append("仅限工会会员")
        if d.get("categories"):
            who.append("限" + "、".join(labels.CATEGORIES.get(c, c) for c in d["categories"]))
        if d.get("exclusion_check"):
            who.append("须通过排除条件核查")
        if t.goods_allowed:
            who.append("可发实物")
        rows.append(("申请对象", esc("；".join(who))))
        if t.attachments:
            rows.append(("所需材料", esc("、".join(t.attachments))))
        if t.fund_sources:
            rows.append(("资金来源", esc("、".join(f.label for f in t.fund_sources))))
        if t.review_levels:
            rows.append(("审核流程", esc(" → ".join(f"{o.label}（{o.note} 个工作日）" for o in t.review_levels))))
        if t.note:
            rows.append(("说明", f"<span style='color:{MUTED_COLOR}'>{esc(t.note)}</span>"))
        out.append(_rows(rows))
    return "".join(out)


class PresetDialog(QDialog):
    """Choose a bundled preset and the year to put it in force for."""

    def __init__(self, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("选用预置政策")
        self.preset = QComboBox()
        for option in policies.preset_choices():
            self.preset.addItem(f"{option.label}（{option.note}）", option.code)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        note = QLabel("将作为该年度的新版本保存并生效；已提交的申请仍按当时的版本判定。"
                      "选用后可导出为文件，按本单位文件修改后再导入。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("选用并生效")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("预置政策", self.preset)
        form.addRow("生效年度", self.year)
        form.addRow(note)
        form.addRow(buttons)
        self.resize(520, 180)


class PolicyEditDialog(QDialog):
    """Edit a policy version's file (JSON, amounts in yuan) in the app.

    「检查」 validates without saving and lists each problem by its field path;
    「保存为新版本」 stores the edit as a new version in force for its year (the
    edited version itself never changes, so past decisions keep theirs)."""

    def __init__(self, session: UiSession, v: PolicyVersionView, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.saved_view: PolicyVersionView | None = None
        self.setWindowTitle(f"修改救助政策 — {v.year} 年第 {v.version} 版")
        note = QLabel("直接修改下面的政策内容（金额以元为单位，如 \"max_yuan\": 600）。"
                      "保存后作为该年度的新版本生效；已提交的申请仍按原版本判定。")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {MUTED_COLOR};")
        self.editor = QPlainTextEdit()
        self.editor.setProperty("rawText", True)  # the policy file itself, keys and all
        note.setProperty("rawText", True)  # explains the file's keys by name
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.TypeWriter)
        self.editor.setFont(mono)
        self.editor.setPlainText(text)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.check_button = QPushButton("检查")
        self.save_button = QPushButton("保存为新版本并生效")
        self.cancel_button = QPushButton("取消")
        for b in (self.check_button, self.save_button, self.cancel_button):
            b.setAutoDefault(False)
        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.resize(900, 640)

    def _show_problems(self, exc: ValidationFailed) -> None:
        lines = "<br>".join(f"• {html.escape(p.label)}：{html.escape(p.message)}" for p in exc.problems)
        self.problems.setText(f"<span style='color:{ERROR_COLOR}'>有 {len(exc.problems)} 处问题，未保存："
                              f"<br>{lines}</span>")

    def check(self) -> bool:
        try:
            policies.check_policy_text(self.editor.toPlainText())
        except ValidationFailed as exc:
            self._show_problems(exc)
            return False
        self.problems.setText(f"<span style='color:{OK_COLOR}'>✓ 检查通过，可以保存</span>")
        return True

    def save(self) -> PolicyVersionView | None:
        try:
            view = policies.import_policy(self.session.ctx, self.editor.toPlainText(), origin="在程序中修改")
        except ValidationFailed as exc:
            self._show_problems(exc)
            return None
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法保存政策")
            return None
        self.saved_view = view
        self.accept()
        return view


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
        return PolicyEditDialog(self.session, v, json.dumps(doc, ensure_ascii=False, indent=2), self)

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
