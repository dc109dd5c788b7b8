"""A seeded office for the relief GUI tests, built with the services only.

增城 preset in force for 2026 (seed 001: quarterly 400–600 yuan, twice a year, not in
consecutive quarters; three review levels of 5 working days), Guangzhou 低保 1,330
yuan/month, three archived households, and signed-in users: an admin, a clerk at the
grassroots union, a grassroots reviewer, a street reviewer and the district head.

Import the fixtures into a test module with ``from .relief_fixtures import *``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pytest

from zhibang_desktop.domain import clock as zclock
from zhibang_desktop.services.relief import policies, review
from zhibang_desktop.services import relief
from zhibang_desktop.services.admin import settings, users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.relief.types import RequestInput

from ...admin_helpers import PASSWORD, admin_context
from ...archive_helpers import archived, household, id_no, member, unit_id

GRASSROOTS = "荔城街某某电子厂工会"
STREET = "荔城街总工会"
DISTRICT = "增城区总工会"
YEAR = 2026

__all__ = ["msgs", "office", "clock", "Office", "quarterly", "approve_all", "YEAR"]


@pytest.fixture
def msgs(boxes):
    """The message boxes recorded by the ui conftest's `boxes` (``answer`` answers the questions)."""
    return boxes


class Clock:
    """The program's clock fixed at a UTC moment (decisions are stamped with it)."""

    def __init__(self, monkeypatch, at: datetime):
        self.at = at
        monkeypatch.setattr(zclock, "now", lambda: self.at)

    def set(self, y: int, m: int, d: int, hour: int = 2) -> None:
        self.at = datetime(y, m, d, hour, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    # Monday 2026-11-23, 10:00 in China: a plain working week with holiday data.
    return Clock(monkeypatch, datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc))


@dataclass
class Office:
    admin: AppContext
    clerk: AppContext
    grassroots: AppContext
    street: AppContext
    head: AppContext
    households: dict[str, int] = field(default_factory=dict)

    def reviewer_for(self, level: str) -> AppContext:
        return {"grassroots": self.grassroots, "street": self.street, "district": self.head}[level]


def _user(admin: AppContext, username: str, name: str, roles, scope: tuple[str, str] | None = None) -> AppContext:
    view = users.add_user(admin, username, name, PASSWORD, roles)
    if scope is not None:
        users.set_reviewer_scopes(admin, view.id, [(unit_id(admin, scope[0]), scope[1])])
    return AppContext(admin.db, users.authenticate(admin.db, username, PASSWORD))


@pytest.fixture
def office(ctx, clock, msgs) -> Office:
    admin = admin_context(ctx)
    o = Office(
        admin=admin,
        clerk=_user(admin, "chen", "经办人小陈", ["clerk"]),
        grassroots=_user(admin, "huang", "审核人老黄", ["reviewer"], (GRASSROOTS, "grassroots")),
        street=_user(admin, "lin", "审核人林科长", ["reviewer"], (STREET, "street")),
        head=_user(admin, "zhong", "负责人钟主席", ["head"], (DISTRICT, "district")),
    )
    policies.use_preset(admin, "增城", YEAR)
    settings.set_year_standard(admin, YEAR, 133_000, None)  # Guangzhou 低保 1,330 yuan/month (001)
    for name, seq, extra in (
        ("曾小明", 101, dict(assistance_status="dibao", category="deep",
                             members=[member("曾晓红", 301, birth=date(2008, 3, 1), schooling="high_school")])),
        ("单志强", 102, dict(assistance_status="low_income", category="relative")),
        ("李秀英", 103, dict(assistance_status="dibao", category="relative", model_worker=True)),
    ):
        view = archived(o.clerk, household(ctx, name, seq, union_member=True, **extra),
                        on=date(2026, 1, 5), visit_on=date(2026, 1, 3))
        o.households[name] = view.id
    return o


def quarterly(household_id: int, amount_yuan: int = 500, quarter: int = 1, year: int = YEAR, **kw) -> RequestInput:
    data = dict(relief_type="quarterly", year=year, quarter=quarter, requested_amount_fen=amount_yuan * 100,
                household_id=household_id, conditions=("dibao_low_income",),
                reason="低保户，妻子患病长期服药，女儿读高中，生活困难", request_date=date(year, 3 * quarter - 2, 10),
                fund_source="union", attachment_kinds=("家庭收入证明", "工会会员身份或会费缴纳证明"))
    data.update(kw)
    return RequestInput(**data)


def approve_all(o: Office, data: RequestInput, justification: str | None = None):
    """Create, submit and approve at every level (the clerk, then each level's reviewer)."""
    v = relief.create_request(o.clerk, data)
    v = relief.submit_request(o.clerk, v.id, justification=justification)
    while v.pending is not None:
        v = review.decide(o.reviewer_for(v.pending.level), v.id, "approve", "情况属实，同意")
    return v


__all__ += ["id_no", "GRASSROOTS", "STREET", "DISTRICT"]
