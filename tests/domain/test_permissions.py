"""Roles and what each may do; a user bound to a union has no office-wide permission."""
from __future__ import annotations

import pytest

from zhibang_desktop.domain.permissions import OFFICE_WIDE, PERMISSIONS, ROLES, denied_message, permissions_for


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_union_takes_away_exactly_the_office_wide_permissions(role):
    whole = permissions_for({role})
    bound = permissions_for({role}, scope_unit_id=7)
    assert bound == whole - OFFICE_WIDE
    assert permissions_for({role}, scope_unit_id=None) == whole


def test_the_admin_has_every_office_wide_permission_only_for_the_whole_office():
    assert OFFICE_WIDE <= permissions_for({"admin"}) and not OFFICE_WIDE & permissions_for({"admin"}, 3)
    assert OFFICE_WIDE <= set(PERMISSIONS)


@pytest.mark.parametrize("permission,roles,scope,says", [
    ("backup.run", {"admin"}, 3, "“备份”对全单位生效，超出当前用户的管辖范围（一个工会及其下级工会）；请由管辖全单位的用户办理"),
    ("backup.run", {"clerk"}, 3, "当前用户（经办人）没有“备份”的权限"),  # the role refuses it first
    ("backup.run", {"clerk"}, None, "当前用户（经办人）没有“备份”的权限"),
    ("archive.edit", {"reviewer"}, 3, "当前用户（审核人）没有“编辑档案”的权限"),
])
def test_the_refusal_names_what_refused(permission, roles, scope, says):
    assert denied_message(permission, roles, scope) == says
