"""Payout (发放): public notices, payout batches and their lines, reissues, bank files and the
printed rosters and receipt lists.

The batch and line use cases are re-exported here: `rules` (rules, numbers, guards), `batches`
(candidates, creating and closing batches), `lines` (line state changes; its docstring draws the
states), `reissue` and `views` (reading); `types` holds the plain data."""

from .batches import add_lines, batch_candidates, close_batch, create_batch, next_batch_number
from .rules import ACCOUNT_METHODS, KINDS, MANAGE, METHODS, READ, LineStateError
from .lines import (
    _paid, mark_batch_paid, mark_paid, mark_paid_to_relative, mark_renounced, mark_returned, remove_line,
    return_line_in, set_line_method, set_line_proxy,
)
from .reissue import ReissuePlan, create_reissue_batch, reissue_candidates
from .views import find_batch, get_batch, list_batches
from .types import (
    NoticeFilter, NoticeInput, CandidateView, NoticeEntryView, ObjectionView, NoticeSummary,
    NoticeView, ObjectionInput, Payability, LinePlan, BatchInput, LineView, BatchSummary, BatchView,
    BankColumnSpec, BankTemplateView, BankExportResult, ReturnMatch, UnmatchedRow,
    ReturnImportResult, PrintResult
)

__all__ = [
    "ACCOUNT_METHODS", "BankColumnSpec", "BankExportResult", "BankTemplateView", "BatchInput",
    "BatchSummary", "BatchView", "CandidateView", "KINDS", "LinePlan", "LineStateError", "LineView",
    "MANAGE", "METHODS", "NoticeEntryView", "NoticeFilter", "NoticeInput", "NoticeSummary",
    "NoticeView", "ObjectionInput", "ObjectionView", "Payability", "PrintResult", "READ",
    "ReissuePlan", "ReturnImportResult", "ReturnMatch", "UnmatchedRow", "_paid", "batch_candidates",
    "add_lines", "close_batch", "create_batch", "create_reissue_batch", "find_batch", "get_batch",
    "list_batches", "mark_batch_paid", "mark_paid", "mark_paid_to_relative", "mark_renounced",
    "mark_returned", "next_batch_number", "reissue_candidates", "remove_line", "return_line_in",
    "set_line_method", "set_line_proxy"
]
