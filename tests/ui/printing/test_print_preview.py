"""The PDF print preview: pages rendered with pypdfium2, printing through QPrinter, save as PDF,
and build-then-preview on a worker with cancel. Offscreen; printing goes to QPrinter's PDF output."""
from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from zhibang_desktop.documents.pdf_list import Column, ListReport
from zhibang_desktop.services.errors import Cancelled, ServiceError
from zhibang_desktop.ui.printing import print_preview as pp

COLUMNS = [Column("序号", 14), Column("姓名", 30), Column("所属工会", 90), Column("救助类型", 40),
           Column("金额（元）", 34), Column("备注", 40)]


def make_pdf(path: Path, rows: int = 70, landscape: bool = True) -> int:
    report = ListReport("增城区总工会关于2026年第一季度困难职工救助对象名单的公示", ["公示时间为2026年3月2日至2026年3月9日"],
                        COLUMNS, [[i + 1, f"陈伟{i}", "荔城街某某电子厂工会", "季度救助", 50000, ""] for i in range(rows)],
                        money_columns=[4], landscape=landscape)
    return report.write(path)


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [tuple(doc.get_page_size(i)) for i in range(len(doc))]
    finally:
        doc.close()


def ink(image: QImage) -> int:
    """How many sampled pixels are not white (a blank page gives 0)."""
    dark = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark


@pytest.fixture
def pdf(tmp_path) -> tuple[Path, int]:
    path = tmp_path / "roster.pdf"
    return path, make_pdf(path)


@pytest.fixture
def preview(qtbot, pdf):
    path, _ = pdf
    dialog = pp.show_pdf_preview(None, path, "公示名单")
    qtbot.addWidget(dialog)
    dialog.resize(1100, 700)
    qtbot.waitExposed(dialog)
    return dialog  # qtbot closes it (and it deletes itself on close)


def test_preview_shows_every_page_and_renders_ink(preview, pdf):
    path, pages = pdf
    assert pages >= 2
    assert preview.page_count() == pages == len(pdf_pages(path))
    assert preview.page_of.text() == f"/ {pages} 页"
    preview.view.render_visible_now()
    image = preview.view.cached_image(0)
    assert image is not None and not image.isNull()
    assert image.width() > image.height()  # A4 landscape list
    assert ink(image) > 200  # text and table rules, not a blank page


def test_pages_render_lazily_when_they_come_into_view(preview, qtbot, pdf):
    _, pages = pdf
    view = preview.view
    view.set_zoom(1.0)
    view.render_visible_now()
    assert view.cached_image(pages - 1) is None  # not rendered while out of view
    preview.page_spin.setValue(pages)
    assert view.current_page() == pages - 1
    qtbot.waitUntil(lambda: view.cached_image(pages - 1) is not None, timeout=5000)
    assert not preview.next_button.isEnabled() and preview.prev_button.isEnabled()


def test_zoom_and_fit(preview):
    view = preview.view
    fit = view.zoom()
    view.zoom_in()
    assert view.zoom() > fit and view.fit_mode() is None
    view.zoom_out()
    view.zoom_out()
    assert view.zoom() < fit
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findData(pp.FIT_PAGE))
    preview._zoom_chosen(preview.zoom_combo.currentIndex())
    assert view.fit_mode() == pp.FIT_PAGE
    page = view.page_rect(view.current_page())
    assert page.height() <= view.viewport().height()  # a whole page in view


def test_printing_to_a_pdf_printer_gives_the_same_pages(preview, pdf, tmp_path):
    path, pages = pdf
    events = []
    preview.on_printed = lambda how, where, n: events.append((how, where, n))
    out = tmp_path / "printed.pdf"
    printer = preview.make_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(out))
    assert preview.print_to(printer)
    sizes = pdf_pages(out)
    assert len(sizes) == pages
    for (w, h), (w0, h0) in zip(sizes, pdf_pages(path)):
        assert abs(w - w0) < 2 and abs(h - h0) < 2  # A4 landscape stays A4 landscape
    assert events == [("printer", str(out), pages)]
    # the printed page carries the rendered content
    doc = pdfium.PdfDocument(str(out))
    try:
        bitmap = doc[0].render(scale=0.5, prefer_bgrx=True)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format_RGB32).copy()
    finally:
        doc.close()
    assert ink(image) > 100


def test_page_range_from_the_print_dialog(preview, pdf, tmp_path):
    _, pages = pdf
    printer = QPrinter()
    printer.setPrintRange(QPrinter.PageRange)
    printer.setFromTo(2, pages)
    assert pp.selected_pages(printer, pages, 0) == list(range(1, pages))
    printer.setPrintRange(QPrinter.CurrentPage)
    assert pp.selected_pages(printer, pages, 1) == [1]
    printer.setPrintRange(QPrinter.AllPages)
    assert pp.selected_pages(printer, pages, 1) == list(range(pages))

    out = tmp_path / "page2.pdf"
    printer = preview.make_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(out))
    assert preview.print_to(printer, [1])
    assert len(pdf_pages(out)) == 1


def test_mixed_orientation_prints_each_page_on_its_own_paper(qtbot, tmp_path):
    portrait, landscape = tmp_path / "p.pdf", tmp_path / "l.pdf"
    make_pdf(portrait, rows=5, landscape=False)
    make_pdf(landscape, rows=5, landscape=True)
    mixed = tmp_path / "mixed.pdf"
    doc = pdfium.PdfDocument.new()
    for part in (portrait, landscape):
        src = pdfium.PdfDocument(str(part))
        doc.import_pages(src)
        src.close()
    doc.save(str(mixed))
    doc.close()

    out = tmp_path / "out.pdf"
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(out))
    assert pp.print_pages(mixed, printer, [0, 1]) == 2
    (w1, h1), (w2, h2) = pdf_pages(out)
    assert w1 < h1 and w2 > h2
    assert abs(w1 - 595) < 2 and abs(w2 - 842) < 2  # A4 both


def test_print_job_can_be_cancelled(qtbot, pdf, tmp_path):
    path, _ = pdf
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "x.pdf"))
    with pytest.raises(Cancelled):
        pp.print_pages(path, printer, [0, 1], cancelled=lambda: True)


def test_save_as_copies_the_file_and_reports_it(preview, pdf, tmp_path):
    path, pages = pdf
    events = []
    preview.on_printed = lambda how, where, n: events.append((how, where, n))
    target = tmp_path / "saved" / "公示名单"
    target.parent.mkdir()
    assert preview.save_as(str(target))
    saved = target.with_suffix(".pdf")
    assert saved.read_bytes() == path.read_bytes()
    assert events == [("pdf", str(saved), pages)]


def test_build_and_preview_runs_on_a_worker_and_cleans_up(qtbot):
    seen = {}

    def build(path, progress, cancelled):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        seen["path"] = Path(path)
        progress(1, 2)
        make_pdf(Path(path), rows=10)
        progress(2, 2)

    dialog = pp.build_and_preview(None, "签领表", build, suggested_name="签领表_2026-Q1-01.pdf")
    qtbot.addWidget(dialog)
    assert dialog is not None and seen["thread"] is False
    assert dialog.page_count() == 1 and seen["path"].name == "签领表_2026-Q1-01.pdf"
    folder = seen["path"].parent
    assert folder.exists()
    dialog.close()  # the temporary copy holds personal data: removed with the preview
    assert not folder.exists()


def test_build_and_preview_cancel_and_errors(qtbot, boxes):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    made = []

    def slow(path, progress, cancelled):
        made.append(Path(path).parent)
        while not cancelled():
            threading.Event().wait(0.01)
        raise Cancelled()

    def press_cancel():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs:  # the 取消 button (QProgressDialog.cancel() alone does not emit canceled)
            dialogs[0].findChild(QPushButton).click()
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(50, press_cancel)
    assert pp.build_and_preview(None, "公示名单", slow) is None
    assert "已取消" in boxes.texts()
    assert not made[0].exists()

    def failing(path, progress, cancelled):
        raise ServiceError("批次 2026-Q1-01 没有需要签领的明细")

    assert pp.build_and_preview(None, "签领表", failing) is None
    assert "没有需要签领的明细" in boxes.texts()


def test_a_broken_file_is_explained_not_crashed(qtbot, tmp_path, boxes):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert pp.show_pdf_preview(None, bad, "坏文件") is None
    assert "无法预览" in boxes.texts()
