"""The records two people can edit at once besides households (users, unions, budget lines,
the year's policy): how to open one, save it, and read back what is stored. Shared by the
SQLite tests (one save after the other) and the server tests (two at the same moment)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from zhibang_desktop.services import funds
from zhibang_desktop.services.admin import org, users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.relief import policies

from ..admin_helpers import PASSWORD, admin_context
from ..archive_helpers import FACTORY
from .relief_helpers import zengcheng

YEAR = 2026


@dataclass(frozen=True)
class Case:
    prepare: Callable[[AppContext], int]  # makes the record, returns its id
    open: Callable[[AppContext, int], object]  # what a window holds (with its version)
    save: Callable[[AppContext, object, str], object]  # saves the typed value over what was opened
    stored: Callable[[AppContext, int], object]
    field: str  # the field the winner's change is named by in the loser's message


def _target_user(admin: AppContext) -> int:
    return users.add_user(admin, "lihua", "李华", PASSWORD, ["clerk"]).id


def _budget_line(admin: AppContext) -> int:
    zengcheng(admin, YEAR)
    return funds.add_budget(admin, YEAR, "工会经费", 480_000_00).id


def _policy(admin: AppContext) -> int:
    zengcheng(admin, YEAR)
    return _newest_policy(admin)


def _newest_policy(who: AppContext) -> int:
    """What the policy page hands its editor: the newest version of the year it knows of."""
    return max(v.id for v in policies.list_policies(who, YEAR))


def _save_policy(who: AppContext, newest_id: int, name: str):
    doc = policies.policy_document(who, policy_id=newest_id)
    doc["name"] = name
    return policies.import_policy(who, json.dumps(doc, ensure_ascii=False), origin="在程序中修改", based_on=newest_id)


CASES = {
    "user": Case(
        _target_user, lambda who, uid: users.get_user(who, uid),
        lambda who, v, typed: users.update_user(who, v.id, display_name=typed, version=v.version),
        lambda who, uid: users.get_user(who, uid).display_name, "姓名"),
    "union": Case(
        lambda admin: next(u.id for u in org.list_units(admin) if u.name == FACTORY),
        lambda who, uid: next(u for u in org.list_units(who) if u.id == uid),
        lambda who, v, typed: org.update_unit(who, v.id, name=f"{typed}工会", version=v.version),
        lambda who, uid: next(u.name for u in org.list_units(who) if u.id == uid), "名称"),
    "budget": Case(
        _budget_line, lambda who, lid: funds.get_budget(who, lid),
        lambda who, v, typed: funds.adjust_budget(who, v.id, -(len(typed) * 10_000_00), f"压减：{typed}",
                                                  version=v.version),
        lambda who, lid: funds.get_budget(who, lid).figures.budget_fen, "预算（分）"),
    "policy": Case(
        _policy, lambda who, _pid: _newest_policy(who), _save_policy,
        lambda who, _pid: policies.show_policy(who, YEAR).name, "保存了第 2 版"),
}


def two_admins(ctx: AppContext) -> tuple[AppContext, AppContext]:
    """管理员 and a second administrator 王芳, both signed in."""
    admin = admin_context(ctx)
    users.add_user(admin, "wangfang", "王芳", PASSWORD, ["admin", "head"])
    return admin, AppContext(ctx.db, users.authenticate(ctx.db, "wangfang", PASSWORD))


@dataclass(frozen=True)
class TwoWindows:
    """管理员 and 王芳 each with the same record open."""
    case: Case
    admin: AppContext
    wang: AppContext
    rid: int
    mine: object  # 管理员's window
    theirs: object  # 王芳's window


def opened_twice(ctx: AppContext, kind: str) -> TwoWindows:
    case = CASES[kind]
    admin, wang = two_admins(ctx)
    rid = case.prepare(admin)
    return TwoWindows(case, admin, wang, rid, case.open(admin, rid), case.open(wang, rid))
