"""The payment file is read back after writing and refused unless its count and total are the
ones meant; the read-back scans the amount column's cells in the sheet's XML."""
import pytest
from openpyxl import Workbook

from zhibang_desktop.documents import bank_file, xlsx_rows
from zhibang_desktop.documents.bank_file import (
    DEFAULT_COLUMNS, BankFileMismatch, BankFileTotals, BankRow, read_bank_file_totals, write_bank_file,
)

ROWS = [BankRow("6217 0000 0000 0001", "张三", 45_000, "440183198001010011", "工商银行", "生活救助"),
        BankRow("6217000000000002", "李四", 123_456, "440183198001010022", "农业银行", "=HYPERLINK(\"x\")"),
        BankRow("6217000000000003", "王五<&>", 1, "440183198001010033", "", "")]


@pytest.mark.parametrize("amount_as_text", [False, True])
def test_the_written_file_reads_back_with_its_count_and_total(tmp_path, amount_as_text):
    target = tmp_path / "bank.xlsx"
    totals = write_bank_file(DEFAULT_COLUMNS, ROWS, target, amount_as_text=amount_as_text)
    assert totals == BankFileTotals(3, 168_457)
    assert read_bank_file_totals(target, DEFAULT_COLUMNS) == totals


def test_a_file_that_does_not_read_back_as_meant_is_not_saved(tmp_path, monkeypatch):
    real = bank_file.yuan_decimal
    monkeypatch.setattr(bank_file, "yuan_decimal", lambda fen: real(fen // 10))  # a writing bug
    target = tmp_path / "bank.xlsx"
    with pytest.raises(BankFileMismatch, match="文件未保存"):
        write_bank_file(DEFAULT_COLUMNS, ROWS, target)
    assert list(tmp_path.iterdir()) == []


def test_rows_split_across_the_scanners_blocks_are_all_read(tmp_path, monkeypatch):
    rows = [BankRow(f"62170000{i:08d}", f"户{i}", 100 + i, "", "", "") for i in range(300)]
    target = tmp_path / "bank.xlsx"
    write_bank_file(DEFAULT_COLUMNS, rows, target)
    whole = list(xlsx_rows.column_texts(target, "代发明细", "D"))
    monkeypatch.setattr(xlsx_rows, "_CHUNK", 97)
    assert list(xlsx_rows.column_texts(target, "代发明细", "D")) == whole
    assert len(whole) == 301 and whole[-1] == (301, "3.99")


def test_shared_strings_entities_and_cells_it_cannot_read(tmp_path):
    """A workbook in openpyxl's ordinary mode (shared strings). A formula cell has no value to
    read: it is left out, so a check built on the scan would come out short, never long."""
    wb = Workbook()
    ws = wb.active
    ws.title = "代发明细"
    for row in (["金额"], ["甲<&>乙"], [12.5], ["=1+1"], [None], ["  3 "]):
        ws.append(row)
    target = tmp_path / "plain.xlsx"
    wb.save(target)
    assert list(xlsx_rows.column_texts(target, "代发明细", "A")) == [
        (1, "金额"), (2, "甲<&>乙"), (3, "12.5"), (6, "  3 ")]
