"""Every document of the demo year read back from the PDF: no internal word (key, English UI word,
database id, ISO time, login name), both fonts embedded (黑体-style titles, 宋体-style body), and
each form carries the office's name, its own number, page N/M and its signature lines."""
from __future__ import annotations

import re
import subprocess

import pytest

from zhibang_desktop.demo.office import DEMO_PASSWORD, DEMO_USERS
from zhibang_desktop.services import relief
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import AppContext
from zhibang_desktop.services.payout import list_batches, notices, printing
from zhibang_desktop.storage.database import open_database

from ..plain_language import findings

LOGINS = {username for username, _, _ in DEMO_USERS} | {"system"}


@pytest.fixture
def clerk(demo_copy):
    db = open_database(demo_copy)
    yield AppContext(db, users.authenticate(db, "clerk", DEMO_PASSWORD))
    db.close()


def _pages(path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [p for p in out.split("\f") if p.strip()]


def _fonts(path) -> list[tuple[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [(line.split()[0], line.split()[-5]) for line in out.splitlines()[2:]]


def _documents(ctx, folder):
    for n in notices.list_notices(ctx):
        path = folder / f"roster-{n.id}.pdf"
        printing.print_roster(ctx, n.id, path)
        yield "roster", n.number, path
    for b in list_batches(ctx):
        path = folder / f"receipts-{b.id}.pdf"
        printing.print_receipts(ctx, b.id, path)
        yield "receipts", b.number, path
    seen = set()
    for r in relief.list_requests(ctx).rows:
        if r.status in ("draft", "withdrawn") or (r.relief_type, r.status) in seen:  # forms that go on file
            continue
        seen.add((r.relief_type, r.status))
        path = folder / f"approval-{r.id}.pdf"
        relief.build_approval(ctx, r.id, path)
        yield "approval", r.number, path


SIGNATURES = {"roster": ("（盖章）",), "receipts": ("负责人", "审核人", "经办人", "领取人签名"),
              "approval": ("负责人", "经办人")}  # each level: 负责人（盖章） 年 月 日


def test_every_document_of_the_demo_year_reads_as_an_official_form(clerk, tmp_path):
    problems = []
    kinds = set()
    for kind, number, path in _documents(clerk, tmp_path):
        kinds.add(kind)
        fonts = _fonts(path)
        assert all(emb == "yes" for _, emb in fonts), (path.name, fonts)
        assert any("WenQuanYi" in name for name, _ in fonts) and any("UMing" in name for name, _ in fonts), fonts
        pages = _pages(path)
        flat = re.sub(r"\s+", "", "".join(pages))
        assert "增城区总工会" in flat and number in flat, (path.name, number)
        assert all(f"第{i}页共{len(pages)}页" in re.sub(r"\s+", "", p) for i, p in enumerate(pages, 1)), path.name
        assert all(word in flat for word in SIGNATURES[kind]), (path.name, SIGNATURES[kind], flat[-400:])
        for no, page in enumerate(pages, 1):
            problems += [str(f) for f in findings(f"{path.name} 第{no}页", page, LOGINS)]
    assert kinds == {"roster", "receipts", "approval"}
    assert not problems, "\n".join(problems)
