"""First-start set-up of an office: settings and the root of the union tree."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain import clock
from ...storage.database import Database
from ...storage.models import Setting
from ..admin import org, settings, users
from ..context import SYSTEM, AppContext
from ..errors import FieldProblem, ValidationFailed


@dataclass(frozen=True)
class UnitSpec:
    name: str
    level: str  # street / grassroots
    parent: str | None = None  # name of the parent; None: the district union


def is_initialised(db: Database) -> bool:
    with db.session() as session:
        return session.get(Setting, "office_name") is not None


def initialise_office(db: Database, office_name: str, *, region: str = "", archive_prefix: str = "",
                      phone: str = "", units: list[UnitSpec] = (), admin: tuple[str, str] | None = None,
                      policy_preset: str | None = None, city: bool = False) -> AppContext:
    """Create the office settings, the district union (with ``city`` the city union, which
    imports its counties' annual exchange files), the given units, when given as
    (username, password) the administrator, and when named ('增城', 'shanghai' …) a preset
    policy in force for this year — all in one transaction."""
    if is_initialised(db):
        raise ValidationFailed([FieldProblem("office_name", "单位名称", "本数据库已完成初始设置")])
    new = settings.OfficeSettings(office_name=office_name.strip(), region=region.strip(),
                                  archive_prefix=archive_prefix.strip(), phone=phone.strip())
    problems = settings.validate_settings(new)
    if problems:
        raise ValidationFailed(problems)
    ctx = AppContext(db, SYSTEM)
    with ctx.tx(None) as tx:
        for key in ("office_name", "region", "archive_prefix", "phone"):
            tx.session.add(Setting(key=key, value=getattr(new, key)))
        if city:
            tx.session.add(Setting(key=settings.OFFICE_KIND, value=settings.CITY))
        tx.audit("create", "settings", summary=f"初始化单位：{new.office_name}" + ("（市总工会）" if city else ""))
        district = org.add_unit_in(tx.session, tx, new.office_name, "city" if city else "district", None)
        by_name = {district.name: district}
        for spec in units:
            parent = by_name.get(spec.parent) if spec.parent else district
            if parent is None:
                raise ValidationFailed([FieldProblem("parent", "上级工会", f"找不到“{spec.parent}”")])
            by_name[spec.name] = org.add_unit_in(tx.session, tx, spec.name, spec.level, parent.id)
        if policy_preset:
            from ..relief import policies  # the policy services load at set-up, not at every start

            policies.preset_in_force(tx.session, tx, policy_preset, clock.today().year)
        if admin is not None:
            user = users.new_user(tx.session, admin[0], "", admin[1], ["admin"])
            tx.audit("create", "user", user.id, summary=f"创建管理员：{user.username}")
    return ctx
