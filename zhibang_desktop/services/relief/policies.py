"""Relief policies in the database: one immutable row per version, one in force per year.

A request points at the exact :class:`PolicyVersion` it was judged under.  Saving,
importing or selecting a preset always writes a NEW version (and puts it in force
for its year); a version that requests point to is never changed, so changing a
policy never changes a past decision.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.policy import Policy, PolicyError, ReliefType
from ...domain.policy_io import load_preset, policy_to_dict, policy_to_json, preset_names
from ...domain.policy_parse import policy_from_dict
from ...domain.rules import describe_rule
from ...storage.models import PolicyVersion, ReliefRequest
from ...storage.write_lock import serialize_writes
from ..context import AppContext
from ..errors import Conflict, FieldProblem, NotFound, ValidationFailed
from .types import Option, PolicyOptions, PolicyVersionView, ReliefTypeInfo
from ..people import name_of
from ..admin.visit_intervals import refresh_all_visit_dues, visit_intervals

READ = "relief.read"
EDIT = "policy.edit"
PRESET_LABELS = {"zengcheng": "增城", "shanghai": "上海", "haikou": "海口", "kunming": "昆明"}


# ------------------------------------------------------------------ session-level helpers

def policy_of(row: PolicyVersion) -> Policy:
    """The domain policy stored in a version row (validated when it was saved)."""
    return policy_from_dict(row.body)


def version_row(session: Session, policy_id: int) -> PolicyVersion:
    row = session.get(PolicyVersion, policy_id)
    if row is None:
        raise NotFound(f"救助政策（编号 {policy_id}）不存在")
    return row


def in_force_row(session: Session, year: int) -> PolicyVersion | None:
    return session.execute(
        select(PolicyVersion).where(PolicyVersion.year == year, PolicyVersion.in_force.is_(True))
        .order_by(PolicyVersion.version.desc()).limit(1)
    ).scalar_one_or_none()


def policy_in_force(session: Session, year: int) -> tuple[PolicyVersion, Policy] | None:
    row = in_force_row(session, year)
    return None if row is None else (row, policy_of(row))


def no_policy_message(year: int) -> str:
    return f"{year} 年没有生效的救助政策，请管理员在“救助政策”中选用预置政策或导入政策文件"


def type_info(policy: Policy, rt: ReliefType) -> ReliefTypeInfo:
    def sub_note(sc) -> str:
        return describe_rule(sc.amount) if sc.amount is not None else describe_rule(rt.amount)

    funds = rt.fund_sources or tuple(f.code for f in policy.fund_sources)
    return ReliefTypeInfo(
        code=rt.code, name=rt.name, kind=rt.kind, amount_rule=rt.amount.rule,
        standard_text=describe_rule(rt.amount),
        subcases=tuple(Option(sc.code, sc.name, sub_note(sc)) for sc in rt.subcases),
        conditions=tuple(Option(c.code, c.label) for c in rt.conditions),
        min_conditions=rt.min_conditions if rt.conditions else 0,
        attachments=tuple(rt.attachments),
        fund_sources=tuple(Option(c, policy.fund_source_name(c)) for c in funds),
        requires_archive=rt.requires_archive, members_only=rt.members_only, goods_allowed=rt.goods_allowed,
        needs_quarter=rt.kind == "quarterly",
        needs_self_paid=any(r.rule == "medical_copay" for r in (rt.amount, *(s.amount for s in rt.subcases if s.amount))),
        needs_students=any(r.rule == "per_student" for r in (rt.amount, *(s.amount for s in rt.subcases if s.amount))),
        needs_months=any(r.rule == "per_person_month"
                         for r in (rt.amount, *(s.amount for s in rt.subcases if s.amount))),
        review_levels=tuple(Option(lv.level, lv.display_name, str(lv.days_allowed))
                            for lv in policy.chain_for(rt.code)),
        note=rt.note,
    )


def _view(session: Session, row: PolicyVersion, with_types: bool = True) -> PolicyVersionView:
    policy = policy_of(row)
    used = session.execute(select(func.count()).select_from(ReliefRequest)
                           .where(ReliefRequest.policy_version_id == row.id)).scalar_one()
    return PolicyVersionView(
        id=row.id, office=row.office, year=row.year, version=row.version, name=row.name,
        in_force=row.in_force, created_at=row.created_at, created_by=name_of(session)(row.created_by),
        self_approval_allowed=policy.self_approval_allowed,
        relief_types=tuple(type_info(policy, rt) for rt in policy.relief_types) if with_types else (),
        several_levels_per_reviewer_allowed=policy.several_levels_per_reviewer_allowed,
        visit_interval_months=policy.visit_interval_months,
        source=policy.source, note=policy.note, used_by_requests=used,
    )


def store_version(session: Session, tx, policy: Policy, *, origin: str, in_force: bool = True) -> PolicyVersion:
    """Write ``policy`` as the next version of its year (never touching older rows)."""
    serialize_writes(session)  # two administrators saving at once get different version numbers
    intervals_before = visit_intervals(session)
    last = session.execute(select(func.max(PolicyVersion.version))
                           .where(PolicyVersion.year == policy.year)).scalar_one()
    version = (last or 0) + 1
    policy = dataclasses.replace(policy, version=version)
    if in_force:
        session.execute(update(PolicyVersion).where(PolicyVersion.year == policy.year)
                        .values(in_force=False))
    row = PolicyVersion(office=policy.office, year=policy.year, version=version, name=policy.name,
                        body=policy_to_dict(policy), in_force=in_force, created_at=clock.now(),
                        created_by=tx.actor.username, origin=origin[:500])
    session.add(row)
    session.flush()
    tx.audit("create", "policy_version", row.id,
             summary=f"保存{policy.year}年救助政策（第 {version} 版{'，已生效' if in_force else ''}）：{policy.name}",
             changes=[["来源", "", origin], ["生效", "", "是" if in_force else "否"]])
    _follow_visit_intervals(session, tx, intervals_before)
    return row


def _follow_visit_intervals(session: Session, tx, before: dict[str, int]) -> None:
    """Households store their next visit date: recompute them when the intervals in force changed."""
    after = visit_intervals(session)
    if after != before:
        n = refresh_all_visit_dues(session, after)
        if n:
            tx.audit("update", "household", summary=f"走访周期随救助政策改变，重算 {n} 户的下次走访日期",
                     changes=[["走访周期（月）", str(before), str(after)]])


def _problems(exc: PolicyError) -> ValidationFailed:
    return ValidationFailed([FieldProblem(path or "policy", path or "政策文件", msg) for path, msg in exc.errors])


def _year(year: int | None) -> int:
    y = clock.today().year if year is None else int(year)
    if not 2000 <= y <= 2100:
        raise ValidationFailed([FieldProblem("year", "年度", f"{y} 不是有效年度")])
    return y


# ------------------------------------------------------------------ service API

def preset_choices() -> list[Option]:
    """The bundled presets: code = file stem ('zengcheng'), label = '增城', note = office name."""
    out = []
    for stem in preset_names():
        p = load_preset(stem)
        out.append(Option(stem, PRESET_LABELS.get(stem, p.office), p.office))
    return out


def list_policies(ctx: AppContext, year: int | None = None) -> list[PolicyVersionView]:
    """Every stored version (newest year and version first), or those of one year."""
    with ctx.tx(READ, read_only=True) as tx:
        q = select(PolicyVersion).order_by(PolicyVersion.year.desc(), PolicyVersion.version.desc())
        if year is not None:
            q = q.where(PolicyVersion.year == year)
        return [_view(tx.session, r, with_types=False) for r in tx.session.execute(q).scalars()]


def show_policy(ctx: AppContext, year: int | None = None, policy_id: int | None = None) -> PolicyVersionView:
    """A version by id, or the one in force for ``year`` (default: this year)."""
    with ctx.tx(READ, read_only=True) as tx:
        return _view(tx.session, _pick(tx.session, year, policy_id))


def policy_options(ctx: AppContext, year: int) -> PolicyOptions:
    """The choices of the new-request dialog for ``year``'s policy in force."""
    with ctx.tx(READ, read_only=True) as tx:
        found = policy_in_force(tx.session, year)
        if found is None:
            return PolicyOptions(year, None, "")
        row, policy = found
        return PolicyOptions(
            year=year, policy_id=row.id, policy_name=policy.name,
            relief_types=tuple(type_info(policy, rt) for rt in policy.relief_types),
            fund_sources=tuple(Option(f.code, f.label) for f in policy.fund_sources),
            self_approval_allowed=policy.self_approval_allowed,
        )


def policy_document(ctx: AppContext, year: int | None = None, policy_id: int | None = None) -> dict:
    """The JSON-ready policy (amounts in yuan), as edited by the admin."""
    with ctx.tx(READ, read_only=True) as tx:
        return dict(_pick(tx.session, year, policy_id).body)


def in_force_policy(ctx: AppContext, year: int) -> Policy | None:
    """The domain policy in force for ``year`` (for the policy editor), or None."""
    with ctx.tx(READ, read_only=True) as tx:
        found = policy_in_force(tx.session, year)
        return None if found is None else found[1]


def _pick(session: Session, year: int | None, policy_id: int | None) -> PolicyVersion:
    if policy_id is not None:
        return version_row(session, policy_id)
    y = _year(year)
    row = in_force_row(session, y)
    if row is None:
        raise NotFound(no_policy_message(y))
    return row


def use_preset(ctx: AppContext, preset: str, year: int | None = None) -> PolicyVersionView:
    """Put a bundled preset ('增城', 'zengcheng', '上海'…) in force for ``year`` (default: this year)."""
    y = _year(year)
    with ctx.tx(EDIT) as tx:
        return _view(tx.session, preset_in_force(tx.session, tx, preset, y))


def preset_in_force(session: Session, tx, preset: str, year: int) -> PolicyVersion:
    """Store a bundled preset as the policy in force for `year` inside a running transaction
    (also used by the first set-up)."""
    try:
        policy = load_preset(preset)
    except PolicyError as exc:
        raise ValidationFailed([FieldProblem("preset", "预置政策", str(exc))]) from exc
    return store_version(session, tx, dataclasses.replace(policy, year=year), origin=f"预置政策：{preset}")


def import_policy(ctx: AppContext, source: str | Path, year: int | None = None, *,
                  origin: str | None = None, based_on: int | None = None) -> PolicyVersionView:
    """Import a policy file (a path, or the JSON text itself) as a new version in force.

    ``year`` overrides the file's year.  An invalid file raises ValidationFailed
    listing every bad field path; nothing is stored.  ``origin`` (audit text)
    defaults to the file name; the policy page's editor passes "在程序中修改" and ``based_on``,
    the newest version of the year it knew of (see :func:`save_policy`).
    """
    if isinstance(source, Path) or not str(source).lstrip().startswith("{"):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValidationFailed([FieldProblem("file", "政策文件", f"无法读取“{path}”：{exc.strerror or exc}")]) from exc
        except UnicodeDecodeError as exc:
            raise ValidationFailed([FieldProblem("file", "政策文件", "文件不是 UTF-8 编码的 JSON")]) from exc
        origin = origin or f"导入文件：{path.name}"
    else:
        text, origin = str(source), origin or "导入政策文本"
    return save_policy(ctx, check_policy_text(text, year), origin=origin, based_on=based_on)


def check_policy_text(text: str, year: int | None = None) -> Policy:
    """Parse and validate policy JSON text without storing anything.

    Raises ValidationFailed naming every bad field path (or the JSON syntax
    error's line and column)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldProblem("policy", "政策文件",
                                             f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）")]) from exc
    if isinstance(data, dict) and year is not None:
        data = {**data, "year": _year(year)}
    try:
        return policy_from_dict(data)
    except PolicyError as exc:
        raise _problems(exc) from exc


def save_policy(ctx: AppContext, policy: Policy, *, origin: str = "在程序中修改", in_force: bool = True,
                based_on: int | None = None) -> PolicyVersionView:
    """Store an edited policy as a new version of its year (validated again first). ``based_on``
    is the newest version of the year the editor knew of: if another version of that year was
    saved since, nothing is stored and the Conflict says who saved what (the year's versions
    are the policy's version counter)."""
    try:
        policy = policy_from_dict(policy_to_dict(policy))
    except PolicyError as exc:
        raise _problems(exc) from exc
    with ctx.tx(EDIT) as tx:
        if based_on is not None:
            serialize_writes(tx.session)  # what is checked stays so until this version is stored
            _refuse_if_changed_since(tx.session, version_row(tx.session, based_on))
        row = store_version(tx.session, tx, policy, origin=origin, in_force=in_force)
        return _view(tx.session, row)


def _refuse_if_changed_since(session: Session, known: PolicyVersion) -> None:
    newer = session.execute(select(PolicyVersion).where(PolicyVersion.year == known.year,
                                                        PolicyVersion.id > known.id)
                            .order_by(PolicyVersion.id)).scalars().all()
    if not newer:
        return
    who = name_of(session)
    lines = []
    for row in newer[-3:]:
        at = row.created_at.astimezone(clock.local_now().tzinfo)
        lines.append(f"· {who(row.created_by)} 于 {at.month}月{at.day}日 {at:%H:%M} 保存了第 {row.version} 版"
                     f"（{row.origin}）")
    raise Conflict(f"{known.year}年救助政策在您打开后已被他人修改（共 {len(newer)} 次），您这次的修改没有保存，"
                   "填写的内容仍保留在窗口中。\n" + "\n".join(lines) + "\n请重新打开政策核对后再修改")


def activate_policy(ctx: AppContext, policy_id: int) -> PolicyVersionView:
    """Put an existing version back in force for its year (e.g. undo an edit)."""
    with ctx.tx(EDIT) as tx:
        row = version_row(tx.session, policy_id)
        if not row.in_force:
            before = visit_intervals(tx.session)
            tx.session.execute(update(PolicyVersion).where(PolicyVersion.year == row.year).values(in_force=False))
            row.in_force = True
            tx.session.flush()
            _follow_visit_intervals(tx.session, tx, before)
            tx.audit("update", "policy_version", row.id,
                     summary=f"{row.year}年救助政策改为第 {row.version} 版：{row.name}")
        return _view(tx.session, row)


def export_policy(ctx: AppContext, year: int | None = None, policy_id: int | None = None,
                  path: str | Path | None = None) -> str:
    """The policy as JSON text (and written to ``path`` when given); audited as an export."""
    with ctx.tx(READ, read_only=True) as tx:
        row = _pick(tx.session, year, policy_id)
        text = policy_to_json(policy_of(row))
        row_id, row_year, row_version = row.id, row.year, row.version
    if path is not None:
        from ...documents.output import write_bytes_to_target
        write_bytes_to_target(text.encode("utf-8"), Path(path))
    try:
        with ctx.tx(READ) as tx:
            tx.audit("export", "policy_version", row_id,
                     summary=f"导出{row_year}年救助政策第 {row_version} 版" + (f"到 {Path(path).name}" if path else ""))
    except BaseException:
        if path is not None:
            Path(path).unlink(missing_ok=True)  # no file out of the office without its audit row
        raise
    return text
