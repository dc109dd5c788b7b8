"""银行代发模板: the columns each bank wants in its payment file (admin), and choosing one to export.

The built-in 通用格式 cannot be changed; an admin adds a template per bank (its column titles,
what each column holds, fixed texts such as 用途, and whether amounts go in as text).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from ...services.payout import bank_files
from ...services.errors import ServiceError
from ...services.payout.types import BankColumnSpec, BankTemplateView
from ..common import messages
from ..common.background_query import LatestQuery
from ..common.session import UiSession

EDIT = "org.edit"
#: what a template column can hold (the bank-file writer's field codes)
FIELDS = {
    "seq": "序号", "account": "账号", "name": "户名", "amount": "金额（元）", "id_number": "身份证号",
    "bank": "开户行", "remark": "备注", "phone": "手机号", "fixed": "固定内容",
}


class BankTemplatesDialog(QDialog):
    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.executor = session.ctx, session.executor
        self.templates: list[BankTemplateView] = []
        self._list_query = LatestQuery(self, self.executor)
        self.can_edit = session.can(EDIT)
        self.templates: list[BankTemplateView] = []
        self.setWindowTitle("银行代发模板")

        self.list = QListWidget()
        self.list.setFixedWidth(200)
        self.new_button = QPushButton("新建模板")
        self.copy_button = QPushButton("复制为新模板")
        self.delete_button = QPushButton("删除模板")

        self.name = QLineEdit()
        self.bank = QLineEdit()
        self.bank.setPlaceholderText("如：中国工商银行增城支行")
        self.amount_as_text = QCheckBox("金额写成文本（部分银行系统要求，如 1234.50）")
        self.columns = QTableWidget(0, 4)
        self.columns.setHorizontalHeaderLabels(["列标题", "内容", "固定内容（“固定内容”列用）", "列宽"])
        self.columns.verticalHeader().setDefaultSectionSize(28)
        self.columns.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.columns.setSelectionMode(QAbstractItemView.SingleSelection)
        self.columns.setColumnWidth(0, 150)
        self.columns.setColumnWidth(1, 130)
        self.columns.setColumnWidth(3, 60)
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.add_col = QPushButton("添加列")
        self.remove_col = QPushButton("删除列")
        self.up_col = QPushButton("上移")
        self.down_col = QPushButton("下移")
        self.save_button = QPushButton("保存模板")
        self.readonly_note = QLabel()
        self.readonly_note.setStyleSheet("color: #555;")
        self.readonly_note.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for b in (self.new_button, self.copy_button, self.delete_button):
            left.addWidget(b)
        form = QFormLayout()
        form.addRow("模板名称", self.name)
        form.addRow("银行", self.bank)
        form.addRow("", self.amount_as_text)
        col_buttons = QHBoxLayout()
        for b in (self.add_col, self.remove_col, self.up_col, self.down_col):
            col_buttons.addWidget(b)
        col_buttons.addStretch(1)
        col_buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel("列（从左到右）：必须有账号、户名、金额；账号、身份证号按文本写入"))
        right.addWidget(self.columns, 1)
        right.addLayout(col_buttons)
        right.addWidget(self.readonly_note)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)

        self.list.currentRowChanged.connect(self._show)
        self.new_button.clicked.connect(self.new_template)
        self.copy_button.clicked.connect(self.copy_template)
        self.delete_button.clicked.connect(self.delete_template)
        self.add_col.clicked.connect(lambda: self._add_column(BankColumnSpec("", "fixed")))
        self.remove_col.clicked.connect(self._remove_column)
        self.up_col.clicked.connect(lambda: self._move(-1))
        self.down_col.clicked.connect(lambda: self._move(1))
        self.save_button.clicked.connect(self.save)
        self.reload()
        self.resize(940, 520)

    # -- list --
    def reload(self, select_name: str | None = None) -> None:
        """List the templates (off the GUI thread) and show `select_name`, or the first."""
        ctx = self.ctx
        self._list_query.submit(lambda: bank_files.list_templates(ctx),
                                lambda templates: self._show_list(templates, select_name), self._list_failed)

    def _list_failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            raise exc
        messages.show_service_error(self, exc, "无法读取模板")
        self._show_list([], None)

    def _show_list(self, templates: list[BankTemplateView], select_name: str | None) -> None:
        self.templates = list(templates)
        self.list.blockSignals(True)
        self.list.clear()
        for t in self.templates:
            item = QListWidgetItem(t.name + ("（内置）" if t.id is None else ""))
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, t in enumerate(self.templates) if t.name == select_name), 0)
        self.list.setCurrentRow(row if self.templates else -1)
        self._show(self.list.currentRow())

    def current(self) -> BankTemplateView | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def _show(self, row: int) -> None:
        t = self.templates[row] if 0 <= row < len(self.templates) else None
        self._editing_id = t.id if t else None
        self.name.setText(t.name if t else "")
        self.bank.setText(t.bank if t else "")
        self.amount_as_text.setChecked(bool(t and t.amount_as_text))
        self.columns.setRowCount(0)
        for c in (t.columns if t else ()):
            self._add_column(c)
        self._editable(t is None or t.id is not None, generic=t is not None and t.id is None)

    def _editable(self, editable: bool, generic: bool = False) -> None:
        editable = editable and self.can_edit
        for w in (self.name, self.bank, self.amount_as_text, self.columns, self.add_col, self.remove_col,
                  self.up_col, self.down_col, self.save_button):
            w.setEnabled(editable)
        self.delete_button.setEnabled(self.can_edit and self._editing_id is not None)
        self.new_button.setEnabled(self.can_edit)
        self.copy_button.setEnabled(self.can_edit and self.current() is not None)
        if not self.can_edit:
            self.readonly_note.setText("只有管理员可以修改银行模板。")
        elif generic:
            self.readonly_note.setText(f"内置“{bank_files.GENERIC_NAME}”不能修改；可“复制为新模板”后按银行要求调整。")
        else:
            self.readonly_note.setText("")

    # -- columns --
    def _add_column(self, spec: BankColumnSpec) -> None:
        r = self.columns.rowCount()
        self.columns.insertRow(r)
        self.columns.setItem(r, 0, QTableWidgetItem(spec.header))
        combo = QComboBox()
        for code, text in FIELDS.items():
            combo.addItem(text, code)
        combo.setCurrentIndex(max(0, combo.findData(spec.field)))
        self.columns.setCellWidget(r, 1, combo)
        self.columns.setItem(r, 2, QTableWidgetItem(spec.value or ""))
        self.columns.setItem(r, 3, QTableWidgetItem("" if spec.width is None else f"{spec.width:g}"))

    def _remove_column(self) -> None:
        r = self.columns.currentRow()
        if r >= 0:
            self.columns.removeRow(r)

    def _move(self, delta: int) -> None:
        specs = self.column_specs(strict=False)
        r = self.columns.currentRow()
        to = r + delta
        if r < 0 or not 0 <= to < len(specs):
            return
        specs[r], specs[to] = specs[to], specs[r]
        self.columns.setRowCount(0)
        for s in specs:
            self._add_column(s)
        self.columns.selectRow(to)

    def column_specs(self, strict: bool = True) -> list[BankColumnSpec]:
        out = []
        for r in range(self.columns.rowCount()):
            header = (self.columns.item(r, 0).text() if self.columns.item(r, 0) else "").strip()
            field = self.columns.cellWidget(r, 1).currentData()
            value = (self.columns.item(r, 2).text() if self.columns.item(r, 2) else "").strip()
            width_text = (self.columns.item(r, 3).text() if self.columns.item(r, 3) else "").strip()
            try:
                width = float(width_text) if width_text else None
            except ValueError:
                if strict:
                    raise ValueError(f"第 {r + 1} 列的列宽“{width_text}”不是数字") from None
                width = None
            out.append(BankColumnSpec(header, field, value, width))
        return out

    # -- commands --
    def new_template(self) -> None:
        self.list.clearSelection()
        self._editing_id = None
        self.name.setText("")
        self.bank.setText("")
        self.amount_as_text.setChecked(False)
        self.columns.setRowCount(0)
        generic = next((t for t in self.templates if t.id is None), None)
        for c in (generic.columns if generic else ()):
            self._add_column(c)
        self._editable(True)
        self.name.setFocus()

    def copy_template(self) -> None:
        t = self.current()
        if t is None:
            return
        self._editing_id = None
        self.name.setText(f"{t.name}（副本）" if t.id is not None else "")
        self._editable(True)
        self.name.setFocus()

    def save(self) -> BankTemplateView | None:
        try:
            columns = self.column_specs()
        except ValueError as exc:
            messages.warn(self, "无法保存模板", str(exc))
            return None
        view = BankTemplateView(self._editing_id, self.name.text().strip(), self.bank.text().strip(),
                                tuple(columns), self.amount_as_text.isChecked())
        # no page lists the templates: the write goes through the executor, with nothing to announce
        saved = messages.guarded(self, lambda: self.executor.call(lambda: bank_files.save_template(self.ctx, view)),
                                 title="无法保存模板")
        if saved is not None:
            self.reload(saved.name)
        return saved

    def delete_template(self) -> None:
        t = self.current()
        if t is None or t.id is None:
            return
        if not messages.ask(self, "删除模板", f"删除银行代发模板“{t.name}”？", yes="删除", no="取消"):
            return
        try:
            self.executor.call(lambda: bank_files.delete_template(self.ctx, t.id))
        except ServiceError as exc:
            messages.show_service_error(self, exc, "无法删除模板")
            return
        self.reload()


class ChooseTemplateDialog(QDialog):
    """Pick the bank template for an export (and open the editor from here)."""

    def __init__(self, session: UiSession, batch_number: str, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.templates: list[BankTemplateView] = []
        self._list_query = LatestQuery(self, session.executor)
        self.setWindowTitle("导出银行代发文件")
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        self.edit_button = QPushButton("编辑模板…")
        self.edit_button.setVisible(session.can(EDIT))
        self.columns_label = QLabel()
        self.columns_label.setWordWrap(True)
        self.columns_label.setStyleSheet("color: #555;")
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.edit_button)
        intro = QLabel(f"批次 {batch_number}：待发放的银行代发、社保卡明细 {count} 笔写入银行代发文件（.xlsx）。"
                       "现金和基层工会代发的不在文件中。写完后程序会重新读取核对笔数和金额。")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("选择保存位置…")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("银行模板", row)
        form.addRow("", self.columns_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.combo.currentIndexChanged.connect(lambda _: self._describe())
        self.edit_button.clicked.connect(self._edit)
        self._load()
        self.setMinimumWidth(540)

    def _load(self, select: str | None = None) -> None:
        """List the templates off the GUI thread; 选择保存位置… waits for them."""
        current = select or self.combo.currentData()
        ctx = self.session.ctx
        self.ok_button.setEnabled(False)
        self._list_query.submit(lambda: bank_files.list_templates(ctx),
                                lambda templates: self._show_templates(templates, current),
                                lambda exc: self._show_templates([], current))

    def _show_templates(self, templates: list[BankTemplateView], current: str | None) -> None:
        self.templates = list(templates)
        self.ok_button.setEnabled(bool(self.templates))
        self.combo.blockSignals(True)
        self.combo.clear()
        for t in self.templates:
            self.combo.addItem(t.name + (f"（{t.bank}）" if t.bank else ""), t.name)
        index = self.combo.findData(current) if current else -1
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self._describe()

    def _describe(self) -> None:
        t = next((t for t in self.templates if t.name == self.combo.currentData()), None)
        self.columns_label.setText("列：" + "｜".join(c.header for c in t.columns) if t else "")

    def _edit(self) -> None:
        BankTemplatesDialog(self.session, self).exec()
        self._load()

    def template_name(self) -> str | None:
        return self.combo.currentData()
