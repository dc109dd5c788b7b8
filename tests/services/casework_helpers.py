"""Set-up for the follow-up, complaint and cross-check tests: paid payout lines through the real
payout services, and agency lists written as real .xlsx files."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from zhibang_desktop.services import payout
from zhibang_desktop.services.payout.types import BatchInput, LinePlan

from .payout_helpers import Clock, approved, noticed


def paid_lines(ctx, monkeypatch, n: int, paid_on: date = date(2026, 3, 20), seq0: int = 0):
    """``n`` households paid in one batch on ``paid_on``; the clock is left on that day."""
    clock = Clock(monkeypatch, 2026, 3, 1)
    made = approved(ctx, n, seq0=seq0)
    noticed(ctx, clock)
    batch = payout.create_batch(ctx, BatchInput(pay_date=paid_on, lines=[LinePlan(i) for i in made.request_ids]))
    clock.day(paid_on)
    batch = payout.mark_batch_paid(ctx, batch.summary.id, paid_on)
    return clock, made, batch.lines


def write_list(path: Path, header: list[str], rows: list[list], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    wb.save(path)
    return path
