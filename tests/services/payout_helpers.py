"""Set-up for the notice / disbursement / bank-file / receipt tests (plain functions).

``approved`` inserts approved requests directly (fast, for hundreds of households);
``through_review`` takes one request through the real relief and review services.
Figures: 增城 quarterly relief 400–600 yuan (seed 001); 公示 5 working days (seed 000).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from zhibang_desktop.domain import clock as zclock
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services.payout import notices
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.payout.types import NoticeFilter, NoticeInput
from zhibang_desktop.storage.models import FamilyMember, Household, OrgUnit, PolicyVersion, ReliefRequest

from .relief_helpers import zengcheng

UNITS = ("荔城街某某电子厂工会", "新塘镇牛仔服装公司工会", "区直机关工会")
ILLNESSES = ("尿毒症", "恶性肿瘤", "慢性肾衰竭", "中风瘫痪", "重度精神病", "脑血栓", "高血压", "糖尿病")
SURNAMES = "陈李黄张梁刘何钟罗林王吴邓朱曾"
GIVEN = "伟强志明建国华军丽芳秀英敏燕玲婷"


class Clock:
    """Pin the program's clock (the clock every relief and payout service reads)."""

    def __init__(self, monkeypatch, y: int, m: int, d: int):
        self.at = datetime(y, m, d, 2, 0, tzinfo=timezone.utc)
        monkeypatch.setattr(zclock, "now", lambda: self.at)

    def set(self, y: int, m: int, d: int) -> None:
        self.at = datetime(y, m, d, 2, 0, tzinfo=timezone.utc)

    def day(self, d: date) -> None:
        self.set(d.year, d.month, d.day)


@dataclass
class Made:
    request_ids: list[int]
    household_ids: list[int]
    id_numbers: list[str]
    accounts: list[str]
    illnesses: set[str]


def luhn_card(rnd: random.Random, prefix: str = "622202", length: int = 19) -> str:
    body = prefix + "".join(str(rnd.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def approved(ctx: AppContext, n: int, *, year: int = 2026, quarter: int = 1, seed: int = 7, seq0: int = 0,
             relief_type: str = "quarterly", amount_fen: int | None = None, account_kind: str = "bank",
             cash_every: int = 0) -> Made:
    """``n`` archived households, each with one approved request (direct inserts)."""
    rnd = random.Random(seed)
    policy = zengcheng(ctx, year) if not _has_policy(ctx, year) else None
    out = Made([], [], [], [], set())
    with ctx.db.session() as s:
        pv = s.execute(select(PolicyVersion.id).where(PolicyVersion.year == year, PolicyVersion.in_force.is_(True))
                       ).scalar_one() if policy is None else policy.id
        units = {name: uid for uid, name in s.execute(select(OrgUnit.id, OrgUnit.name))}
        now = zclock.now()
        for i in range(n):
            k = seq0 + i
            idn = make_id_number("440183", date(1960 + k % 40, 1 + k % 12, 1 + k % 28), k % 1000, "M" if k % 2 else "F")
            card = luhn_card(rnd)
            illness = ILLNESSES[k % len(ILLNESSES)]
            name = SURNAMES[k % len(SURNAMES)] + GIVEN[(k // 7) % len(GIVEN)] + GIVEN[(k // 3) % len(GIVEN)]
            no_account = cash_every and k % cash_every == 0
            hh = Household(archive_no=f"T{year}{k:06d}", status="active", category="relative",
                           unit_id=units[UNITS[k % len(UNITS)]], name=name, id_number=idn, sex="M",
                           health=illness, causes=["因病", "其他：妻子患" + illness], union_member=True,
                           assistance_status="dibao", household_size=2, created_at=now, updated_at=now,
                           bank_name="中国工商银行增城支行", bank_account=None if no_account else card,
                           account_kind=account_kind, archived_on=date(year - 1, 6, 1), head_income_fen=180000)
            hh.members.append(FamilyMember(name=name[0] + "某", relation="配偶", health=ILLNESSES[(k + 3) % 8],
                                           disability="肢体残疾三级" if k % 5 == 0 else None))
            s.add(hh)
            s.flush()
            amount = amount_fen if amount_fen is not None else rnd.choice((40000, 50000, 60000))
            r = ReliefRequest(
                number=f"JZ{year}-T{k:05d}", source="entered", household_id=hh.id, name=name, id_number=idn,
                unit_id=hh.unit_id, policy_version_id=pv, relief_type=relief_type, period_year=year,
                period_quarter=quarter if relief_type == "quarterly" else None, request_date=date(year, 1, 10),
                conditions=["serious_illness"], reason=f"配偶患{illness}，家庭收入低", requested_fen=amount,
                suggested_fen=amount, approved_fen=amount, current_fen=amount, status="approved",
                creator_username="clerk", creator_name="经办人", created_at=now, updated_at=now, decided_at=now,
                fund_source="union", events=[], chain=[],
            )
            s.add(r)
            s.flush()
            out.request_ids.append(r.id)
            out.household_ids.append(hh.id)
            out.id_numbers.append(idn)
            out.accounts.append(card)
            out.illnesses.update({illness, ILLNESSES[(k + 3) % 8]})
    return out


def _has_policy(ctx: AppContext, year: int) -> bool:
    with ctx.db.session() as s:
        return s.execute(select(PolicyVersion.id).where(PolicyVersion.year == year,
                                                        PolicyVersion.in_force.is_(True))).first() is not None


def noticed(ctx: AppContext, clock: Clock, *, year: int = 2026, quarter: int = 1, start: date = date(2026, 3, 2)):
    """Create and publish a notice for the quarter, then move the clock past its end."""
    v = notices.create_notice(ctx, NoticeInput(NoticeFilter(("quarterly",), year, quarter), start=start,
                                               place="区总工会公示栏"))
    v = notices.publish_notice(ctx, v.summary.id)
    clock.day(v.summary.end + timedelta(days=1))
    return v


def approve_existing(ctx: AppContext, household_ids: list[int], *, year: int = 2026, quarter: int = 1,
                     seed: int = 3) -> list[int]:
    """One approved quarterly request per existing household (e.g. demo households)."""
    rnd = random.Random(seed)
    policy_id = zengcheng(ctx, year).id if not _has_policy(ctx, year) else None
    out = []
    with ctx.db.session() as s:
        pv = policy_id or s.execute(select(PolicyVersion.id).where(
            PolicyVersion.year == year, PolicyVersion.in_force.is_(True))).scalar_one()
        now = zclock.now()
        for k, hid in enumerate(household_ids):
            hh = s.get(Household, hid)
            amount = rnd.choice((40000, 50000, 60000))
            r = ReliefRequest(
                number=f"JZ{year}-E{k:05d}", source="entered", household_id=hh.id, name=hh.name,
                id_number=hh.id_number, unit_id=hh.unit_id, policy_version_id=pv, relief_type="quarterly",
                period_year=year, period_quarter=quarter, request_date=date(year, 1, 10), conditions=[],
                reason=f"本人{hh.health or ''}，家庭困难", requested_fen=amount, suggested_fen=amount,
                approved_fen=amount, current_fen=amount, status="approved", creator_username="clerk",
                creator_name="经办人", created_at=now, updated_at=now, decided_at=now, fund_source="union",
                events=[], chain=[])
            s.add(r)
            s.flush()
            out.append(r.id)
    return out
