"""The editor tabs' layout: labelled groups of fields in two columns inside a scroll area."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QVBoxLayout, QWidget


def form_group(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled group whose fields grow and whose labels are right-aligned."""
    group = QGroupBox(title)
    form = QFormLayout(group)
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
    return group, form


def two_columns(left: Sequence[QWidget], right: Sequence[QWidget]) -> QWidget:
    """The groups stacked in two equally wide columns, top-aligned."""
    grid = QGridLayout()
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(1, 1)
    for column, groups in enumerate((left, right)):
        stack = QVBoxLayout()
        for group in groups:
            stack.addWidget(group)
        stack.addStretch(1)
        grid.addLayout(stack, 0, column)
    body = QWidget()
    body.setLayout(grid)
    return body
