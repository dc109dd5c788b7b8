"""Plain data the notice, payout batch, bank-file and payout-print services take and return.

Never ORM objects: this is the API the GUI and the CLI share.  Money is integer
fen; dates are ``datetime.date``; timestamps are timezone-aware UTC.

Service functions (all take an ``AppContext`` first):

* ``services.payout.notices``: ``notice_candidates``, ``create_notice``, ``update_notice``,
  ``refresh_notice``, ``remove_notice_entry``, ``set_entry_remark``, ``delete_notice``,
  ``publish_notice``, ``close_notice``, ``list_notices``, ``get_notice``, ``record_objection``,
  ``handle_objection``, ``payability``, ``override_payability``.
* ``services.payout`` (batches and lines): ``batch_candidates``, ``next_batch_number``, ``create_batch``,
  ``list_batches``, ``get_batch``, ``set_line_method``, ``set_line_proxy``, ``remove_line``,
  ``mark_paid``, ``mark_batch_paid``, ``mark_returned``, ``mark_renounced``,
  ``mark_paid_to_relative``, ``reissue_candidates``, ``create_reissue_batch``, ``close_batch``.
* ``services.payout.bank_files``: ``list_templates``, ``save_template``, ``delete_template``,
  ``export_bank_file``, ``import_returns`` (``apply=False``: preview only).
* ``services.payout.printing``: ``roster_document``, ``print_roster``,
  ``receipt_document``, ``print_receipts``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ...domain.payout_states import LINE_STATE_LABELS, PAID_STATES  # noqa: F401  (part of this API)

NOTICE_STATUS_LABELS = {"draft": "草稿", "published": "公示中", "closed": "已结束"}
# the 状态 filter picks the stored status: a published notice stays "published" after its period
NOTICE_FILTER_LABELS = {"draft": "草稿", "published": "已发布（公示中或已期满）", "closed": "已结束"}


def notice_state_label(status: str, ended: bool, open_objections: int) -> str:
    """What a notice's state means to the clerk, the same words in the list, the detail and the CLI.

    A published notice whose period is over is already payable (payability_of needs no 结束公示),
    except for the people with an objection still open.
    """
    if status == "published" and ended:
        return "已期满（异议待处理）" if open_objections else "已期满（可发放）"
    return NOTICE_STATUS_LABELS.get(status, status)

OBJECTION_RESULT_LABELS = {"open": "待处理", "upheld": "异议成立", "dismissed": "异议不成立"}
BATCH_STATUS_LABELS = {"open": "发放中", "closed": "已完成"}
BATCH_KIND_LABELS = {"regular": "常规发放", "standing": "定期补助", "reissue": "重新发放"}
METHOD_LABELS = {
    "bank_transfer": "银行代发",
    "social_security_card": "社保卡",
    "cash": "现金",
    "via_grassroots": "基层工会代发",
}
#: what a row of the bank's return file did (ReturnMatch.action)
RETURN_ACTION_LABELS = {
    "returned": "登记退票",
    "confirmed_paid": "确认发放成功",
    "already_returned": "已是退票，不变",
    "not_returnable": "不是待发放或已发放的银行代发明细，不变",
    "unchanged": "已处理，不变",
}


# --------------------------------------------------------------------------- notices

@dataclass(frozen=True)
class NoticeFilter:
    """Which approved requests a notice takes: relief types ([] = all), period, union subtree."""

    relief_types: tuple[str, ...] = ()
    year: int | None = None
    quarter: int | None = None
    unit_id: int | None = None


@dataclass
class NoticeInput:
    filter: NoticeFilter
    start: date
    working_days: int = 5
    title: str = ""  # blank: "<office>关于<period>困难职工救助对象名单的公示"
    object_to: str = ""  # blank: the office name
    phone: str = ""  # blank: the office phone
    place: str = ""
    intro: str = ""
    show_masked_id: bool = False
    issued_on: date | None = None  # printed date; blank: the start date


@dataclass(frozen=True)
class CandidateView:
    """An approved request that can go on a notice (or into a batch)."""

    request_id: int
    number: str
    name: str
    unit_id: int | None
    unit_name: str
    relief_type: str
    relief_type_label: str
    year: int
    quarter: int | None
    amount_fen: int


@dataclass(frozen=True)
class NoticeEntryView:
    id: int
    seq: int
    request_id: int
    request_number: str
    name: str
    unit_name: str
    relief_type_label: str
    amount_fen: int
    masked_id: str | None
    remark: str
    state: str  # listed | removed
    removed_reason: str | None
    open_objections: int


@dataclass(frozen=True)
class ObjectionView:
    id: int
    notice_id: int
    entry_id: int
    request_id: int
    person_name: str  # whom the objection is about
    objector: str
    contact: str
    channel: str
    received_on: date
    content: str
    recorded_by: str
    recorded_at: datetime
    result: str
    result_label: str
    handling: str
    handled_by: str | None
    handled_at: datetime | None


@dataclass(frozen=True)
class NoticeSummary:
    id: int
    title: str
    status: str
    status_label: str
    start: date
    end: date
    working_days: int
    end_warning: str | None
    entries: int  # listed entries
    total_fen: int
    open_objections: int
    published_at: datetime | None
    published_by: str | None
    ended: bool  # today is after the end date
    number: str = ""  # the notice's own document number, GS2026-001


@dataclass(frozen=True)
class NoticeView:
    summary: NoticeSummary
    filter: NoticeFilter
    object_to: str
    phone: str
    place: str
    intro: str
    show_masked_id: bool
    issued_on: date | None
    entries: tuple[NoticeEntryView, ...]
    objections: tuple[ObjectionView, ...]


@dataclass
class ObjectionInput:
    entry_id: int
    objector: str
    content: str
    received_on: date
    contact: str = ""
    channel: str = "电话"


@dataclass(frozen=True)
class Payability:
    request_id: int
    payable: bool
    reason: str  # why not (Chinese), or how (公示期满 / 特批)
    notice_id: int | None = None
    notice_end: date | None = None
    overridden: bool = False


# --------------------------------------------------------------------------- batches

@dataclass
class LinePlan:
    """How one request is paid in a new batch (defaults come from the archive)."""

    request_id: int
    method: str | None = None  # None: social_security_card/bank_transfer from the archive, else cash
    fund_source: str | None = None  # None: the request's fund source, else the batch default
    budget_line_id: int | None = None  # None: the first budget line of the pay year that may pay it


@dataclass
class BatchInput:
    pay_date: date
    lines: list[LinePlan]
    number: str = ""  # blank: next number for the pattern, e.g. 2026-Q1-01
    title: str = ""
    kind: str = "regular"  # regular | standing
    default_method: str | None = None
    default_fund_source: str | None = None
    remark: str = ""
    overdraw_reason: str = ""  # written reason to draw past a budget line's balance (printed on the batch)


@dataclass(frozen=True)
class LineView:
    id: int
    batch_id: int
    batch_number: str
    seq: int
    request_id: int
    household_id: int | None
    name: str
    id_number: str
    unit_name: str
    relief_type: str
    relief_type_label: str
    method: str
    method_label: str
    fund_source: str | None
    fund_source_label: str
    bank_name: str | None
    account: str | None
    account_masked: str
    amount_fen: int
    state: str
    state_label: str
    return_reason: str | None
    returned_on: date | None
    renounce_reason: str | None
    renounced_on: date | None
    relative_name: str | None
    relative_relation: str | None
    proxy_name: str | None
    proxy_phone: str | None
    proxy_id_number: str | None
    proxy_relation: str | None
    reissue_of: int | None
    reissued_by: int | None  # the line that reissued this returned line
    paid_on: date | None
    remark: str


@dataclass(frozen=True)
class BatchSummary:
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    pay_date: date
    status: str
    status_label: str
    lines: int
    total_fen: int
    paid_fen: int
    pending: int
    returned: int
    renounced: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ReceiptPrintView:
    """One print (or save as PDF for printing) of a batch's 签领表: who, when, how, what it carried."""
    printed_at: datetime
    printed_by: str  # the user's display name (username if none)
    how_label: str  # 打印 / 另存为 PDF
    rows: int
    total_fen: int
    full_id: bool  # the internal copy with whole ID numbers

    @property
    def text(self) -> str:
        copy = "（内部存档本）" if self.full_id else ""
        return f"{self.printed_by} {self.printed_at.astimezone():%Y-%m-%d %H:%M} {self.how_label}{copy}，{self.rows} 人"


@dataclass(frozen=True)
class BatchAttachmentView:
    id: int
    batch_id: int
    filename: str
    kind: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class BatchView:
    summary: BatchSummary
    lines: tuple[LineView, ...]
    remark: str = ""
    totals_by_state: dict[str, int] = field(default_factory=dict)  # state -> fen
    totals_by_fund: dict[str, int] = field(default_factory=dict)  # fund source label -> fen
    renounced_by_fund: dict[str, int] = field(default_factory=dict)  # money going back to each source


# --------------------------------------------------------------------------- bank files

@dataclass(frozen=True)
class BankColumnSpec:
    header: str
    field: str  # seq | account | name | amount | id_number | bank | remark | phone | fixed
    value: str = ""
    width: float | None = None


@dataclass(frozen=True)
class BankTemplateView:
    id: int | None  # None: the built-in generic default
    name: str
    bank: str
    columns: tuple[BankColumnSpec, ...]
    amount_as_text: bool = False


@dataclass(frozen=True)
class BankExportResult:
    path: Path
    template: str
    count: int
    total_fen: int
    skipped: tuple[str, ...] = ()  # lines not exported (cash, no account…), with the reason


@dataclass(frozen=True)
class ReturnMatch:
    row_no: int
    line_id: int
    name: str
    account_masked: str
    amount_fen: int
    reason: str
    matched_by: str  # account | id_number
    action: str  # returned | already_returned | confirmed_paid | not_returnable


@dataclass(frozen=True)
class UnmatchedRow:
    row_no: int
    name: str
    account_masked: str
    id_masked: str
    amount_fen: int | None
    reason: str  # the bank's reason
    why: str  # why we could not match it (Chinese)


@dataclass(frozen=True)
class ReturnImportResult:
    batch_id: int
    batch_number: str
    returned: tuple[ReturnMatch, ...]
    unchanged: tuple[ReturnMatch, ...]
    unmatched: tuple[UnmatchedRow, ...]
    returned_fen: int
    applied: bool  # False for a preview


# --------------------------------------------------------------------------- printing

@dataclass(frozen=True)
class PrintResult:
    path: Path | None
    pages: int
    rows: int
    total_fen: int
    page_sums: tuple[int, ...] = ()
    line_ids: tuple[int, ...] = ()  # receipt lists: the batch lines printed
