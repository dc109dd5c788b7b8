"""The print preview dialog: page navigation, zoom, 打印… (in the background, with
progress and 取消) and 另存为PDF…
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from ...services.errors import Cancelled, ServiceError
from ..common import messages
from .preview_pages import PdfPages
from .preview_printing import page_layout_for, print_pages, selected_pages
from .preview_temp import _remove_temp
from .preview_view import FIT_PAGE, FIT_WIDTH, ZOOM_STEPS, PdfView
from ..common.worker import run_with_progress

PDF_FILTER = "PDF 文件 (*.pdf)"

OnPrinted = Callable[[str, str, int], None]


class PdfPreviewDialog(QDialog):
    """Preview with page navigation, zoom, 打印… and 另存为PDF…"""

    printed = Signal(str, str, int)  # how ("printer" | "pdf"), where, pages

    def __init__(self, pdf_path: str | Path, title: str, parent: QWidget | None = None, *,
                 on_printed: OnPrinted | None = None, suggested_name: str | None = None,
                 delete_on_close: bool = False):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowContextHelpButtonHint, False)
        self.pdf_path = Path(pdf_path)
        self.title = title
        self.on_printed = on_printed
        self.suggested_name = suggested_name or f"{title}.pdf"
        self._delete_on_close = delete_on_close
        self.pages = PdfPages(self.pdf_path)  # raises for a file pdfium cannot open
        self.view = PdfView(self.pages)

        self.prev_button = QToolButton(text="◀ 上一页", toolTip="上一页（Page Up）")
        self.next_button = QToolButton(text="下一页 ▶", toolTip="下一页（Page Down）")
        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, max(1, len(self.pages)))
        self.page_spin.setAccelerated(True)
        self.page_spin.setMinimumWidth(64)
        self.page_of = QLabel(f"/ {len(self.pages)} 页")
        self.zoom_out_button = QToolButton(text="－", toolTip="缩小（Ctrl+-）")
        self.zoom_in_button = QToolButton(text="＋", toolTip="放大（Ctrl++）")
        self.zoom_combo = QComboBox()
        self.zoom_combo.addItem("适合宽度", FIT_WIDTH)
        self.zoom_combo.addItem("整页", FIT_PAGE)
        for z in ZOOM_STEPS:
            self.zoom_combo.addItem(f"{round(z * 100)}%", z)
        self.zoom_combo.setMinimumWidth(96)
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("选择打印机、页码范围和份数（Ctrl+P）")
        self.save_button = QPushButton("另存为PDF…")
        self.save_button.setToolTip("把这份文件保存到电脑或U盘（Ctrl+S）")
        self.close_button = QPushButton("关闭")
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")
        self.print_button.setDefault(True)

        bar = QHBoxLayout()
        for w in (self.prev_button, self.page_spin, self.page_of, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        for w in (self.zoom_out_button, self.zoom_combo, self.zoom_in_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self.prev_button.clicked.connect(lambda: self.view.go_to_page(self.view.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.view.go_to_page(self.view.current_page() + 1))
        self.page_spin.valueChanged.connect(lambda v: self.view.go_to_page(v - 1))
        self.view.currentPageChanged.connect(self._page_shown)
        self.zoom_combo.activated.connect(self._zoom_chosen)
        self.view.zoomChanged.connect(self._zoom_shown)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(lambda: self.save_as())  # not clicked(bool) as the first argument
        self.close_button.clicked.connect(self.reject)
        for keys, slot in ((QKeySequence.Print, self.print_dialog), (QKeySequence.Save, self.save_as),
                           (QKeySequence.ZoomIn, self.view.zoom_in), (QKeySequence("Ctrl+="), self.view.zoom_in),
                           (QKeySequence.ZoomOut, self.view.zoom_out)):
            QShortcut(keys, self, activated=slot)
        self.finished.connect(self._release)
        self.status.setText(f"共 {len(self.pages)} 页。打印或另存为PDF会记入审计日志。")
        self._page_shown(0)
        self._fit_window()
        self.view.setFocus()

    def _fit_window(self) -> None:
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or self.screen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1366, 728)
        self.resize(min(1180, area.width() - 40), area.height() - 40)

    # -- navigation --
    def page_count(self) -> int:
        return len(self.pages)

    def _page_shown(self, index: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)

    def _zoom_chosen(self, row: int) -> None:
        data = self.zoom_combo.itemData(row)
        if data in (FIT_WIDTH, FIT_PAGE):
            self.view.set_fit(data)
        else:
            self.view.set_zoom(float(data))

    def _zoom_shown(self, zoom: float) -> None:
        fit = self.view.fit_mode()
        row = self.zoom_combo.findData(fit) if fit else self.zoom_combo.findData(zoom)
        self.zoom_combo.blockSignals(True)
        if row >= 0:
            self.zoom_combo.setCurrentIndex(row)
        else:
            self.zoom_combo.setEditable(False)
            self.zoom_combo.setCurrentIndex(-1)
            self.zoom_combo.setPlaceholderText(f"{round(zoom * 100)}%")
        self.zoom_combo.blockSignals(False)

    # -- printing --
    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.title)
        printer.setCreator("职帮")
        printer.setFullPage(True)
        printer.setPageLayout(page_layout_for(self.pages.sizes[0]))
        return printer

    def print_dialog(self) -> bool:
        if not QPrinterInfo.availablePrinters() and not QPrinterInfo.defaultPrinter().printerName():
            messages.warn(self, "打印", "这台电脑没有安装打印机。",
                          "请先在 Windows 的“打印机和扫描仪”中添加打印机；也可以“另存为PDF”后到别的电脑打印。")
            return False
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印 — {self.title}")
        dialog.setOptions(QPrintDialog.PrintPageRange | QPrintDialog.PrintCurrentPage
                          | QPrintDialog.PrintCollateCopies | QPrintDialog.PrintShowPageSize)
        dialog.setMinMax(1, len(self.pages))
        if dialog.exec() != QDialog.Accepted:
            return False
        pages = selected_pages(printer, len(self.pages), self.view.current_page())
        return self.print_to(printer, pages)

    def print_to(self, printer: QPrinter, pages: list[int] | None = None) -> bool:
        """Print (in the background, with progress) the given 0-based pages, default all."""
        pages = list(range(len(self.pages))) if pages is None else pages
        if not pages:
            messages.info(self, "打印", "所选页码范围内没有页面。")
            return False
        where = printer.printerName() if printer.outputFormat() == QPrinter.NativeFormat else printer.outputFileName()
        try:
            sheets = run_with_progress(
                self, "打印", f"正在发送到打印机 {where}（{len(pages)} 页）……",
                lambda progress, cancelled: print_pages(self.pdf_path, printer, pages, progress, cancelled))
        except Cancelled:
            self.status.setText("已取消打印。")
            return False
        except (ServiceError, OSError, pdfium.PdfiumError) as exc:
            messages.warn(self, "打印失败", str(exc))
            return False
        self.status.setText(f"已发送到 {where}：{len(pages)} 页" + (f"，共 {sheets} 张" if sheets != len(pages) else "")
                            + "。")
        self._printed("printer", where, len(pages))
        return True

    def save_as(self, path: str | None = None) -> bool:
        if not path:
            start = str(Path.home() / self.suggested_name)
            path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", start, PDF_FILTER)
            if not path:
                return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            if Path(path).resolve() != self.pdf_path.resolve():
                _copy_owner_only(self.pdf_path, Path(path))
        except OSError as exc:
            messages.warn(self, "无法保存", f"无法保存到“{path}”：{exc.strerror or exc}",
                          "如果这个文件正在别的程序中打开，请先关闭它，或换一个文件名。")
            return False
        self.status.setText(f"已保存：{path}")
        self._printed("pdf", path, len(self.pages))
        return True

    def _printed(self, how: str, where: str, pages: int) -> None:
        self.printed.emit(how, where, pages)
        if self.on_printed is not None:
            try:
                self.on_printed(how, where, pages)
            except ServiceError as exc:  # the paper is out; say that the record failed
                messages.warn(self, "未能记录", f"打印/保存已完成，但没有记入审计日志：{exc}")

    # -- clean-up --
    def _release(self) -> None:
        self.pages.close()
        if self._delete_on_close:
            _remove_temp(self.pdf_path.parent)


__all__ = ["PdfPreviewDialog", "OnPrinted", "PDF_FILTER"]


def _copy_owner_only(src: Path, dest: Path) -> None:
    """A saved PDF holds personal data: created readable by its owner only (0600)."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(src, "rb") as source, open(fd, "wb") as target:
        shutil.copyfileobj(source, target)
    if os.name == "posix":
        os.chmod(dest, 0o600)
