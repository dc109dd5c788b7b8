"""单位设置's own checks (the permission and audit sides are in test_permissions / test_audit_service)."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from zhibang_desktop.services.admin import settings
from zhibang_desktop.services.errors import ValidationFailed
from zhibang_desktop.storage.models import Setting


def test_a_broken_office_phone_is_refused_naming_it(ctx):
    before = settings.get_settings(ctx)
    with pytest.raises(ValidationFailed) as exc:
        settings.update_settings(ctx, phone="020-82712345、1381234")
    [problem] = exc.value.problems
    assert (problem.field, problem.label) == ("phone", "联系电话") and "“1381234”不像电话号码" in problem.message
    assert settings.get_settings(ctx) == before


def test_full_width_numbers_are_phones(ctx):
    assert settings.update_settings(ctx, phone="０２０－８２７１２３４５").phone == "０２０－８２７１２３４５"


def test_a_stored_number_from_before_the_check_does_not_block_other_settings(ctx):
    with ctx.db.session() as s:
        s.execute(update(Setting).where(Setting.key == "phone").values(value="8271"))
        if not s.get(Setting, "phone"):
            s.add(Setting(key="phone", value="8271"))
    assert settings.update_settings(ctx, keep_daily=9).keep_daily == 9
    with pytest.raises(ValidationFailed):
        settings.update_settings(ctx, phone="8272")
