"""数据比对: the agencies' lists kept (source, date, SHA-256) and what each found in the archive;
导入名单… reads a list off the GUI thread, 处理… records the clerk's decision."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QLabel, QPushButton, QWidget

from ...domain.casework import FINDING_DECISIONS
from ...services import casework
from ...services.errors import Cancelled, ServiceError
from ..archive.household_windows import open_household
from ..common import messages
from ..common.executor import ChangeSummary
from ..common.import_dialog import ImportCheckDialog
from ..common.page import Page, heading_label, hide_unless
from ..common.rows_model import CENTER, RIGHT, Col, RowsModel
from ..common.widgets.rows_table import RowsTable
from .crosscheck_dialogs import DecideFindingDialog, ListSourceDialog

LIST_COLUMNS = [
    Col("来源", lambda v: v.source, CENTER, 60),
    Col("名单日期", lambda v: v.list_date.isoformat(), CENTER, 95),
    Col("文件", lambda v: v.filename, width=220),
    Col("行数", lambda v: str(v.rows), RIGHT, 60),
    Col("待处理", lambda v: str(v.open_findings), RIGHT, 60),
    Col("导入", lambda v: f"{v.imported_at} {v.imported_by}", width=150),
    Col("SHA-256", lambda v: v.sha256, stretch=True),
]
FINDING_COLUMNS = [
    Col("档案编号", lambda f: f.archive_no, width=120),
    Col("户主", lambda f: f.household_name, width=70),
    Col("姓名", lambda f: f.name, width=70),
    Col("比对发现", lambda f: f.finding, width=230, tip=lambda f: f.finding),
    Col("名单", lambda f: f"{f.source}：{f.list_says}", width=200, tip=lambda f: f.list_says),
    Col("档案记载", lambda f: f.archive_says, width=170),
    Col("处理", lambda f: FINDING_DECISIONS.get(f.decision, "待处理") + (f"（{f.decided_by}）" if f.decided_by else ""),
        stretch=True, tip=lambda f: f.decision_note),
]


class CrossCheckPage(Page):
    REFRESH_ON = ("casework",)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.import_button = QPushButton("导入名单…")
        hide_unless(session.can("crosscheck.import") and session.actor.scope_unit_id is None, self.import_button)
        self.refresh_button = QPushButton("刷新")
        self.open_only = QCheckBox("只看待处理")
        self.open_only.setChecked(True)
        self.decide_button = QPushButton("处理…")
        hide_unless(session.can("crosscheck.decide"), self.decide_button)
        self.open_button = QPushButton("打开档案")
        self.lists = RowsTable(RowsModel(LIST_COLUMNS, self))
        self.findings = RowsTable(RowsModel(FINDING_COLUMNS, self))
        self.heading = heading_label()
        self.note = QLabel("选择上面的名单只看它的比对结果；不选则看全部名单的。比对结果不会自动修改档案，"
                           "处理结论记入该户的走访记录（数据比对）。")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        bar = self.filter_bar([("", self.open_only)], [self.refresh_button, self.import_button])
        actions = self.filter_bar([("", self.heading)], [self.open_button, self.decide_button])
        self.list_above_detail(bar, self.lists, [actions, self.note, self.findings], (180, 420))
        self.reload_on(self.open_only)
        self.refresh_button.clicked.connect(self.reload)
        self.import_button.clicked.connect(self.import_list)
        self.decide_button.clicked.connect(self.decide)
        self.open_button.clicked.connect(self.open_current)
        self.findings.activatedRow.connect(lambda _row: self.decide())
        self.lists.currentRowChanged.connect(lambda _row: self.load_findings())
        self.findings.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()
        self.reload()

    def _enable(self) -> None:
        f = self.findings.current_item()
        self.decide_button.setEnabled(f is not None and f.decision is None)
        self.open_button.setEnabled(f is not None)

    def reload(self) -> None:
        ctx = self.ctx

        def show(rows) -> None:
            self.lists.replace_rows(rows)
            self.set_status(f"比对名单 {len(rows)} 份；待处理的比对结果 {sum(v.open_findings for v in rows)} 条")
            self.load_findings()

        self.query(lambda: casework.list_crosscheck_lists(ctx), show, key="lists")

    def load_findings(self) -> None:
        ctx, chosen = self.ctx, self.lists.current_item()
        list_id, open_only = (chosen.id if chosen else None), self.open_only.isChecked()
        self.heading.setText(f"{chosen.source}名单（{chosen.list_date.isoformat()}）的比对结果" if chosen else "全部比对结果")

        def show(rows) -> None:
            self.findings.replace_rows(rows)
            self._enable()

        self.query(lambda: casework.list_findings(ctx, open_only=open_only, list_id=list_id), show, key="findings")

    def import_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择部门比对名单", str(Path.home()), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        name = Path(path).name
        choose = ListSourceDialog(name, self)
        if choose.exec() != QDialog.Accepted:
            return
        ctx, source, day = self.ctx, choose.source.currentData(), choose.date.value()
        try:
            result = self.executor.run_with_progress(
                self, "导入部门比对名单", f"正在检查并比对“{name}”……",
                lambda progress, cancelled: casework.import_crosscheck(ctx, path, source, day, progress=progress,
                                                                       cancel=cancelled),
                changes=ChangeSummary(casework=True))
        except Cancelled:
            messages.info(self, "导入部门比对名单", "已取消，没有导入任何名单。")
            return
        except (ServiceError, OSError) as exc:
            messages.warn(self, "无法导入名单", str(exc))
            return
        if not result.ok:
            ImportCheckDialog(result, name, self, subject="名单").exec()
            return
        replaced = "（替换了此前导入的同一名单）" if result.replaced else ""
        messages.info(self, "导入部门比对名单", f"已导入{result.source}名单{replaced}。",
                      f"共 {result.rows} 行，与档案中的户主、家庭成员匹配 {result.matched} 人，"
                      f"发现 {len(result.findings)} 条需核实。\nSHA-256：{result.sha256}")

    def decide(self) -> None:
        f = self.findings.current_item()
        if f is not None and f.decision is None and self.session.can("crosscheck.decide"):
            DecideFindingDialog(self.session, f, self).exec()

    def open_current(self) -> None:
        f = self.findings.current_item()
        if f is not None:
            open_household(self.session, f.household_id, self.window())

