"""The unions on the command line: what every `--unit`, `--scope` and `user review --at UNIT:LEVEL`
accepts, and the command that lists them with their numbers.

    zhibang unit list [--json]      (the unions within the user's scope: number, level, path)

A union is named by its number or its exact full name (spaces around it ignored), among the
unions the user's scope covers; a union outside it is refused, and a name two unions share
(under different parents) must be given as a number. All of these are exit code 2.
"""
from __future__ import annotations

from .env import InvalidInput, group, json_flag

UNIT_WORDS = "工会编号或完整名称"  # for the options' help texts
_HINT = f"请用{UNIT_WORDS}；`zhibang unit list` 可查看编号"


def register(sub) -> None:
    units = group(sub, "unit", "工会（组织）")
    p = units.add_parser("list", help="列出管辖范围内的工会及其编号（--unit、--scope 可用编号）")
    json_flag(p)
    p.set_defaults(func=run_unit_list)


def _visible(env, ctx) -> tuple[list, list]:
    """(every union, those the user's scope covers)."""
    from ..services.admin import org

    units = env.run(org.list_units, ctx)
    scope = ctx.actor.scope_unit_id
    return units, units if scope is None else org.subtree(units, scope)


def chosen_unit(env, ctx, text: str | None):
    """The union (an OrgUnitView) that an option's `text` names; None when the option was not given."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        raise InvalidInput(f"工会不能为空（{_HINT}）")
    units, visible = _visible(env, ctx)
    found = [u for u in visible if str(u.id) == text] or [u for u in visible if u.name == text]
    if len(found) == 1:
        return found[0]
    if found:
        which = "；".join(f"编号 {u.id}：{u.path}" for u in found)
        raise InvalidInput(f"有多个名为“{text}”的工会，请用编号（{which}）")
    if any(text in (str(u.id), u.name) for u in units):
        raise InvalidInput(f"工会“{text}”不在当前用户的管辖范围内")
    raise InvalidInput(f"找不到工会“{text}”（{_HINT}）")


def chosen_unit_id(env, ctx, text: str | None) -> int | None:
    unit = chosen_unit(env, ctx, text)
    return None if unit is None else unit.id


def run_unit_list(args, env) -> int:
    ctx = env.context()
    _, visible = _visible(env, ctx)
    lines = [f"{u.id:>5}  {u.path}（{u.level_label}{'' if u.active else '，已停用'}）" for u in visible]
    env.out(visible, "\n".join(["编号   工会（层级）"] + lines))
    return 0
