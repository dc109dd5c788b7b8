"""Roles and what each may do. Enforced in services, mirrored (only for display) in the UI."""
from __future__ import annotations

ROLES: dict[str, str] = {
    "admin": "管理员",
    "clerk": "经办人",
    "reviewer": "审核人",
    "head": "负责人",
    "auditor": "只读/审计",
}

PERMISSIONS: dict[str, str] = {
    "archive.read": "查看档案",
    "archive.edit": "编辑档案",
    "archive.import": "导入档案",
    "archive.export": "导出档案",
    "org.edit": "维护组织与设置",
    "users.manage": "管理用户",
    "audit.read": "查看审计日志",
    "backup.run": "备份",
    "backup.restore": "恢复备份",
    "policy.edit": "维护救助政策",
    "relief.create": "录入救助申请",
    "relief.review": "审核救助申请",
    "relief.approve": "审批救助申请",
    "relief.read": "查看救助申请",
    "notice.manage": "管理公示",
    "payout.manage": "管理发放",
    "payout.override": "特批发放（公示期未满）",
    "report.read": "查看报表",
    "funds.manage": "管理预算资金",
    "funds.sources": "维护资金来源",
    "exchange.export": "导出年度上报文件",
    "exchange.import": "导入各区县年度上报文件",
    "followup.record": "登记回访",
    "complaint.manage": "登记和办理投诉",
    "crosscheck.import": "导入部门比对名单",
    "crosscheck.decide": "处理数据比对结果",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({
        "archive.read", "org.edit", "users.manage", "audit.read", "backup.run",
        "backup.restore", "policy.edit", "relief.read", "report.read", "payout.override",
        "funds.manage", "funds.sources", "exchange.export", "exchange.import",
    }),
    "clerk": frozenset({
        "archive.read", "archive.edit", "archive.import", "archive.export", "relief.read",
        "relief.create", "notice.manage", "payout.manage", "report.read", "followup.record",
        "complaint.manage", "crosscheck.import", "crosscheck.decide",
    }),  # no backup.run: a backup holds every household and the password hashes — the admin's

    "reviewer": frozenset({"archive.read", "relief.read", "relief.review", "report.read"}),
    "head": frozenset({
        "archive.read", "relief.read", "relief.review", "relief.approve", "report.read",
        "funds.manage", "funds.sources", "exchange.export", "exchange.import", "complaint.manage",
    }),
    "auditor": frozenset({
        "archive.read", "archive.export", "relief.read", "audit.read", "report.read",
    }),
}


# What holds for the whole office — its unions and settings, the calendar, the relief policy, the
# bank layouts, the fund sources every union's budget lines name — and the backups, which hold
# every union's households and every password hash: a user bound to a union has these through no
# role (they would reach past its subtree).
OFFICE_WIDE: frozenset[str] = frozenset({"org.edit", "policy.edit", "funds.sources", "backup.run", "backup.restore"})


def permissions_for(roles: frozenset[str] | set[str], scope_unit_id: int | None = None) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted if scope_unit_id is None else granted - OFFICE_WIDE)


def denied_message(permission: str, roles: frozenset[str] | set[str], scope_unit_id: int | None = None) -> str:
    name = PERMISSIONS.get(permission, permission)
    if scope_unit_id is not None and permission in OFFICE_WIDE and permission in permissions_for(roles):
        return f"“{name}”对全单位生效，超出当前用户的管辖范围（一个工会及其下级工会）；请由管辖全单位的用户办理"
    role_names = "、".join(ROLES[r] for r in sorted(roles) if r in ROLES) or "无角色"
    return f"当前用户（{role_names}）没有“{name}”的权限"
