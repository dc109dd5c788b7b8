"""What the funds services return: plain dataclasses, money in fen."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


def rate_bp(part: int, whole: int) -> int | None:
    """part ÷ whole in basis points (9844 = 98.44 %), rounded half up; None when whole is 0."""
    if whole <= 0:
        return None
    return (part * 10000 * 2 + whole) // (whole * 2)


def rate_text(bp: int | None) -> str:
    return "—" if bp is None else f"{bp // 100}.{bp % 100:02d}%"


@dataclass(frozen=True)
class SourceView:
    id: int
    code: str
    name: str
    allowed_relief_types: tuple[str, ...]  # () = any type
    allowed_labels: tuple[str, ...]
    active: bool
    note: str

    @property
    def allowed_text(self) -> str:
        return "、".join(self.allowed_labels) if self.allowed_labels else "不限"


@dataclass(frozen=True)
class AdjustmentView:
    id: int
    line_id: int
    adjusted_on: date
    amount_fen: int  # + 调增, − 调减
    reason: str
    doc_no: str
    created_by: str
    created_at: datetime

    @property
    def kind_label(self) -> str:
        return "调增" if self.amount_fen >= 0 else "调减"


@dataclass(frozen=True)
class AllocationView:
    id: int
    line_id: int
    line_label: str
    unit_id: int
    unit_name: str
    allocated_on: date
    amount_fen: int
    doc_no: str
    note: str
    reported_spent_fen: int | None
    reported_on: date | None
    report_note: str

    @property
    def reported_rate_bp(self) -> int | None:
        return None if self.reported_spent_fen is None else rate_bp(self.reported_spent_fen, self.amount_fen)


@dataclass(frozen=True)
class CarryOverView:
    from_line_id: int
    to_line_id: int
    to_year: int
    computed_fen: int
    amount_fen: int
    note: str
    doc_no: str
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True)
class Figures:
    """A budget line's (or a group's) money at one date."""

    budget_fen: int = 0
    allocated_fen: int = 0
    committed_fen: int = 0  # approved or in a batch, not yet paid
    paid_fen: int = 0
    returned_fen: int = 0  # came back (bank return, renounced) — back on the line
    carried_in_fen: int = 0

    @property
    def spent_fen(self) -> int:
        return self.paid_fen + self.allocated_fen

    @property
    def remaining_fen(self) -> int:
        return self.budget_fen - self.allocated_fen - self.committed_fen - self.paid_fen

    @property
    def rate_bp(self) -> int | None:
        return rate_bp(self.spent_fen, self.budget_fen)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(a + b for a, b in zip(self._tuple(), other._tuple())))

    def _tuple(self) -> tuple[int, ...]:
        return (self.budget_fen, self.allocated_fen, self.committed_fen, self.paid_fen, self.returned_fen,
                self.carried_in_fen)


@dataclass(frozen=True)
class BudgetLineView:
    id: int
    year: int
    source_id: int
    source_code: str
    source_name: str
    programme: str
    unit_id: int
    unit_name: str
    initial_fen: int
    set_on: date
    doc_no: str
    note: str
    figures: Figures
    adjustments: tuple[AdjustmentView, ...] = ()
    allocations: tuple[AllocationView, ...] = ()
    carried_in: tuple[CarryOverView, ...] = ()
    carried_out: CarryOverView | None = None
    version: int = 1  # handed back by the adjustment dialog (a line adjusted since is refused)

    @property
    def label(self) -> str:
        return f"{self.year}年 {self.source_name}" + (f"·{self.programme}" if self.programme else "")


@dataclass(frozen=True)
class ExecutionRow:
    key: str  # line id, source code, programme or relief type
    label: str
    figures: Figures
    has_budget: bool = True  # relief-type rows have no budget of their own


@dataclass(frozen=True)
class ExecutionReport:
    year: int
    as_of: date
    total: Figures
    by_line: tuple[ExecutionRow, ...]
    by_source: tuple[ExecutionRow, ...]
    by_programme: tuple[ExecutionRow, ...]
    by_relief_type: tuple[ExecutionRow, ...]
    unbudgeted_fen: int = 0  # paid in the year by lines that draw on no budget line
    unbudgeted_count: int = 0


@dataclass(frozen=True)
class DrawView:
    """One payment line drawing on a budget line (execution drill-down)."""

    line_id: int
    budget_line_id: int
    budget_label: str
    batch_number: str
    pay_date: date
    name: str
    unit_name: str
    relief_type: str
    relief_type_label: str
    amount_fen: int
    state: str
    state_label: str
    paid_on: date | None
    overdraw_reason: str | None


@dataclass(frozen=True)
class CarryOverProposal:
    line_id: int
    line_label: str
    year: int
    remaining_fen: int  # what is left at 31 December
    confirmed: CarryOverView | None = None


@dataclass(frozen=True)
class BudgetChoice:
    """A budget line a payment of one relief type may draw on, with what is left."""

    id: int
    label: str
    source_code: str
    available_fen: int


@dataclass(frozen=True)
class PlanItem:
    relief_type: str
    label: str
    basis: str  # who is counted ("在档深度困难家庭", "在读大学生" …)
    count: int
    times: int  # per year
    unit_fen: int  # standard per person / household / time
    amount_fen: int
    working: str  # the sentence printed on the request


@dataclass(frozen=True)
class BudgetPlan:
    year: int  # the year planned for
    policy_name: str
    policy_year: int
    households: dict[str, int]  # active archive by category
    students: dict[str, int]  # by schooling stage
    chronic_ill: int
    items: tuple[PlanItem, ...]
    total_fen: int
    previous_year: int
    previous: Figures
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def difference_fen(self) -> int:
        return self.total_fen - self.previous.budget_fen
