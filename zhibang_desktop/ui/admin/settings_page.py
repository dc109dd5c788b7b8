"""单位与组织: office settings, the yearly 低保 / 低收入 standards, the union tree."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import clock
from ...services.admin import settings
from ...services.errors import ServiceError, ValidationFailed
from ..common import messages
from ..common.field_errors import EDITOR_STYLE, FieldErrors, with_error
from ..common.executor import ChangeSummary
from ..common.session import UiSession
from .union_tree import UnionTreeEditor
from .year_standards import YearStandardsEditor
from ..common.page import Page

FIELDS = ("office_name", "region", "phone", "archive_prefix", "archive_no_pattern")
# follow-ups and complaints (issue 18): (setting, lowest, highest, suffix)
NUMBERS = (("followup_sample_percent", 1, 100, " %"), ("followup_days", 1, 365, " 天"),
           ("complaint_working_days", 1, 120, " 个工作日"))


def pattern_example(pattern: str, prefix: str) -> str:
    try:
        return pattern.format(prefix=prefix, year=clock.today().year, seq=1)
    except (KeyError, ValueError, IndexError):
        return "（格式有误）"


class OfficeForm(QWidget):
    saved = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(EDITOR_STYLE)
        self.errors = FieldErrors()
        self.edits = {name: QLineEdit() for name in FIELDS}
        self.edits["office_name"].setPlaceholderText("如：增城区总工会")
        self.edits["region"].setPlaceholderText("如：广州市增城区")
        self.edits["archive_prefix"].setPlaceholderText("如：ZC")
        self.example = QLabel()
        self.causes = QPlainTextEdit()
        self.causes.setFixedHeight(150)
        form = QFormLayout()
        for name in FIELDS:
            field: QWidget = self.edits[name]
            if name == "archive_no_pattern":  # the example number beside the pattern
                field = QWidget()
                beside = QHBoxLayout(field)
                beside.setContentsMargins(0, 0, 0, 0)
                beside.addWidget(self.edits[name], 1)
                beside.addWidget(self.example)
                self.edits[name].setProperty("rawText", True)  # a pattern the admin edits, shown as typed
            form.addRow(settings.LABELS[name] + "：", with_error(field, self.errors.add(name, self.edits[name])))
        form.addRow("致困原因选项（每行一项）：", with_error(self.causes, self.errors.add("hardship_causes", self.causes)))
        self.numbers = {}
        for name, low, high, suffix in NUMBERS:
            box = self.numbers[name] = QSpinBox()
            box.setRange(low, high)
            box.setSuffix(suffix)
            form.addRow(settings.LABELS[name] + "：", with_error(box, self.errors.add(name, box)))
        hint = QLabel("档案号格式可用 {prefix}（前缀）、{year}（年份）、{seq:05d}（5 位序号）。"
                      "致困原因选项改动后，新建和修改档案时使用新选项。回访抽样比例为 100 % 时每笔发放都回访；"
                      "改动比例只影响改动当天及以后的发放。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        hint.setProperty("rawText", True)  # explains the pattern's placeholders by name
        self.save_button = QPushButton("保存单位信息")
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        column = QWidget()
        column.setMaximumWidth(760)  # a readable form, not a line across the whole screen
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        inner.addWidget(hint)
        inner.addLayout(bar)
        layout = QVBoxLayout(self)
        layout.addWidget(column)
        layout.addStretch(1)
        for name in ("archive_no_pattern", "archive_prefix"):
            self.edits[name].textChanged.connect(lambda _: self._show_example())
        self.load()

    def load(self) -> None:
        current = settings.get_settings(self.ctx)
        for name in FIELDS:
            self.edits[name].setText(getattr(current, name))
        self.causes.setPlainText("\n".join(current.hardship_causes))
        for name, box in self.numbers.items():
            box.setValue(getattr(current, name))
        self.errors.show([])
        self._show_example()

    def _show_example(self) -> None:
        example = pattern_example(self.edits["archive_no_pattern"].text(), self.edits["archive_prefix"].text())
        self.example.setText(f"示例：{example}")

    def save(self) -> bool:
        causes = tuple(dict.fromkeys(line.strip() for line in self.causes.toPlainText().splitlines() if line.strip()))
        new = replace(settings.get_settings(self.ctx), hardship_causes=causes,
                      **{name: self.edits[name].text().strip() for name in FIELDS},
                      **{name: box.value() for name, box in self.numbers.items()})
        try:
            settings.save_settings(self.ctx, new)
        except ValidationFailed as exc:
            self.errors.show(exc.problems)
            messages.show_service_error(self, exc, "未保存")
            return False
        except ServiceError as exc:
            messages.show_service_error(self, exc, "未保存")
            return False
        self.load()
        self.saved.emit()
        messages.info(self, "单位信息", "已保存。")
        return True


class SettingsPage(Page):
    def __init__(self, session: UiSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.office = OfficeForm(session.ctx)
        self.standards = YearStandardsEditor(session.ctx)
        self.unions = UnionTreeEditor(session.ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.office, "单位信息")
        self.tabs.addTab(self.standards, "低保与低收入标准")
        self.tabs.addTab(self.unions, "工会组织")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        for editor in (self.office.saved, self.standards.changed, self.unions.changed):
            editor.connect(lambda *_: session.announce(ChangeSummary(settings=True)))

    def activated(self) -> None:
        self.set_status("单位信息、年度低保标准和工会组织的修改都记入审计日志。")
