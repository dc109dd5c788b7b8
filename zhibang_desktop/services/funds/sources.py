"""资金来源: the office's list of fund sources and the relief types each may pay for.

Seed 002 (海口): central, provincial, city and union money, each with its own uses —
provincial funds only for living, education and medical relief.  A source named in a
year's relief policy but not yet listed here is added from the policy on first use.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import clock
from ...storage.models import FundSource
from ..context import AppContext
from ..errors import FieldProblem, NotFound, ValidationFailed
from ..relief.policies import policy_in_force
from .common import READ, SOURCES
from .types import SourceView


def _type_labels(s: Session) -> dict[str, str]:
    """Relief-type names from the newest policy in force (codes shown as they are otherwise)."""
    from ...storage.models import PolicyVersion

    labels: dict[str, str] = {}
    years = sorted({y for (y,) in s.execute(select(PolicyVersion.year).distinct()) if y is not None})
    for year in years:
        found = policy_in_force(s, year)
        if found is not None:
            labels.update({rt.code: rt.name for rt in found[1].relief_types})
    return labels


def source_view(src: FundSource, labels: dict[str, str]) -> SourceView:
    types = tuple(src.allowed_relief_types or ())
    return SourceView(src.id, src.code, src.name, types, tuple(labels.get(t, t) for t in types), src.active,
                      src.note or "")


def list_sources(ctx: AppContext, include_inactive: bool = True) -> list[SourceView]:
    with ctx.tx(READ, read_only=True) as tx:
        s = tx.session
        q = select(FundSource).order_by(FundSource.sort_order, FundSource.id)
        if not include_inactive:
            q = q.where(FundSource.active.is_(True))
        labels = _type_labels(s)
        return [source_view(src, labels) for src in s.execute(q).scalars()]


def _clean_types(types) -> list[str]:
    out = []
    for t in types or ():
        t = str(t).strip()
        if t and t not in out:
            out.append(t)
    return out


def _new_code(s: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "", name.lower()) or "source"
    n = s.execute(select(func.count()).select_from(FundSource)).scalar_one() + 1
    code = f"{base}_{n}" if base == "source" else base
    while s.execute(select(FundSource.id).where(FundSource.code == code)).first():
        n += 1
        code = f"source_{n}"
    return code


def add_source_in(s: Session, tx, name: str, allowed_relief_types=(), code: str | None = None,
                  note: str = "") -> FundSource:
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(FieldProblem("name", "资金来源名称", "不能为空"))
    elif s.execute(select(FundSource.id).where(FundSource.name == name)).first():
        problems.append(FieldProblem("name", "资金来源名称", f"已有“{name}”"))
    code = (code or "").strip() or None
    if code and s.execute(select(FundSource.id).where(FundSource.code == code)).first():
        problems.append(FieldProblem("code", "资金来源代码", f"代码“{code}”已被使用"))
    if problems:
        raise ValidationFailed(problems)
    order = s.execute(select(func.coalesce(func.max(FundSource.sort_order), 0))).scalar_one() + 1
    src = FundSource(code=code or _new_code(s, name), name=name, allowed_relief_types=_clean_types(allowed_relief_types),
                     active=True, sort_order=order, note=(note or "").strip(), created_at=clock.now(),
                     created_by=tx.actor.username)
    s.add(src)
    s.flush()
    allowed = "、".join(src.allowed_relief_types) or "不限"
    tx.audit("create", "fund_source", src.id, summary=f"新增资金来源：{src.name}（代码 {src.code}，可用于：{allowed}）")
    return src


def add_source(ctx: AppContext, name: str, allowed_relief_types=(), code: str | None = None,
               note: str = "") -> SourceView:
    with ctx.tx(SOURCES) as tx:
        src = add_source_in(tx.session, tx, name, allowed_relief_types, code, note)
        return source_view(src, _type_labels(tx.session))


def update_source(ctx: AppContext, source_id: int, *, name: str | None = None, allowed_relief_types=None,
                  active: bool | None = None, note: str | None = None) -> SourceView:
    with ctx.tx(SOURCES) as tx:
        s = tx.session
        src = s.get(FundSource, source_id)
        if src is None:
            raise NotFound(f"资金来源（编号 {source_id}）不存在")
        changes = []
        if name is not None and name.strip() != src.name:
            new = name.strip()
            if not new:
                raise ValidationFailed([FieldProblem("name", "资金来源名称", "不能为空")])
            if s.execute(select(FundSource.id).where(FundSource.name == new, FundSource.id != src.id)).first():
                raise ValidationFailed([FieldProblem("name", "资金来源名称", f"已有“{new}”")])
            changes.append(["名称", src.name, new])
            src.name = new
        if allowed_relief_types is not None:
            types = _clean_types(allowed_relief_types)
            if types != list(src.allowed_relief_types or []):
                changes.append(["可用于", "、".join(src.allowed_relief_types or []) or "不限", "、".join(types) or "不限"])
                src.allowed_relief_types = types
        if active is not None and active != src.active:
            changes.append(["启用", "是" if src.active else "否", "是" if active else "否"])
            src.active = active
        if note is not None and note.strip() != (src.note or ""):
            changes.append(["备注", src.note or "", note.strip()])
            src.note = note.strip()
        if changes:
            s.flush()
            tx.audit("update", "fund_source", src.id, summary=f"修改资金来源：{src.name}", changes=changes)
        return source_view(src, _type_labels(s))


def resolve_source_in(s: Session, tx, name_or_code: str, year: int) -> FundSource:
    """The source called (or coded) `name_or_code`; taken from `year`'s policy the first time."""
    key = (name_or_code or "").strip()
    if not key:
        raise ValidationFailed([FieldProblem("source", "资金来源", "请填写资金来源")])
    src = s.execute(select(FundSource).where((FundSource.name == key) | (FundSource.code == key))).scalars().first()
    if src is not None:
        return src
    found = policy_in_force(s, year)
    if found is not None:
        policy = found[1]
        for f in policy.fund_sources:
            if key in (f.code, f.label):
                existing = s.execute(select(FundSource).where(FundSource.code == f.code)).scalars().first()
                if existing is not None:
                    return existing
                allowed = [rt.code for rt in policy.relief_types if f.code in rt.fund_sources]
                if all(not rt.fund_sources or f.code in rt.fund_sources for rt in policy.relief_types):
                    allowed = []
                return add_source_in(s, tx, f.label, allowed, code=f.code, note=f"取自{policy.name}")
    known = "、".join(n for (n,) in s.execute(select(FundSource.name).order_by(FundSource.sort_order))) or "（尚无）"
    raise ValidationFailed([FieldProblem("source", "资金来源", f"没有名为“{key}”的资金来源（现有：{known}）")])
