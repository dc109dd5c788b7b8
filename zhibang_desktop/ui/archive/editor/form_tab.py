"""档案表信息: the 困难职工家庭档案表's remaining head-of-household fields (政治面貌 … 上级工会意见).

A tab of its own so that 基本信息 stays one screen; every choice list starts with "（未填写）",
which is what households archived before these fields existed show.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFrame, QGroupBox, QLineEdit, QPlainTextEdit, QScrollArea, QWidget

from ....documents.clerk_values import ValueProblem, parse_date
from ....domain.archive_form import AreaError, CODED_FIELDS, area_text, parse_area
from ....services.archive.fields import FORM_LABELS as FL
from ....services.archive.types import HouseholdInput
from ....services.errors import FieldProblem
from ...common.field_errors import FieldErrors, with_error
from .layout import form_group, two_columns

UNFILLED = "（未填写）"
OPINIONS = (("grassroots_opinion", "grassroots_opinion_on", "基层工会意见"),
            ("upper_opinion", "upper_opinion_on", "上级工会意见"))


def _choice(field: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(UNFILLED, None)
    for code, label in CODED_FIELDS[field].items():
        combo.addItem(label, code)
    return combo


def _text(edit) -> str | None:
    value = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
    return value.strip() or None


class FormTab(QScrollArea):
    edited = Signal(str)  # the field name the user changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.errors = FieldErrors()
        self._loading = False
        self.choices: dict[str, QComboBox] = {field: _choice(field) for field in CODED_FIELDS}
        self.housing_area = QLineEdit(placeholderText="如 56.78")
        self.housing_area.setMaximumWidth(140)
        self.zero_employment = QCheckBox("是零就业家庭（家庭中无一人就业）")
        self.archived_by = QLineEdit()
        self.reviewed_by = QLineEdit()
        self.opinions: dict[str, QPlainTextEdit] = {}
        self.opinion_dates: dict[str, QLineEdit] = {}
        for text_field, date_field, _ in OPINIONS:
            edit = QPlainTextEdit()
            edit.setFixedHeight(60)
            edit.setTabChangesFocus(True)
            self.opinions[text_field] = edit
            day = QLineEdit(placeholderText="如 2026-03-02")
            day.setMaximumWidth(140)
            self.opinion_dates[date_field] = day

        c = self.choices
        person = self._group("个人情况", [("political_status", c["political_status"]),
                                      ("marital_status", c["marital_status"]),
                                      ("medical_insurance", c["medical_insurance"]),
                                      ("disability_category", c["disability_category"]),
                                      ("disability_grade", c["disability_grade"])])
        housing = self._group("住房", [("housing_type", c["housing_type"]),
                                     ("housing_area_x100", self.housing_area)])
        work = self._group("工作单位", [("employer_nature", c["employer_nature"]),
                                    ("enterprise_status", c["enterprise_status"]),
                                    ("zero_employment", self.zero_employment)])
        people = self._group("建档与审核", [("archived_by", self.archived_by), ("reviewed_by", self.reviewed_by)])
        opinions = [self._group(title, [(text_field, self.opinions[text_field]),
                                        (date_field, self.opinion_dates[date_field])])
                    for text_field, date_field, title in OPINIONS]

        self.setWidget(two_columns((person, housing, work), (people, *opinions)))
        self._connect()

    def _group(self, title: str, rows) -> QGroupBox:
        group, form = form_group(title)
        for field, widget in rows:
            label = FL[field].replace("基层工会意见", "意见").replace("上级工会意见", "意见")
            form.addRow(label + "：", with_error(widget, self.errors.add(field, widget)))
        return group

    def _connect(self) -> None:
        def emit(field):
            return lambda *_: None if self._loading else self.edited.emit(field)

        for field, combo in self.choices.items():
            combo.currentIndexChanged.connect(emit(field))
        for field, edit in (("housing_area_x100", self.housing_area), ("archived_by", self.archived_by),
                            ("reviewed_by", self.reviewed_by), *self.opinion_dates.items(),
                            *self.opinions.items()):
            edit.textChanged.connect(emit(field))
        self.zero_employment.toggled.connect(emit("zero_employment"))

    # -- data in and out --
    def load(self, data: HouseholdInput | None) -> None:
        self._loading = True
        try:
            for field, combo in self.choices.items():
                combo.setCurrentIndex(max(0, combo.findData(getattr(data, field, None))))
            self.housing_area.setText(area_text(data.housing_area_x100) if data else "")
            self.zero_employment.setChecked(bool(data and data.zero_employment))
            self.archived_by.setText((data.archived_by if data else None) or "")
            self.reviewed_by.setText((data.reviewed_by if data else None) or "")
            for text_field, date_field, _ in OPINIONS:
                self.opinions[text_field].setPlainText((getattr(data, text_field) if data else None) or "")
                day = getattr(data, date_field) if data else None
                self.opinion_dates[date_field].setText(day.isoformat() if day else "")
        finally:
            self._loading = False

    def collect(self, data: HouseholdInput) -> tuple[HouseholdInput, list[FieldProblem]]:
        """`data` with this tab's fields as typed, and what only the form can see (an unreadable
        area or date)."""
        problems: list[FieldProblem] = []
        values: dict = {field: combo.currentData() for field, combo in self.choices.items()}
        try:
            values["housing_area_x100"] = parse_area(self.housing_area.text())
        except AreaError as exc:
            values["housing_area_x100"] = None
            problems.append(FieldProblem("housing_area_x100", FL["housing_area_x100"], str(exc)))
        for text_field, date_field, _ in OPINIONS:
            values[text_field] = _text(self.opinions[text_field])
            values[date_field], problem = self._day(date_field)
            if problem:
                problems.append(problem)
        values.update(zero_employment=self.zero_employment.isChecked(), archived_by=_text(self.archived_by),
                      reviewed_by=_text(self.reviewed_by))
        return replace(data, **values), problems

    def _day(self, field: str) -> tuple[date | None, FieldProblem | None]:
        text = self.opinion_dates[field].text().strip()
        try:
            return parse_date(text), None
        except ValueProblem as exc:
            return None, FieldProblem(field, FL[field], exc.message)
