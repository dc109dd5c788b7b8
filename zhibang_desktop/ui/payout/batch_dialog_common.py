"""Pieces shared by the 救助金发放 dialogs: the OK/cancel box, read-only table cells, and the
method and fund-source combos."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QTableWidgetItem

from ...services.relief import policies
from ...services.errors import ServiceError
from ...services.payout.types import METHOD_LABELS
from ..common.executor import ChangeSummary

#: what a stored payout changes: the batches page (and the funds page, whose figures count it) reload
PAYOUTS = ChangeSummary(payouts=True)


def _ok_cancel(ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("取消")
    return box


def _item(text: str, align=Qt.AlignLeft | Qt.AlignVCenter, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
    item.setTextAlignment(align)
    if color is not None:
        item.setForeground(QBrush(color))
    return item


def method_combo(none_label: str | None = "按档案", current: str | None = None) -> QComboBox:
    combo = QComboBox()
    if none_label is not None:
        combo.addItem(none_label, None)
        combo.setItemData(0, "档案中有社保卡或银行卡号的代发到卡，没有的发现金", Qt.ToolTipRole)
        combo.setToolTip("“按档案”：档案中有社保卡或银行卡号的代发到卡，没有的发现金")
    for code, text in METHOD_LABELS.items():
        combo.addItem(text, code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def fund_combo(funds: list[tuple[str, str]], none_label: str | None = "按申请", current: str | None = None) -> QComboBox:
    combo = QComboBox()
    if none_label is not None:
        combo.addItem(none_label, None)
    for code, text in funds:
        combo.addItem(text, code)
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))
    return combo


def fund_sources(ctx, year: int) -> list[tuple[str, str]]:
    try:
        options = policies.policy_options(ctx, year)
    except ServiceError:
        return []
    return [(o.code, o.label) for o in options.fund_sources]
