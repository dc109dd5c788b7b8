"""Seeding for the notice / batch page tests: an office, archived households with bank cards,
quarterly requests taken through the real relief and review services, and a clock.

Figures: 增城 quarterly relief 400–600 yuan (seed 001); 公示 5 working days (seed 000).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from zhibang_desktop.domain import clock as zclock
from zhibang_desktop.services.context import AppContext

from ...archive_helpers import archived, household
from ...services.relief_helpers import office, unit_id, quarterly, set_dibao, submit_and_approve, zengcheng

# Luhn-valid 19-digit cards (UnionPay debit)
CARDS = ("6222021001112223334", "6222021001112223342", "6222021001112223359", "6222021001112223367")
PEOPLE = (("陈伟强", "荔城街某某电子厂工会", 500), ("李秀英", "新塘镇牛仔服装公司工会", 600),
          ("黄志明", "荔城街某某电子厂工会", 400), ("曾丽芳", "新塘镇牛仔服装公司工会", 500))


class Clock:
    """Pin the program's clock (the clock every relief and payout service reads)."""

    def __init__(self, monkeypatch, y: int, m: int, d: int):
        self.set(y, m, d)
        monkeypatch.setattr(zclock, "now", lambda: self.at)

    def set(self, y: int, m: int, d: int) -> None:
        self.at = datetime(y, m, d, 2, 0, tzinfo=timezone.utc)

    def day(self, d: date) -> None:
        self.set(d.year, d.month, d.day)


@dataclass
class Seeded:
    offices: dict
    household_ids: list[int] = field(default_factory=list)
    request_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def clerk(self) -> AppContext:
        return self.offices["clerk"]

    @property
    def admin(self) -> AppContext:
        return self.offices["admin"]


def seed(ctx: AppContext, people=PEOPLE, *, cash_last: bool = True) -> Seeded:
    """Households archived through the archive service, each with a 2026-Q1 quarterly request
    approved at all three levels through the relief and review services. The last person has
    no bank card (paid in cash) when ``cash_last``."""
    from zhibang_desktop.services.admin import users

    o = office(ctx)
    # the office() reviewers cover 荔城街; let them review 新塘镇 too
    for key, scopes in (("g", [("荔城街某某电子厂工会", "grassroots"), ("新塘镇牛仔服装公司工会", "grassroots")]),
                        ("s", [("荔城街总工会", "street"), ("新塘镇总工会", "street")])):
        users.set_reviewer_scopes(o["admin"], o[key].actor.user_id, [(unit_id(ctx, u), lvl) for u, lvl in scopes])
    zengcheng(o["admin"], 2026)
    set_dibao(o, 2026)
    out = Seeded(o)
    for i, (name, unit, amount) in enumerate(people):
        cash = cash_last and i == len(people) - 1
        bank = {} if cash else dict(bank_name="中国工商银行增城支行", bank_account=CARDS[i % len(CARDS)],
                                    account_kind="bank")
        view = archived(ctx, household(ctx, name, 300 + i, unit, category="relative", assistance_status="dibao",
                                       union_member=True, phone="13800138000", **bank))
        r = submit_and_approve(o, quarterly(view.id, amount))
        out.household_ids.append(view.id)
        out.request_ids.append(r.id)
        out.names.append(name)
    return out
