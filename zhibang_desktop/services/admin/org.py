"""The union tree: 区总工会 → 镇街 / 区直系统工会 → 基层工会; in a city union's database
市总工会 → its counties' trees (imported from their annual exchange files)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...storage.models import Household, OrgUnit
from ..context import Actor, AppContext
from ..record_conflicts import check_version, told_who_changed
from ..errors import Ambiguous, FieldProblem, NotFound, PermissionDenied, ValidationFailed

LEVELS = {"city": "市总工会", "district": "区总工会", "street": "镇街/系统工会", "grassroots": "基层工会"}
ALLOWED_PARENT = {"city": {None}, "district": {None, "city"}, "street": {"district"},
                  "grassroots": {"district", "street"}}


@dataclass(frozen=True)
class OrgUnitView:
    id: int
    name: str
    level: str
    parent_id: int | None
    active: bool
    path: str  # "增城区总工会 / 荔城街总工会 / 某某公司工会"
    version: int = 1

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]


def _views(units: list[OrgUnit]) -> list[OrgUnitView]:
    by_id = {u.id: u for u in units}

    def path(u: OrgUnit) -> str:
        parts, seen = [], set()
        while u is not None and u.id not in seen:
            seen.add(u.id)
            parts.append(u.name)
            u = by_id.get(u.parent_id)
        return " / ".join(reversed(parts))

    return [OrgUnitView(u.id, u.name, u.level, u.parent_id, u.active, path(u), u.version) for u in units]


def all_units(session: Session) -> list[OrgUnitView]:
    units = session.execute(select(OrgUnit).order_by(OrgUnit.sort_order, OrgUnit.id)).scalars().all()
    return _views(units)


def _below(edges, root_id: int) -> set[int]:
    """`root_id` and every union below it, from (union id, parent id) pairs."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in edges:
        children.setdefault(parent, []).append(uid)
    found, stack = set(), [root_id]
    while stack:
        uid = stack.pop()
        if uid not in found:
            found.add(uid)
            stack.extend(children.get(uid, []))
    return found


def subtree_ids(session: Session, root_id: int) -> set[int]:
    return _below(session.execute(select(OrgUnit.id, OrgUnit.parent_id)), root_id)


def subtree(units: list[OrgUnitView], root_id: int) -> list[OrgUnitView]:
    """`root_id`'s union and every union below it, from a list of :func:`list_units`."""
    found = _below(((u.id, u.parent_id) for u in units), root_id)
    return [u for u in units if u.id in found]


def visible_unit_ids(session: Session, ctx_actor) -> set[int] | None:
    """Units the actor may see; None means all (no scope)."""
    if ctx_actor.scope_unit_id is None:
        return None
    return subtree_ids(session, ctx_actor.scope_unit_id)


def units_within(session: Session, actor, unit_id: int | None,
                 out_of_scope: str = "该工会不在当前用户的管辖范围内") -> set[int] | None:
    """The unions a list or report narrowed to ``unit_id``'s subtree covers, within what the actor
    may see: None = everything (no scope, no narrowing); a union outside the scope: PermissionDenied."""
    allowed = visible_unit_ids(session, actor)
    if unit_id is None:
        return allowed
    if session.get(OrgUnit, unit_id) is None:
        raise NotFound(f"工会（编号 {unit_id}）不存在")
    if allowed is not None and unit_id not in allowed:
        raise PermissionDenied(out_of_scope)
    return subtree_ids(session, unit_id)


def narrowed(actor, unit_id: int | None):
    """The same user bound to ``unit_id``'s subtree, for services that read the actor's scope.
    Use only after :func:`units_within` accepted ``unit_id``."""
    if unit_id is None:
        return actor
    # made afresh, not copied: a user bound to a union has no office-wide permission
    return Actor.make(actor.user_id, actor.username, actor.display_name, actor.roles, unit_id)


def check_unit_in_scope(session: Session, actor, unit_id: int) -> None:
    allowed = visible_unit_ids(session, actor)
    if allowed is not None and unit_id not in allowed:
        raise PermissionDenied("该工会不在当前用户的管辖范围内")


def require_whole_office(actor, what: str) -> None:
    """For documents that cover every union (the compliance report, the payment ledger import):
    a user bound to a union subtree may not read or write them."""
    if actor.scope_unit_id is not None:
        raise PermissionDenied(f"{what}涉及全区各工会的人员，不在当前用户的管辖范围内；请由管辖全部人员的用户办理")


def list_units(ctx: AppContext) -> list[OrgUnitView]:
    ctx.require("archive.read")
    with ctx.db.session(read_only=True) as session:
        return all_units(session)


def district_unit(session: Session) -> OrgUnit | None:
    """The office's own union, the root of the tree (a 区总工会, or the 市总工会 in city mode)."""
    return session.execute(
        select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
    ).scalar_one_or_none()


def county_names(session: Session) -> dict[str, str]:
    """archive scope -> the county's name, in a city union's database (a county is an archive
    scope: an imported county's union code; "" is the office's own archive)."""
    root = district_unit(session)
    names = {code: name for code, name in session.execute(
        select(OrgUnit.archive_scope, OrgUnit.name).where(OrgUnit.archive_scope != "",
                                                          OrgUnit.source_unit_id.is_not(None),
                                                          OrgUnit.parent_id == root.id))} if root else {}
    names[""] = root.name if root else "本单位"
    return names


AMBIGUOUS_HINT = "请在列表中按区县选定后办理，或由只管辖该区县的用户办理"


def one_in_scope(session: Session, actor, found: list, what: str, label):
    """The one row of `found` (rows with ``unit_id`` and ``archive_scope``: households, requests)
    that a number names, or None.  A county's database holds each number once.  A city union's
    database holds each county's records, numbers unique per archive scope only (migration 0008):
    a number on file once is returned as before (callers check the scope); on file several times,
    the actor's subtree decides — none left: PermissionDenied; several: Ambiguous naming the
    counties (`label(row)` says which record, e.g. "档案 ZC-2026-0001")."""
    if len(found) > 1:
        allowed = visible_unit_ids(session, actor)
        if allowed is not None:
            found = [row for row in found if row.unit_id in allowed]
            if not found:
                raise PermissionDenied("该记录不在当前用户的管辖范围内")
        if len(found) > 1:
            names = county_names(session)
            where = "、".join(f"{names.get(row.archive_scope, row.archive_scope)}（{label(row)}）" for row in found)
            raise Ambiguous(f"{what}在{where}各有一份，不能确定是哪一份；{AMBIGUOUS_HINT}")
    return found[0] if found else None


def _validate(session: Session, name: str, level: str, parent_id: int | None, unit_id: int | None = None) -> None:
    problems = []
    name = name.strip()
    if not name:
        problems.append(FieldProblem("name", "工会名称", "不能为空"))
    if level not in LEVELS:
        problems.append(FieldProblem("level", "层级", f"“{level}”不是有效层级"))
    else:
        parent = session.get(OrgUnit, parent_id) if parent_id is not None else None
        if parent_id is not None and parent is None:
            problems.append(FieldProblem("parent_id", "上级工会", "不存在"))
        elif (parent.level if parent else None) not in ALLOWED_PARENT[level]:
            want = "、".join(LEVELS[p] for p in ALLOWED_PARENT[level] if p) or "无（区总工会是根）"
            problems.append(FieldProblem("parent_id", "上级工会", f"{LEVELS[level]}的上级应为：{want}"))
        if parent_id is None and unit_id is None and district_unit(session) is not None:
            root = LEVELS[district_unit(session).level]
            problems.append(FieldProblem("level", "层级", f"已有{root}，一个数据库只有一个{root}"))
    if name and not problems:
        clash = session.execute(
            select(OrgUnit.id).where(OrgUnit.name == name, OrgUnit.parent_id.is_(parent_id)
                                     if parent_id is None else OrgUnit.parent_id == parent_id)
        ).scalar_one_or_none()
        if clash is not None and clash != unit_id:
            problems.append(FieldProblem("name", "工会名称", f"同一上级下已有“{name}”"))
    if problems:
        raise ValidationFailed(problems)


def add_unit_in(session: Session, tx, name: str, level: str, parent_id: int | None) -> OrgUnit:
    """Shared by the GUI/CLI service and by imports that create unions on the fly."""
    _validate(session, name, level, parent_id)
    unit = OrgUnit(name=name.strip(), level=level, parent_id=parent_id, active=True)
    session.add(unit)
    session.flush()
    tx.audit("create", "org_unit", unit.id, summary=f"新增{LEVELS[level]}：{unit.name}")
    return unit


def add_unit(ctx: AppContext, name: str, level: str, parent_id: int | None) -> OrgUnitView:
    with ctx.tx("org.edit") as tx:
        unit = add_unit_in(tx.session, tx, name, level, parent_id)
        return next(v for v in all_units(tx.session) if v.id == unit.id)


def update_unit(ctx: AppContext, unit_id: int, *, name: str | None = None, active: bool | None = None,
                version: int | None = None) -> OrgUnitView:
    """Rename or (de)activate a union; `version` is the one the window showed."""
    with told_who_changed(ctx.db, OrgUnit, unit_id, version, entity="org_unit", noun="工会"), \
            ctx.tx("org.edit") as tx:
        unit = tx.session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound(f"工会（编号 {unit_id}）不存在")
        check_version(unit, version)
        changes = []
        if name is not None and name.strip() != unit.name:
            _validate(tx.session, name, unit.level, unit.parent_id, unit_id=unit.id)
            changes.append(["名称", unit.name, name.strip()])
            unit.name = name.strip()
        if active is not None and active != unit.active:
            if not active:
                in_use = tx.session.execute(
                    select(func.count()).select_from(Household).where(Household.unit_id == unit_id,
                                                                      Household.status != "exited")
                ).scalar_one()
                if in_use:
                    raise ValidationFailed([FieldProblem("active", "停用", f"该工会下还有 {in_use} 户未退档的档案")])
            changes.append(["启用", "是" if unit.active else "否", "是" if active else "否"])
            unit.active = active
        if changes:
            tx.audit("update", "org_unit", unit.id, summary=f"修改工会：{unit.name}", changes=changes)
        return next(v for v in all_units(tx.session) if v.id == unit.id)
