"""Shared set-up for the relief / review / ledger / compliance tests (plain functions).

Figures come from seed 001 (增城: quarterly 400–600, twice a year, not in
consecutive quarters; emergency 2,000–5,000 with sub-cases; 5 working days per
review level) unless a test says otherwise.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from zhibang_desktop.domain import clock as zclock
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services.relief import policies
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.relief.types import RequestInput
from zhibang_desktop.storage.models import FamilyMember, Household, OrgUnit

from ..admin_helpers import admin_context, user_context

GRASSROOTS = "荔城街某某电子厂工会"
STREET = "荔城街总工会"


def yuan(n: float) -> int:
    return int(round(n * 100))


def unit_id(ctx: AppContext, name: str) -> int:
    with ctx.db.session() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.name == name)).scalar_one()


def person_id(seq: int, sex: str = "M", born: date = date(1980, 5, 1)) -> str:
    return make_id_number("440183", born, seq, sex)


def add_household(ctx: AppContext, name: str = "张三", seq: int = 101, *, unit: str = GRASSROOTS,
                  status: str = "active", union_member: bool = True, assistance: str = "dibao",
                  members: list[tuple[str, str]] = (), category: str = "relative", **extra) -> int:
    """An archived household inserted directly (the archive service has its own tests)."""
    with ctx.db.session() as s:
        uid = s.execute(select(OrgUnit.id).where(OrgUnit.name == unit)).scalar_one()
        now = zclock.now()
        hh = Household(archive_no=f"ZC2026{seq:05d}", status=status, category=category, unit_id=uid, name=name,
                       id_number=person_id(seq), sex="M", union_member=union_member,
                       assistance_status=assistance, household_size=1 + len(members), created_at=now,
                       updated_at=now, address="增城区荔城街府佑路 1 号", phone="13800138000",
                       hukou_type="城镇", hukou_region="广州市增城区", archived_on=date(2026, 1, 5), **extra)
        for m_name, m_id in members:
            hh.members.append(FamilyMember(name=m_name, id_number=m_id, relation="子女"))
        s.add(hh)
        s.flush()
        return hh.id


def zengcheng(ctx: AppContext, year: int = 2026):
    return policies.use_preset(ctx, "增城", year)


def quarterly(hh_id: int, amount_yuan: float = 500, quarter: int = 1, year: int = 2026, **kw) -> RequestInput:
    data = dict(relief_type="quarterly", year=year, quarter=quarter, requested_amount_fen=yuan(amount_yuan),
                household_id=hh_id, conditions=("dibao_low_income",), reason="低保户，妻子患病，生活困难",
                request_date=date(year, 3 * quarter - 2, 10), fund_source="union")
    data.update(kw)
    return RequestInput(**data)


def emergency(hh_id: int, amount_yuan: float, subcase: str = "illness_surgery", year: int = 2026, **kw) -> RequestInput:
    data = dict(relief_type="emergency", subcase=subcase, year=year, requested_amount_fen=yuan(amount_yuan),
                household_id=hh_id, reason="膝关节受伤住院手术，自付费用高", request_date=date(year, 9, 28),
                fund_source="union")
    data.update(kw)
    return RequestInput(**data)


class Clock:
    """Pin the program's clock; ``at`` is a UTC datetime."""

    def __init__(self, monkeypatch, at: datetime):
        self.at = at
        monkeypatch.setattr(zclock, "now", lambda: self.at)

    def set(self, y, m, d, hour=2):
        self.at = datetime(y, m, d, hour, 0, tzinfo=timezone.utc)


def office(ctx: AppContext):
    """Admin, a clerk at the grassroots union and one reviewer per level, each signed in.

    Returns a dict of contexts: admin, clerk, g (grassroots reviewer), s (street), d (district).
    """
    from zhibang_desktop.services.admin import users

    admin = admin_context(ctx)
    g_unit, s_unit, d_unit = unit_id(ctx, GRASSROOTS), unit_id(ctx, STREET), unit_id(ctx, "增城区总工会")
    out = {"admin": admin, "clerk": user_context(admin, "clerk", ["clerk"])}
    for key, level, uid in (("g", "grassroots", g_unit), ("s", "street", s_unit), ("d", "district", d_unit)):
        c = user_context(admin, f"rev_{key}", ["reviewer"])
        users.set_reviewer_scopes(admin, c.actor.user_id, [(uid, level)])
        out[key] = c
    return out


def submit_and_approve(o: dict, data: RequestInput, justification: str = "", amount_fen: int | None = None):
    """Create, submit and pass all three levels (the district may set ``amount_fen``)."""
    from zhibang_desktop.services import relief
    from zhibang_desktop.services.relief import review

    v = relief.create_request(o["clerk"], data)
    v = relief.submit_request(o["clerk"], v.id, justification=justification or None)
    for key in ("g", "s"):
        v = review.decide(o[key], v.id, "approve", "情况属实，同意上报")
    return review.decide(o["d"], v.id, "approve", "同意", amount_fen=amount_fen,
                         justification="核减" if amount_fen else "")


def set_dibao(o: dict, year: int, yuan_per_month: float = 1330):
    """Guangzhou 低保 standard (1,330 yuan/month: 10 months = 13,300, the cap example of the engine)."""
    from zhibang_desktop.services.admin import settings

    settings.set_year_standard(o["admin"], year, yuan(yuan_per_month), None)
