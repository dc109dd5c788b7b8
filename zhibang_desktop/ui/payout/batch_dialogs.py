"""Dialogs of the 救助金发放 page: a new batch from payable requests, the reissue of bank returns,
the bank return import result, and the small per-line forms (returned, renounced, paid to a
relative, method, proxy, pay date).

Every dialog calls its service itself when 确定 is pressed and stays open on a refusal, showing
the service's reasons (the service decides; the dialog only collects).

The dialogs live in modules of one job each; this module re-exports them:
batch_dialog_common (shared combos and cells), batch_line_dialogs (the per-line forms),
new_batch_dialog (新建发放批次) and batch_return_dialogs (退票重新发放, 银行回执).
"""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from .batch_dialog_common import fund_combo, fund_sources, method_combo
from .batch_line_dialogs import (
    RELATIONS, RENOUNCE_REASONS, RETURN_REASONS, FormDialog, batch_paid_dialog, editable_combo, method_dialog,
    paid_dialog, proxy_dialog, relative_dialog, renounced_dialog, returned_dialog,
)
from .batch_return_dialogs import ACTION_LABELS, ReissueDialog, ReturnsDialog
from .new_batch_dialog import QUARTERS, NewBatchDialog

__all__ = [
    "ACTION_LABELS",
    "QUARTERS",
    "RELATIONS",
    "RENOUNCE_REASONS",
    "RETURN_REASONS",
    "FormDialog",
    "NewBatchDialog",
    "QComboBox",
    "QLineEdit",
    "ReissueDialog",
    "ReturnsDialog",
    "batch_paid_dialog",
    "editable_combo",
    "fund_combo",
    "fund_sources",
    "method_combo",
    "method_dialog",
    "paid_dialog",
    "proxy_dialog",
    "relative_dialog",
    "renounced_dialog",
    "returned_dialog",
]
