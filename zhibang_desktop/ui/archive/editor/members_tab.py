"""家庭成员: an editable table of the household's members."""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....services.archive.types import MemberInput
from ....services.errors import FieldProblem
from ...common import labels
from ...common.widgets.dialog_parts import ERROR_STYLE

# (field, header, width)
COLUMNS = (
    ("name", "姓名", 80),
    ("relation", "与户主关系", 96),
    ("id_number", "身份证号", 170),
    ("health", "健康状况", 100),
    ("disability", "残疾情况", 90),
    ("schooling", "就学阶段", 110),
    ("job_or_school", "工作单位或学校", 170),
    ("monthly_income_fen", "月收入(元)", 90),
)
FIELD_COLUMN = {field: i for i, (field, _, _) in enumerate(COLUMNS)}
MEMBER_FIELD = re.compile(r"members\[(\d+)\](?:\.(\w+))?")
ERROR_BRUSH = QBrush(QColor("#ffd6d6"))


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor; `codes` maps stored code → label (None: free text with suggestions)."""

    def __init__(self, choices: dict[str, str] | tuple[str, ...], parent=None):
        super().__init__(parent)
        self.codes = choices if isinstance(choices, dict) else None
        self.items = list(choices.values()) if isinstance(choices, dict) else list(choices)

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(self.codes is None)
        combo.addItems(self.items)
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:
        editor.setCurrentText(index.data(Qt.DisplayRole) or "")

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:
        text = editor.currentText().strip()
        model.setData(index, text, Qt.DisplayRole)
        if self.codes is not None:
            code = next((c for c, label in self.codes.items() if label == text), "none")
            model.setData(index, code, Qt.UserRole)


class MembersTab(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([h for _, h, _ in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for i, (_, _, width) in enumerate(COLUMNS):
            self.table.setColumnWidth(i, width)
        header.setSectionResizeMode(FIELD_COLUMN["job_or_school"], QHeaderView.Stretch)
        self.table.setItemDelegateForColumn(FIELD_COLUMN["relation"], ChoiceDelegate(labels.RELATIONS, self))
        self.table.setItemDelegateForColumn(FIELD_COLUMN["schooling"], ChoiceDelegate(labels.SCHOOLING_STAGES, self))
        self.table.itemChanged.connect(self._changed)

        self.add_button = QPushButton("添加成员")
        self.remove_button = QPushButton("删除所选成员")
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_selected)
        self.summary = QLabel()
        self.problems = QLabel()
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.setWordWrap(True)
        self.problems.hide()

        hint = QLabel("双击单元格编辑；户主本人不在此表中。家庭人口应包括户主和下列成员。")
        hint.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)

    # -- data --
    def load(self, members: list[MemberInput]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        for m in members:
            self._append(m)
        self._loading = False
        self._update_summary()

    def _append(self, m: MemberInput) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        texts = {
            "name": m.name, "relation": m.relation, "id_number": m.id_number or "", "health": m.health or "",
            "disability": m.disability or "", "schooling": labels.SCHOOLING_STAGES.get(m.schooling, m.schooling),
            "job_or_school": m.job_or_school or "", "monthly_income_fen": labels.yuan_input(m.monthly_income_fen),
        }
        for field, col in FIELD_COLUMN.items():
            item = QTableWidgetItem(texts[field])
            if field == "schooling":
                item.setData(Qt.UserRole, m.schooling or "none")
            if field == "monthly_income_fen":
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(row, col, item)
        self.table.item(row, 0).setData(Qt.UserRole, m.id)
        return row

    def members(self) -> tuple[list[MemberInput], list[FieldProblem]]:
        out, problems = [], []
        for row in range(self.table.rowCount()):
            def text(field: str) -> str:
                item = self.table.item(row, FIELD_COLUMN[field])
                return (item.text() if item else "").strip()

            income_text = text("monthly_income_fen")
            income = 0
            if income_text:
                try:
                    income = labels.parse_yuan(income_text)
                except labels.AmountError as exc:
                    problems.append(FieldProblem(f"members[{row}].monthly_income_fen",
                                                 f"家庭成员第{row + 1}人月收入", str(exc)))
            schooling = self.table.item(row, FIELD_COLUMN["schooling"])
            out.append(MemberInput(
                name=text("name"), relation=text("relation"), id_number=text("id_number") or None,
                health=text("health") or None, disability=text("disability") or None,
                schooling=(schooling.data(Qt.UserRole) if schooling else None) or "none",
                job_or_school=text("job_or_school") or None, monthly_income_fen=income,
                id=self.table.item(row, 0).data(Qt.UserRole),
            ))
        return out, problems

    # -- editing --
    def add_member(self) -> None:
        row = self._append(MemberInput(name="", relation="", schooling="none"))
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))
        self._changed()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._changed()

    def _changed(self, *_) -> None:
        if not self._loading:
            self._update_summary()
            self.edited.emit()

    def _update_summary(self) -> None:
        self.summary.setText(f"已登记成员 {self.table.rowCount()} 人")

    # -- problems --
    def show_problems(self, problems: list[FieldProblem]) -> None:
        """Colour the cells named by members[i].field problems and list every problem."""
        self._loading = True
        marked: dict[tuple[int, int], list[str]] = {}
        for p in problems:
            match = MEMBER_FIELD.fullmatch(p.field)
            if match and match.group(2) in FIELD_COLUMN:
                marked.setdefault((int(match.group(1)), FIELD_COLUMN[match.group(2)]), []).append(p.message)
        for row in range(self.table.rowCount()):
            for col in range(len(COLUMNS)):
                item = self.table.item(row, col)
                if item is None:
                    continue
                texts = marked.get((row, col))
                item.setBackground(ERROR_BRUSH if texts else QBrush())
                item.setToolTip("；".join(texts) if texts else "")
        self._loading = False
        self.problems.setText("\n".join(str(p) for p in problems))
        self.problems.setVisible(bool(problems))
