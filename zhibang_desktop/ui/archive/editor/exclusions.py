"""The exclusion checklist of seed 000: each item answered 否 or 是 (unanswered until checked)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton, QRadioButton, QWidget

from ...common import labels


class ExclusionChecklist(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self._groups: dict[str, QButtonGroup] = {}
        self.no_buttons: dict[str, QRadioButton] = {}
        self.yes_buttons: dict[str, QRadioButton] = {}
        for row, (code, label) in enumerate(labels.EXCLUSIONS.items()):
            no, yes = QRadioButton("否"), QRadioButton("是")
            group = QButtonGroup(self)
            group.addButton(no)
            group.addButton(yes)
            group.buttonToggled.connect(lambda *_: self.changed.emit())
            text = QLabel(label)
            text.setWordWrap(True)
            grid.addWidget(text, row, 0)
            grid.addWidget(no, row, 1)
            grid.addWidget(yes, row, 2)
            self._groups[code] = group
            self.no_buttons[code], self.yes_buttons[code] = no, yes
        self.all_no = QPushButton("全部为“否”")
        self.all_no.setAutoDefault(False)
        self.all_no.clicked.connect(self.set_all_no)
        self.state = QLabel()
        grid.addWidget(self.state, len(labels.EXCLUSIONS), 0)
        grid.addWidget(self.all_no, len(labels.EXCLUSIONS), 1, 1, 2)
        grid.setColumnStretch(0, 1)
        self.changed.connect(self._show_state)

    def set_answers(self, answers: dict[str, bool]) -> None:
        self.blockSignals(True)
        for code, group in self._groups.items():
            group.setExclusive(False)  # so that "unanswered" can be shown again
            self.no_buttons[code].setChecked(code in answers and not answers[code])
            self.yes_buttons[code].setChecked(bool(answers.get(code)))
            group.setExclusive(True)
        self.blockSignals(False)
        self._show_state()

    def answers(self) -> dict[str, bool]:
        """Answered items only: code → True when the exclusion applies."""
        out = {}
        for code in self._groups:
            if self.yes_buttons[code].isChecked():
                out[code] = True
            elif self.no_buttons[code].isChecked():
                out[code] = False
        return out

    def set_all_no(self) -> None:
        for button in self.no_buttons.values():
            button.setChecked(True)

    def _show_state(self) -> None:
        answers = self.answers()
        missing = len(self._groups) - len(answers)
        if any(answers.values()):
            self.state.setText("有不符合项")
            self.state.setStyleSheet("color: #c62828;")
        elif missing:
            self.state.setText(f"尚有 {missing} 项未核查")
            self.state.setStyleSheet("color: #b26a00;")
        else:
            self.state.setText("全部通过")
            self.state.setStyleSheet("color: #2e7d32;")
