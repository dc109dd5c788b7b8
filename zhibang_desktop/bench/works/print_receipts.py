"""The signed receipt list (签领表) of a batch of 10,000 lines (`print receipts`), against a
bare reportlab table of the same rows: the same columns, A4 landscape, the header repeated on
each page, in the same CJK font (no subtotals, notes or signature lines)."""
from __future__ import annotations

import sqlite3

from ..bank_batch import NUMBER, batch_clerk, batch_database
from ..registry import BenchContext, Work, once, register

ROWS_SQL = ("select l.seq, l.name, l.id_number, l.unit_name, l.relief_type_label, l.amount_fen / 100.0 "
            "from disbursement_lines l join disbursements d on d.id = l.batch_id "
            "where d.number = ? order by l.seq")


def _floor(bench: BenchContext):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

    from ...documents.fonts import BUNDLED_SERIF

    font = "BenchSerif"
    pdfmetrics.registerFont(TTFont(font, str(BUNDLED_SERIF), subfontIndex=0))
    path, _ = batch_database(bench)
    target = bench.scratch / "floor-receipts.pdf"
    widths = [w * mm for w in (11, 20, 40, 46, 22, 23, 38, 24, 49)]
    header = ["序号", "姓名", "身份证号码", "所属工会", "救助类型", "金额（元）", "领取人签名（按手印）", "领取日期", "备注"]

    def run() -> None:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [header] + [[seq, name, idn[:6] + "********" + idn[-4:], unit, kind, f"{amount:,.2f}", "", "", ""]
                               for seq, name, idn, unit, kind, amount in con.execute(ROWS_SQL, (NUMBER,))]
        finally:
            con.close()
        table = LongTable(rows, colWidths=widths, rowHeights=12 * mm, repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        SimpleDocTemplate(str(target), pagesize=landscape(A4)).build([table])
    return once(run)


def _app(bench: BenchContext):
    from ...services.payout.printing import print_receipts

    ctx = batch_clerk(bench)
    return once(lambda: print_receipts(ctx, NUMBER, bench.scratch / "app-receipts.pdf"))


register(Work(
    name="print.receipts", label="发放实名制签领表（10,000 笔，PDF）", app=_app, floor=_floor,
    floor_label="sqlite3 行 + reportlab 表格（同样的行与列）", target="≤ 1.5×", max_rounds=3,
))
