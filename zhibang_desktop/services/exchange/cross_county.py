"""City mode: what only the city can see, across its counties (issue 14).

- the same ID number aided in two or more counties in one year, with each county's amount;
- a household head who is a member of a household archived in another county.

A county is an archive scope: an imported county's union code, or "" for the city's own
records.  The lists carry whole ID numbers (the city must name the person to the counties);
only office-wide users with ``report.read`` read them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ...storage.models import FamilyMember, Household, Payment
from ..admin.org import county_names, require_whole_office
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed

READ = "report.read"


@dataclass(frozen=True)
class CountyAid:
    county: str
    county_code: str
    name: str  # the name the county recorded
    payments: int
    amount_fen: int


@dataclass(frozen=True)
class AidedTwice:
    id_number: str
    counties: tuple[CountyAid, ...]  # two or more, by county name

    @property
    def amount_fen(self) -> int:
        return sum(c.amount_fen for c in self.counties)


@dataclass(frozen=True)
class HeadMemberElsewhere:
    id_number: str
    name: str
    head_county: str
    head_archive_no: str
    member_county: str
    member_archive_no: str
    member_of: str  # the head of the household the person is a member of
    relation: str


@dataclass(frozen=True)
class CrossCounty:
    year: int
    aided_twice: tuple[AidedTwice, ...]
    heads_members_elsewhere: tuple[HeadMemberElsewhere, ...]


def _aided_twice(s, year: int, names: dict[str, str]) -> list[AidedTwice]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = (Payment.paid_on >= start, Payment.paid_on <= end)
    twice = (select(Payment.id_number).where(*in_year).group_by(Payment.id_number)
             .having(func.count(func.distinct(Payment.archive_scope)) > 1))
    per: dict[str, list[CountyAid]] = defaultdict(list)
    for number, scope, name, n, amount in s.execute(
            select(Payment.id_number, Payment.archive_scope, func.min(Payment.name), func.count(),
                   func.sum(Payment.amount_fen)).where(*in_year, Payment.id_number.in_(twice))
            .group_by(Payment.id_number, Payment.archive_scope)):
        per[number].append(CountyAid(names.get(scope, scope), scope, name, int(n), int(amount)))
    out = [AidedTwice(number, tuple(sorted(aids, key=lambda a: a.county))) for number, aids in per.items()]
    out.sort(key=lambda a: (-a.amount_fen, a.id_number))
    return out


def _heads_members_elsewhere(s, names: dict[str, str]) -> list[HeadMemberElsewhere]:
    head, home = aliased(Household), aliased(Household)
    q = (select(head.id_number, head.name, head.archive_scope, head.archive_no, home.archive_scope, home.archive_no,
                home.name, FamilyMember.relation)
         .join(FamilyMember, FamilyMember.id_number == head.id_number)
         .join(home, home.id == FamilyMember.household_id)
         .where(home.archive_scope != head.archive_scope)
         .order_by(head.archive_scope, head.archive_no))
    return [HeadMemberElsewhere(number, name, names.get(hs, hs), hno, names.get(ms, ms), mno, member_of, relation)
            for number, name, hs, hno, ms, mno, member_of, relation in s.execute(q)]


def cross_county(ctx: AppContext, year: int) -> CrossCounty:
    """The year's cross-county findings of the city's database."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"“{year}”不是有效年度")])
    ctx.require(READ)
    require_whole_office(ctx.actor, "跨区县重复核查")
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        names = county_names(s)
        return CrossCounty(year, tuple(_aided_twice(s, year, names)), tuple(_heads_members_elsewhere(s, names)))
