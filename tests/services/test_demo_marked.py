"""The demo office is marked as demo on every printed page (审批表, 公示名单, 签领表) and in the
main window's title; a real office's papers and title carry no such line."""
from __future__ import annotations

import subprocess

import pytest

from zhibang_desktop.services.admin.settings import DEMO_BANNER
from zhibang_desktop.services.payout import list_batches, printing as payout_print
from zhibang_desktop.services.payout.notices import list_notices
from zhibang_desktop.services.relief import build_approval, list_requests


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_every_printed_page_of_the_demo_says_demo(clerk, tmp_path):
    batch = max(list_batches(clerk), key=lambda b: b.lines)
    payout_print.build_receipts(clerk, batch.id, tmp_path / "receipts.pdf")
    notice = list_notices(clerk)[0]
    payout_print.build_roster(clerk, notice.id, tmp_path / "roster.pdf")
    request = list_requests(clerk).rows[0]
    build_approval(clerk, request.id, tmp_path / "approval.pdf")
    for name in ("receipts", "roster", "approval"):
        printed = pages(tmp_path / f"{name}.pdf")
        assert printed and all(DEMO_BANNER in page for page in printed), name


def test_a_real_office_prints_no_demo_line(clerk, tmp_path):
    from zhibang_desktop.storage.models import Setting

    with clerk.db.session() as s:
        s.delete(s.get(Setting, "demo_data"))
    batch = list_batches(clerk)[0]
    payout_print.build_receipts(clerk, batch.id, tmp_path / "receipts.pdf")
    assert all(DEMO_BANNER not in page for page in pages(tmp_path / "receipts.pdf"))


@pytest.fixture
def clerk(demo_db):
    from zhibang_desktop import demo
    from zhibang_desktop.services.admin import users
    from zhibang_desktop.services.context import AppContext

    return AppContext(demo_db, users.authenticate(demo_db, "clerk", demo.DEMO_PASSWORD))


@pytest.fixture
def demo_db(demo_copy):
    from zhibang_desktop.storage.database import open_database

    db = open_database(demo_copy)
    yield db
    db.close()
