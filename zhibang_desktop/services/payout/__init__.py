"""Payout (发放): public notices, payout batches and their lines, reissues, bank files and the
printed rosters and receipt lists.

The batch and line use cases are re-exported here; `types` holds the plain data."""

from .payouts import (
    ACCOUNT_METHODS, KINDS, MANAGE, METHODS, READ, LineStateError, ReissuePlan, next_batch_number,
    batch_candidates, create_batch, add_lines, close_batch, mark_paid, mark_batch_paid, return_line_in,
    mark_returned, mark_renounced, mark_paid_to_relative, set_line_method, set_line_proxy,
    remove_line, _paid, reissue_candidates, create_reissue_batch, list_batches, find_batch,
    get_batch
)
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
