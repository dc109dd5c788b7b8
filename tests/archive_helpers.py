"""Helpers for the archive tests: inputs, ID numbers, scoped actors, database snapshots."""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import inspect, select, text

from zhibang_desktop.domain.household import EXCLUSIONS
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.services import archive
from zhibang_desktop.services.archive.types import HouseholdInput, MemberInput, VisitInput
from zhibang_desktop.services.context import Actor, AppContext
from zhibang_desktop.storage.models import OrgUnit

FACTORY = "荔城街某某电子厂工会"  # under 荔城街总工会 in the conftest office
JEANS = "新塘镇牛仔服装公司工会"  # under 新塘镇总工会


def id_no(seq: int, sex: str = "M", birth: date = date(1980, 5, 6), region: str = "440183") -> str:
    """A valid ID number; distinct `seq` (0-499) give distinct numbers for the same sex and birth."""
    return make_id_number(region, birth, (seq * 2 + (sex == "M")) % 1000, sex)


def unit_id(ctx: AppContext, name: str) -> int:
    with ctx.db.session() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.name == name)).scalar_one()


def scoped(ctx: AppContext, unit_name: str, roles=("clerk",), username: str = "scoped") -> AppContext:
    """A context acting as a user limited to `unit_name`'s subtree (no real user row needed)."""
    return ctx.as_actor(Actor.make(None, username, username, set(roles), unit_id(ctx, unit_name)))


def with_roles(ctx: AppContext, *roles: str) -> AppContext:
    return ctx.as_actor(Actor.make(None, "+".join(roles), "测试", set(roles)))


def household(ctx: AppContext, name: str = "曾小明", seq: int = 101, unit: str = FACTORY, **values) -> HouseholdInput:
    values.setdefault("category", "deep")
    values.setdefault("causes", ["因病"])
    values.setdefault("household_size", 1 + len(values.get("members", [])))
    return HouseholdInput(name=name, id_number=values.pop("id_number", id_no(seq)), unit_id=unit_id(ctx, unit),
                          **values)


def member(name: str, seq: int, relation: str = "子女", sex: str = "F", birth: date = date(2008, 3, 1),
           **values) -> MemberInput:
    return MemberInput(name=name, relation=relation, id_number=id_no(seq, sex, birth), **values)


def all_clear() -> dict[str, bool]:
    return {code: False for code in EXCLUSIONS}


def archived(ctx: AppContext, data: HouseholdInput, on: date = date(2025, 3, 1),
             visit_on: date = date(2025, 2, 20)):
    """Create, visit, fill the checklist and archive: an active household."""
    from dataclasses import replace

    view = archive.create_household(ctx, replace(data, exclusions=all_clear()))
    archive.add_visit(ctx, view.id, VisitInput(visit_on, "home", "陈志强", "入户核查属实"))
    return archive.archive_household(ctx, view.id, on)


def snapshot(db) -> dict:
    """Per table: row count and a digest of the content. Equal snapshots = nothing changed."""
    out = {}
    with db.session() as s:
        for table in sorted(inspect(s.connection()).get_table_names()):
            rows = s.execute(text(f'select * from "{table}"')).all()
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            out[table] = (len(rows), digest)
    return out
