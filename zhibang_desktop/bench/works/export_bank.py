"""The bank payment file of a batch of up to 10,000 lines (`export bank`), against plain sqlite3
rows of those lines appended as plain values to one openpyxl write-only sheet."""
from __future__ import annotations

import sqlite3

from ..bank_batch import NUMBER, batch_clerk, batch_database
from ..registry import BenchContext, Work, once, register

LINES_SQL = ("select l.seq, l.account, l.name, l.amount_fen / 100.0, l.id_number, l.bank_name, l.relief_type_label "
             "from disbursement_lines l join disbursements d on d.id = l.batch_id "
             "where d.number = ? and l.state = 'pending' order by l.seq")


def _floor(bench: BenchContext):
    from openpyxl import Workbook

    path, _ = batch_database(bench)
    target = bench.scratch / "floor-bank.xlsx"

    def run() -> None:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("代发明细")
            for row in con.execute(LINES_SQL, (NUMBER,)):
                ws.append(row)
            wb.save(target)
        finally:
            con.close()
    return once(run)


def _app(bench: BenchContext):
    from ...services.payout.bank_files import export_bank_file

    ctx = batch_clerk(bench)
    return once(lambda: export_bank_file(ctx, NUMBER, bench.scratch / "app-bank.xlsx"))


register(Work(
    name="export.bank", label="银行代发文件（10,000 笔，.xlsx）", app=_app, floor=_floor,
    floor_label="sqlite3 行 + openpyxl 只写模式", target="≤ 1.3×", max_rounds=5,
))
