"""A date field with a calendar pop-up, shown as 2026-03-02, taking and giving `datetime.date`."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from ....domain import clock


def qdate_today() -> QDate:
    """The clock's today as a QDate (Qt's own current date would bypass the pinned clock)."""
    d = clock.today()
    return QDate(d.year, d.month, d.day)


class DateEdit(QDateEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(QDate(2000, 1, 1))
        self.setMaximumDate(QDate(2099, 12, 31))
        self.setMinimumWidth(120)
        self.set_value(value or clock.today())

    def value(self) -> date:
        return self.date().toPython()

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))
