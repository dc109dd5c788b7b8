"""Lifecycle steps of an archive: 建档, 进入渐退期, 退档, 重新在档 (a date and a reason each)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ....services import archive
from ....services.archive.lifecycle import IMMEDIATE_EXIT_REASONS
from ....services.archive.types import HouseholdView
from ...common import labels
from ...common.widgets.date_edit import qdate_today



@dataclass(frozen=True)
class Step:
    key: str
    button: str
    allowed_from: frozenset[str]
    date_label: str
    reason_label: str | None  # None: no reason asked
    reasons: tuple[str, ...] = ()


STEPS = (
    Step("archive", "建档", frozenset({"draft"}), "建档日期", None),
    Step("begin_exit", "进入渐退期", frozenset({"active"}), "退档决定日期", "退档原因",
         ("家庭收入已超过标准", "困难情况已消除", "本人申请退出")),
    Step("complete_exit", "退档", frozenset({"active", "phasing_out"}), "退档日期", "原因",
         IMMEDIATE_EXIT_REASONS),
    Step("reactivate", "重新在档", frozenset({"phasing_out", "exited"}), "重新在档日期", "原因",
         ("家庭再次陷入困难",)),
)


def to_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class StepDialog(QDialog):
    """Asks the date (and reason) of a step; shows what follows from it (e.g. the 渐退期 end)."""

    def __init__(self, step: Step, view: HouseholdView, parent: QWidget | None = None):
        super().__init__(parent)
        self.step, self.view = step, view
        self.setWindowTitle(f"{step.button}：{view.archive_no} {view.data.name}")
        self.date = QDateEdit(qdate_today(), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date.setMaximumDate(qdate_today())
        self.reason = QComboBox(editable=True)
        self.reason.addItems(["", *step.reasons])
        self.reason.lineEdit().setPlaceholderText("可从列表选择或直接填写")
        self.reason.setMinimumWidth(280)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(step.date_label + "：", self.date)
        if step.reason_label:
            form.addRow(step.reason_label + "：", self.reason)
        else:
            self.reason.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(step.button)
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.date.dateChanged.connect(self._update_hint)
        self._update_hint()

    def _update_hint(self) -> None:
        on = to_date(self.date.date())
        if self.step.key == "begin_exit":
            text = (f"渐退期 6 个月，至 <b>{labels.day(labels.phase_out_end(on))}</b> 结束；"
                    "渐退期内仍可享受帮扶，期满后办理退档。")
        elif self.step.key == "complete_exit" and self.view.status == "phasing_out":
            until = self.view.phase_out_until
            text = (f"渐退期至 {labels.day(until)}。期满前退档须填写原因（如死亡、迁出）。" if until else "")
        elif self.step.key == "complete_exit":
            text = "在档家庭直接退档（不经渐退期）须填写原因，如：" + "、".join(IMMEDIATE_EXIT_REASONS)
        elif self.step.key == "archive":
            text = "建档后档案进入“在档”状态，按困难类别安排定期走访。"
        else:
            text = "重新在档后，原退档日期清空（变更记录中保留）。"
        self.hint.setText(text)

    def values(self) -> tuple[date, str]:
        return to_date(self.date.date()), self.reason.currentText().strip()


def run_step(ctx, step: Step, household_id: int, on: date, reason: str) -> HouseholdView:
    call: dict[str, Callable[[], HouseholdView]] = {
        "archive": lambda: archive.archive_household(ctx, household_id, on),
        "begin_exit": lambda: archive.begin_exit(ctx, household_id, on, reason),
        "complete_exit": lambda: archive.complete_exit(ctx, household_id, on, reason or None),
        "reactivate": lambda: archive.reactivate(ctx, household_id, on, reason),
    }
    return call[step.key]()
