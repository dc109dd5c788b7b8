"""Session-level pieces shared by the notice, disbursement, bank-file and print services.

No public service functions here (nothing takes ``ctx``): the clock, labels, the
payability rule and the views.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain.cards import mask_account
from ...domain.archive_form import label_of
from ...domain.idnumber import mask_id_number
from ...domain.policy import KNOWN_FUND_SOURCES, Policy
from ...storage.models import (
    DisbursementLine, Household, Notice, NoticeEntry, Objection, Payment, PayoutOverride, ReliefRequest,
    RequestPayoutClaim,
)
from ..relief import store as relief_store
from ..errors import NotFound
from .types import (
    LINE_STATE_LABELS, METHOD_LABELS, LineView, Payability,
)
from ..relief.policies import policy_of, version_row


# ------------------------------------------------------------------ labels

class Labels:
    """Relief type and fund source names of the policy a request was judged under (cached)."""

    def __init__(self, session: Session):
        self.session = session
        self._policies: dict[int, Policy | None] = {}

    def policy(self, policy_version_id: int | None) -> Policy | None:
        if policy_version_id is None:
            return None
        if policy_version_id not in self._policies:
            try:
                self._policies[policy_version_id] = policy_of(version_row(self.session, policy_version_id))
            except Exception:  # noqa: BLE001 - a broken stored policy must not hide a name
                self._policies[policy_version_id] = None
        return self._policies[policy_version_id]

    def relief_type(self, r: ReliefRequest) -> str:
        policy = self.policy(r.policy_version_id)
        rt = policy.relief_type(r.relief_type) if policy else None
        return rt.name if rt else r.relief_type

    def fund_source(self, code: str | None, policy_version_id: int | None = None) -> str:
        if not code:
            return ""
        policy = self.policy(policy_version_id)
        if policy is not None:
            return policy.fund_source_name(code)
        return KNOWN_FUND_SOURCES.get(code, code)


def quarter_label(q: int) -> str:
    return "第" + "一二三四"[q - 1] + "季度"


def period_label(year: int | None, quarter: int | None) -> str:
    if year is None:
        return ""
    if quarter:
        return f"{year}年{quarter_label(quarter)}"
    return f"{year}年度"


# ------------------------------------------------------------------ look-ups

def get_or_404(session: Session, model, key, what: str):
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"{what}（编号 {key}）不存在")
    return row


def has_payment(session: Session, request_id: int) -> bool:
    return session.execute(select(Payment.id).where(Payment.request_id == request_id).limit(1)).first() is not None


def claimed(session: Session, request_id: int) -> RequestPayoutClaim | None:
    return session.get(RequestPayoutClaim, request_id)


def listed_entry(session: Session, request_id: int) -> tuple[NoticeEntry, Notice] | None:
    """The request's entry on a notice that still stands (draft, published or closed)."""
    row = session.execute(
        select(NoticeEntry, Notice).join(Notice, Notice.id == NoticeEntry.notice_id)
        .where(NoticeEntry.request_id == request_id, NoticeEntry.state == "listed")
        .order_by(Notice.id.desc()).limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def open_objections(session: Session, entry_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(Objection).where(Objection.entry_id == entry_id, Objection.result == "open")
    ).scalar_one()


def payability_of(session: Session, r: ReliefRequest, on: date) -> Payability:
    """May this request's money go into a batch now?  (Not: is it already in one.)

    Only an approved request, after its notice ended (the day after the end date) with
    no open objection — or with an admin's written override.
    """
    if r.status != "approved" or r.approved_fen is None:
        return Payability(r.id, False, f"申请状态为“{relief_store.STATUS_LABELS.get(r.status, r.status)}”，"
                                       "只有已审批的申请可以发放")
    if r.source == "ledger":
        return Payability(r.id, False, "历史台账导入的记录已发放，不能再次发放")
    override = session.execute(select(PayoutOverride).where(PayoutOverride.request_id == r.id)).scalar_one_or_none()
    found = listed_entry(session, r.id)
    if found is not None:
        entry, notice = found
        objections = open_objections(session, entry.id)
        if objections:
            if override is not None:
                return Payability(r.id, True, f"特批发放：{override.reason}", notice.id, notice.end_date, True)
            return Payability(r.id, False, f"公示中有 {objections} 条异议尚未处理", notice.id, notice.end_date)
        if notice.status in ("published", "closed") and on > notice.end_date:
            return Payability(r.id, True, "公示期满无异议", notice.id, notice.end_date)
        if override is not None:
            return Payability(r.id, True, f"特批发放：{override.reason}", notice.id, notice.end_date, True)
        if notice.status == "draft":
            return Payability(r.id, False, "公示尚未发布", notice.id, notice.end_date)
        return Payability(r.id, False, f"公示期至 {notice.end_date.isoformat()}，期满后才能发放",
                          notice.id, notice.end_date)
    if override is not None:
        return Payability(r.id, True, f"特批发放（未经公示）：{override.reason}", overridden=True)
    return Payability(r.id, False, "尚未公示（发放前须公示）")


# ------------------------------------------------------------------ views

def line_view(line: DisbursementLine, batch_number: str, labels: Labels, reissued_by: int | None = None,
              policy_version_id: int | None = None, full: bool = True) -> LineView:
    """``full=False`` masks the ID, account and proxy ID numbers: only the clerks who pay
    (payout.manage) see them whole; reviewers, heads and auditors read masked numbers."""
    view = LineView(
        id=line.id, batch_id=line.batch_id, batch_number=batch_number, seq=line.seq, request_id=line.request_id,
        household_id=line.household_id, name=line.name, id_number=line.id_number, unit_name=line.unit_name,
        relief_type=line.relief_type, relief_type_label=line.relief_type_label or line.relief_type,
        method=line.method, method_label=METHOD_LABELS.get(line.method, line.method), fund_source=line.fund_source,
        fund_source_label=labels.fund_source(line.fund_source, policy_version_id), bank_name=line.bank_name,
        account=line.account, account_masked=mask_account(line.account) if line.account else "",
        amount_fen=line.amount_fen, state=line.state, state_label=LINE_STATE_LABELS.get(line.state, line.state),
        return_reason=line.return_reason, returned_on=line.returned_on, renounce_reason=line.renounce_reason,
        renounced_on=line.renounced_on, relative_name=line.relative_name, relative_relation=line.relative_relation,
        proxy_name=line.proxy_name, proxy_phone=line.proxy_phone, proxy_id_number=line.proxy_id_number,
        proxy_relation=line.proxy_relation, reissue_of=line.reissue_of, reissued_by=reissued_by,
        paid_on=line.paid_on, remark=line.remark or "",
    )
    if full:
        return view
    return replace(view, id_number=mask_id_number(view.id_number) if view.id_number else view.id_number,
                   account=view.account_masked or view.account,
                   proxy_id_number=mask_id_number(view.proxy_id_number) if view.proxy_id_number else None)


def household_private_values(session: Session, household_ids: set[int]) -> set[str]:
    """What these households keep private: ID and card numbers, illnesses, disabilities and
    hardship causes (members' too). The public-text guard refuses any of them on a public page."""
    values: set[str] = set()
    if not household_ids:
        return values
    ids = list(household_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for hh in session.execute(select(Household).where(Household.id.in_(chunk))).scalars():
            values.update(v for v in (hh.health, hh.id_number, hh.bank_account) if v)
            if hh.disability_category not in (None, "none"):  # the 档案表's 残疾类别 is health data too
                values.add(label_of("disability_category", hh.disability_category))
            values.update(c for c in hh.causes or () if isinstance(c, str))
            for m in hh.members:
                values.update(v for v in (m.health, m.disability, m.id_number) if v)
    return {v.strip() for v in values if v and len(v.strip()) >= 2 and v.strip() not in _NOT_PRIVATE}


# generic words that are stored as health values but say nothing private
_NOT_PRIVATE = {"健康", "良好", "一般", "正常", "无"}
