"""Issue 10: `batch show --json` and import error messages carried full ID and card numbers for
any reader. Now batch and reissue views mask them for every role without payout.manage
(reviewer, head, auditor; 3 of 3 roles tried), the CLI's JSON included, and no message or
error report echoes a full ID or card number (4 of 4 message shapes tried)."""
from __future__ import annotations

import json
import re

import pytest

from zhibang_desktop.cli import main
from zhibang_desktop.documents.error_report import Problem
from zhibang_desktop.services import payout
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.errors import FieldProblem
from zhibang_desktop.storage.database import open_database

FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")
FULL_CARD = re.compile(r"(?<![\d*])\d{16,19}(?![\d*])")


@pytest.fixture
def demo(demo_copy):
    db = open_database(demo_copy)
    yield db
    db.close()


def _as(db, name):
    return AppContext(db, users.authenticate(db, name, "demo1234"))


@pytest.mark.parametrize("role", ["reviewer", "head", "auditor"])
def test_readers_without_payout_manage_see_masked_numbers(demo, role):
    ctx = _as(demo, role)
    text = repr([payout.get_batch(ctx, b.id) for b in payout.list_batches(ctx)])
    text += repr(payout.reissue_candidates(ctx))
    assert "*" in text
    assert not FULL_ID.search(text) and not FULL_CARD.search(text)


def test_the_clerk_who_pays_sees_whole_numbers(demo):
    ctx = _as(demo, "clerk")
    lines = [line for b in payout.list_batches(ctx) for line in payout.get_batch(ctx, b.id).lines]
    assert any(FULL_ID.fullmatch(line.id_number) for line in lines)
    assert any(line.account and "*" not in line.account for line in lines)


def test_batch_show_json_is_masked_for_the_auditor(demo_copy, monkeypatch, capsys):
    monkeypatch.setenv("ZHIBANG_PASSWORD", "demo1234")
    db = open_database(demo_copy)
    number = payout.list_batches(_as(db, "auditor"))[0].number
    db.close()
    capsys.readouterr()
    assert main(["--db", str(demo_copy), "--user", "auditor", "--json", "batch", "show", number]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data and not FULL_ID.search(out) and not FULL_CARD.search(out)


@pytest.mark.parametrize("message", [
    "“440183197601011234”不像电话号码", "身份证号 44018319760101123X 校验位不对",
    "卡号 6222 0212 3456 7890 123 与档案不符", "“４４０１８３１９７６０１０１１２３４”不是有效日期",
])
def test_no_message_or_report_echoes_a_full_number(message):
    for text in (str(FieldProblem("phone", "电话", message)),
                 Problem("户主", 3, "身份证号", message, message).reason,
                 Problem("户主", 3, "身份证号", message, message).value):
        folded = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(" ", "")
        assert not FULL_ID.search(folded) and not FULL_CARD.search(folded), text
        assert "*" in text
