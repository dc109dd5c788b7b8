"""A hand-made year whose every indicator figure is known (direct inserts; the services that
write these rows have their own tests).

YEAR is the year before the pinned test day, so the whole year is in the past.  Unions come
from the ``ctx`` fixture: 荔城街 (street) > 荔城街某某电子厂工会, 新塘镇 (street) > 新塘镇牛仔服装公司工会.

Households (荔城街某某电子厂工会 unless noted):
  A 张一 deep, archived the year before, visited 06-10 (entered the same day)
  B 李二 relative, last visit 03-03 → due 09-03, overdue 119 days at 12-31
  C 王三 relative, archived 05-01 (paid 04-15 before that), visit 08-01 entered 09-15 (45 days)
  D 赵四 relative, 新塘镇牛仔服装公司工会, visit 10-01 entered 10-02
  E 钱五 exited 07-01 without a 渐退期 (死亡)
  F 孙六 exited 08-01 at the end of its 渐退期
  周七 is not in the archive (a ledger payment only).

Payouts (amounts in yuan; 增城 standard: quarterly 400–600, emergency illness 2,000–5,000):
  1 A quarterly 500  bank   batch B1 (03-20) paid 03-20, notice ended 03-10
  2 B emergency 1000 bank   B1 paid 03-20 — below the standard, with a justification (seed 001's knee)
  3 C quarterly 600  cash   B2 (04-15) paid 04-15; on the printed list, B2 has no signed scan
  4 D quarterly 500  card   B2 paid 04-15, never on a notice, admin's override
  5 A quarterly 400  via grassroots, B3 (09-10) paid 09-10 while its notice ran to 09-12
  6 B quarterly 500  bank   B3 returned, reissued in B4, paid 09-24: 10 working days late
  7 F quarterly 500  cash   B1 paid 03-20, printed, B1 has the signed scan
  8 ledger 周七 emergency 800 on 06-01 — below every emergency sub-case, no archive
  9 ledger A quarterly 500 on 02-10
 10 E quarterly 500 approved 06-01, renounced (本人放弃) — never paid
Reviews: one on time per entered request, plus request 4's street review 3 working days late.
Budget (seed 001): 480,000 cut by 210,000 to 270,000; 4,000 drawn by the lines above and
261,800 allocated to 荔城街 — 265,800 ÷ 270,000 = 98.44 %.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select

from tests.pinned import TEST_TODAY
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.storage.models import (
    AttachmentBlob, BatchAttachment, BudgetAdjustment, BudgetAllocation, BudgetDraw, BudgetLine, Disbursement,
    DisbursementLine, FundSource, Household, Notice, NoticeEntry, OrgUnit, Payment, PayoutOverride, PolicyVersion,
    ReceiptPrint, ReliefRequest, RequestPayoutClaim, Review, Visit,
)

YEAR = TEST_TODAY.year - 1
G1, G2 = "荔城街某某电子厂工会", "新塘镇牛仔服装公司工会"
STREET1, STREET2 = "荔城街总工会", "新塘镇总工会"


def d(m: int, day: int, year: int = YEAR) -> date:
    return date(year, m, day)


def at(m: int, day: int, year: int = YEAR) -> datetime:
    return datetime(year, m, day, 2, 0, tzinfo=timezone.utc)  # 10:00 in China


@dataclass
class Year:
    households: dict[str, int] = field(default_factory=dict)
    requests: dict[int, int] = field(default_factory=dict)  # payout number → request id
    lines: dict[int, int] = field(default_factory=dict)  # payout number → paid line id
    units: dict[str, int] = field(default_factory=dict)


def build_year(ctx) -> Year:
    from zhibang_desktop.services.relief import policies

    policies.use_preset(ctx, "增城", YEAR)
    y = Year()
    with ctx.db.session() as s:
        y.units = {name: uid for uid, name in s.execute(select(OrgUnit.id, OrgUnit.name))}
        pv = s.execute(select(PolicyVersion.id).where(PolicyVersion.year == YEAR)).scalar_one()
        _households(s, y)
        _payouts(s, y, pv)
        _budget(s, y)
    return y


def _households(s, y: Year) -> None:
    people = [  # key, name, seq, unit, category, archived_on, exited_on, phase_out_until, reason, visit, entered
        ("A", "张一", 1, G1, "deep", d(6, 1, YEAR - 1), None, None, None, d(6, 10), d(6, 10)),
        ("B", "李二", 2, G1, "relative", d(6, 1, YEAR - 1), None, None, None, d(3, 3), d(3, 5)),
        ("C", "王三", 3, G1, "relative", d(5, 1), None, None, None, d(8, 1), d(9, 15)),
        ("D", "赵四", 4, G2, "relative", d(6, 1, YEAR - 1), None, None, None, d(10, 1), d(10, 2)),
        ("E", "钱五", 5, G1, "relative", d(6, 1, YEAR - 1), d(7, 1), None, "死亡", None, None),
        ("F", "孙六", 6, G1, "relative", d(6, 1, YEAR - 1), d(8, 1), d(8, 1), "收入超过标准", None, None),
    ]
    for key, name, seq, unit, category, archived, exited, phase_end, reason, visit, entered in people:
        hh = Household(archive_no=f"ZC{YEAR}{seq:05d}", status="exited" if exited else "active", category=category,
                       unit_id=y.units[unit], name=name, id_number=make_id_number("440183", date(1975, 1, seq), seq, "M"),
                       created_at=at(1, 2), updated_at=at(1, 2), archived_on=archived, exited_on=exited,
                       phase_out_until=phase_end, exit_decided_on=d(2, 1) if phase_end else None, exit_reason=reason,
                       last_visit_on=visit)
        s.add(hh)
        s.flush()
        y.households[key] = hh.id
        if visit:
            s.add(Visit(household_id=hh.id, visit_date=visit, method="home", visitor="李娜",
                        created_at=datetime.combine(entered, datetime.min.time(), timezone.utc).replace(hour=2)))


BATCHES = {"B1": d(3, 20), "B2": d(4, 15), "B3": d(9, 10), "B4": d(9, 24)}
# number: household, type, subcase, yuan, method, batch, state, notice end (None: none), decided
PAYOUTS = {
    1: ("A", "quarterly", None, 500, "bank_transfer", "B1", "paid", d(3, 10), d(3, 2)),
    2: ("B", "emergency", "illness_surgery", 1000, "bank_transfer", "B1", "paid", d(3, 10), d(3, 2)),
    3: ("C", "quarterly", None, 600, "cash", "B2", "paid", d(4, 10), d(4, 1)),
    4: ("D", "quarterly", None, 500, "social_security_card", "B2", "paid", None, d(4, 1)),
    5: ("A", "quarterly", None, 400, "via_grassroots", "B3", "paid", d(9, 12), d(9, 1)),
    6: ("B", "quarterly", None, 500, "bank_transfer", "B3", "returned", d(9, 5), d(9, 1)),
    7: ("F", "quarterly", None, 500, "cash", "B1", "paid", d(3, 10), d(3, 2)),
    10: ("E", "quarterly", None, 500, "bank_transfer", "B3", "renounced", d(6, 10), d(6, 1)),
}
STANDARDS = {"quarterly": (40000, 60000), "emergency": (200000, 500000)}


def _request(s, y: Year, pv: int, n: int, key: str | None, name: str, id_number: str, unit_id: int, rtype: str,
             subcase, fen: int, decided: date, source: str = "entered", justification: str = "") -> ReliefRequest:
    lo, hi = STANDARDS[rtype] if source == "entered" else (None, None)
    r = ReliefRequest(number=f"JZ{YEAR}-{n:05d}", source=source, household_id=y.households.get(key) if key else None,
                      name=name, id_number=id_number, unit_id=unit_id, policy_version_id=pv, relief_type=rtype,
                      subcase=subcase, period_year=YEAR, period_quarter=(decided.month - 1) // 3 + 1,
                      request_date=decided, requested_fen=fen, suggested_fen=fen, approved_fen=fen, current_fen=fen,
                      status="approved", standard_min_fen=lo, standard_max_fen=hi, justification=justification,
                      creator_username="clerk", creator_name="经办人", created_at=at(decided.month, decided.day),
                      updated_at=at(decided.month, decided.day), decided_at=at(decided.month, decided.day),
                      fund_source="union", events=[], chain=[])
    s.add(r)
    s.flush()
    return r


def _payouts(s, y: Year, pv: int) -> None:
    batches = {}
    for number, pay_date in BATCHES.items():
        b = Disbursement(number=f"{YEAR}-{number}", pay_date=pay_date, created_at=at(1, 2), created_by="clerk")
        s.add(b)
        s.flush()
        batches[number] = b
    seq = 0
    for n, (key, rtype, subcase, yuan, method, batch, state, notice_end, decided) in PAYOUTS.items():
        hh = s.get(Household, y.households[key])
        r = _request(s, y, pv, n, key, hh.name, hh.id_number, hh.unit_id, rtype, subcase, yuan * 100, decided,
                     justification="自付手术费用高，家庭困难" if n == 2 else "")
        y.requests[n] = r.id
        reviewed = d(decided.month, decided.day)
        s.add(Review(request_id=r.id, level="district", level_index=0, level_name="区总工会", reviewer_username="head",
                     reviewer_name="负责人", decision="approve", opinion="同意", received_at=at(reviewed.month, reviewed.day),
                     decided_at=at(reviewed.month, reviewed.day), due_date=reviewed, overdue=False))
        if n == 4:  # the street union took 3 working days too long (due Wed 06-11, decided Mon 06-16)
            s.add(Review(request_id=r.id, level="street", level_index=0, level_name="新塘镇总工会", reviewer_username="rev",
                         reviewer_name="审核人小林", decision="approve", opinion="同意", received_at=at(6, 4),
                         decided_at=at(6, 16), due_date=d(6, 11), overdue=True))
            s.add(PayoutOverride(request_id=r.id, reason="住院急需先行发放", by_username="admin", by_name="管理员",
                                 at=at(4, 14)))
        if notice_end is not None:
            notice = Notice(title=f"公示{n}", start_date=d(notice_end.month, 1), end_date=notice_end, status="closed",
                            created_at=at(1, 2), created_by="clerk")
            s.add(notice)
            s.flush()
            s.add(NoticeEntry(notice_id=notice.id, request_id=r.id, seq=1, name=hh.name, amount_fen=yuan * 100))
        seq += 1
        b = batches[batch]
        line = DisbursementLine(batch_id=b.id, seq=seq, request_id=r.id, household_id=hh.id, name=hh.name,
                                id_number=hh.id_number, relief_type=rtype, method=method, amount_fen=yuan * 100,
                                state=state, updated_at=at(1, 2), fund_source="union",
                                paid_on=b.pay_date if state == "paid" else None,
                                returned_on=d(9, 12) if state == "returned" else None,
                                return_reason="账号有误" if state == "returned" else None,
                                renounced_on=d(6, 20) if state == "renounced" else None,
                                renounce_reason="本人放弃" if state == "renounced" else None)
        s.add(line)
        s.flush()
        if state == "returned":
            again = DisbursementLine(batch_id=batches["B4"].id, seq=99, request_id=r.id, household_id=hh.id,
                                     name=hh.name, id_number=hh.id_number, relief_type=rtype, method=method,
                                     amount_fen=yuan * 100, state="paid", paid_on=BATCHES["B4"], reissue_of=line.id,
                                     updated_at=at(1, 2), fund_source="union")
            s.add(again)
            s.flush()
            line.state = "reissued"
            line = again
        s.add(RequestPayoutClaim(request_id=r.id, line_id=line.id))
        y.lines[n] = line.id
        if line.state == "paid":
            s.add(Payment(request_id=r.id, household_id=hh.id, id_number=hh.id_number, name=hh.name, relief_type=rtype,
                          subcase=subcase, amount_fen=yuan * 100, paid_on=line.paid_on, period_year=YEAR,
                          source="disbursement", batch=batch, created_at=at(1, 2), created_by="clerk"))
    # the receipt lists: B1 and B2 printed with their cash lines; only B1's signed scan is attached
    for batch, numbers in (("B1", (1, 2, 7)), ("B2", (3, 4))):
        s.add(ReceiptPrint(batch_id=batches[batch].id, line_ids=[y.lines[n] for n in numbers], rows=len(numbers),
                           total_fen=0, printed_at=at(3, 19), printed_by="clerk"))
    s.add(AttachmentBlob(sha256="0" * 64, data=b"%PDF-1.4 scan"))
    s.add(BatchAttachment(batch_id=batches["B1"].id, filename="签领表.pdf", kind="签领表签字扫描件", size=13,
                          sha256="0" * 64, added_at=at(3, 21), added_by="clerk"))
    _ledger(s, y, pv)


def _ledger(s, y: Year, pv: int) -> None:
    district = y.units["增城区总工会"]
    zhou = make_id_number("440183", date(1970, 2, 2), 7, "M")
    r8 = _request(s, y, pv, 8, None, "周七", zhou, district, "emergency", None, 80000, d(6, 1), source="ledger")
    s.add(Payment(request_id=r8.id, household_id=None, id_number=zhou, name="周七", relief_type="emergency",
                  amount_fen=80000, paid_on=d(6, 1), period_year=YEAR, source="ledger", batch="ledger-1",
                  created_at=at(6, 5), created_by="clerk"))
    a = s.get(Household, y.households["A"])
    r9 = _request(s, y, pv, 9, "A", a.name, a.id_number, a.unit_id, "quarterly", None, 50000, d(2, 10), source="ledger")
    s.add(Payment(request_id=r9.id, household_id=a.id, id_number=a.id_number, name=a.name, relief_type="quarterly",
                  amount_fen=50000, paid_on=d(2, 10), period_year=YEAR, source="ledger", batch="ledger-1",
                  created_at=at(2, 12), created_by="clerk"))
    y.requests.update({8: r8.id, 9: r9.id})


def _budget(s, y: Year) -> None:
    src = s.execute(select(FundSource).where(FundSource.code == "union")).scalar_one_or_none()
    if src is None:
        src = FundSource(code="union", name="工会经费", created_at=at(1, 2), created_by="admin")
        s.add(src)
        s.flush()
    line = BudgetLine(year=YEAR, source_id=src.id, programme="困难职工帮扶", unit_id=y.units["增城区总工会"],
                      initial_fen=48000000, set_on=d(1, 5), created_at=at(1, 5), created_by="head")
    s.add(line)
    s.flush()
    s.add(BudgetAdjustment(line_id=line.id, adjusted_on=d(7, 1), amount_fen=-21000000, reason="按财政要求压减经费",
                           created_at=at(7, 1), created_by="head"))
    s.add(BudgetAllocation(line_id=line.id, unit_id=y.units[STREET1], allocated_on=d(8, 1), amount_fen=26180000,
                           created_at=at(8, 1), created_by="head"))
    for (line_id,) in s.execute(select(DisbursementLine.id)):
        s.add(BudgetDraw(line_id=line_id, budget_line_id=line.id, drawn_on=d(3, 1), drawn_by="clerk"))
