"""发放批次: paying noticed requests, and what happens after (seed 000, seed 002, seed 003).

Line states::

    pending ──mark_paid──▶ paid ──mark_returned (bank)──▶ returned ──reissue──▶ reissued
       │  └──mark_paid_to_relative (deceased)──▶ paid_to_relative        │          (a new pending
       │                                                                 │           line in a later
       └──mark_renounced──▶ renounced ◀──────────────────────────────────┘           batch)

* Money paid (``paid``, ``paid_to_relative``) writes the :class:`Payment` row (source
  ``disbursement``) that the relief limits and reports count; a bank return or a
  renunciation after payment removes it again.
* A request is never paid twice: its ``request_payout_claims`` row names the one line
  that stands for it; a new batch cannot take a claimed request, a reissue moves the
  claim from the returned line (``UPDATE … WHERE line_id = old``) and a returned line is
  reissued at most once (unique ``reissue_of``); the payments table allows one
  disbursement payment per request.  The services check first and say why in Chinese;
  the database refuses whatever slips through.
* A renounced line keeps its claim (the request is closed) and its money goes back to
  its fund source (seed 000: 14 households renounced, 8.94 万元 returned).
* Batch numbers: ``2026-Q1-01`` (year, quarter of the pay date, sequence) or ``第31次``
  for a standing subsidy paid in numbered batches (seed 003).

This module is the payout API the GUI, the CLI and the other services share; the work is
done in ``rules`` (rules, numbers, guards), ``batches`` (candidates, creating and closing
batches), ``lines`` (line state changes), ``reissue`` and ``views`` (reading), all
re-exported here and by the package.
"""
from __future__ import annotations

from .batches import (
    add_lines, batch_candidates, close_batch, create_batch, next_batch_number,
)
from .rules import ACCOUNT_METHODS, KINDS, MANAGE, METHODS, READ, LineStateError
from .lines import (
    _paid, mark_batch_paid, mark_paid, mark_paid_to_relative, mark_renounced, mark_returned, remove_line,
    return_line_in, set_line_method, set_line_proxy,
)
from .reissue import ReissuePlan, create_reissue_batch, reissue_candidates
from .views import find_batch, get_batch, list_batches

__all__ = [
    "ACCOUNT_METHODS", "KINDS", "MANAGE", "METHODS", "READ", "LineStateError", "ReissuePlan",
    "next_batch_number", "batch_candidates", "create_batch", "add_lines", "close_batch",
    "mark_paid", "mark_batch_paid", "return_line_in", "mark_returned", "mark_renounced", "mark_paid_to_relative",
    "set_line_method", "set_line_proxy", "remove_line", "_paid",
    "reissue_candidates", "create_reissue_batch",
    "list_batches", "find_batch", "get_batch",
]
