"""The 报表 page's documents: the annual report in the print preview (print, or save as PDF) or
as an Excel workbook, and the 绩效自评表 (seed 004) from the office's targets file. The files are
built off the GUI thread behind a progress dialog; what is printed or saved is recorded in the
audit trail (a preview only looked at records nothing)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ...services import reports
from ...services.admin import audit
from ...services.errors import Cancelled, ServiceError
from ..common import messages
from ..common.session import UiSession

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
SELFEVAL_FILTER = "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"
TARGETS_FILTER = "绩效目标文件 (*.json)"


def annual_title(year: int, union_name: str) -> str:
    return f"{year}年度帮扶工作报表" + (f"（{union_name}）" if union_name else "")


def preview_annual(parent: QWidget, session: UiSession, year: int, unit_id: int | None, union_name: str = ""):
    """Build the annual report's PDF and open it in the print preview."""
    from ..printing.print_preview import build_and_preview  # with pdfium, when first used

    ctx, title = session.ctx, annual_title(year, union_name)

    def printed(how: str, where: str, pages: int) -> None:
        audit.record_event(ctx, "print" if how == "printer" else "export", "annual_report", year,
                           summary=(f"打印{title}：送打印机 {where}，{pages} 页" if how == "printer"
                                    else f"{title}另存为 PDF：{where}"))

    return build_and_preview(parent, "年度报表",
                             lambda path, progress, cancelled: reports.build_annual_document(ctx, year, path, unit_id),
                             printed, suggested_name=f"{title}.pdf", label=f"正在生成{title}……")


def _write(parent: QWidget, session: UiSession, title: str, label: str, job) -> Path | None:
    """Run one file-writing service call, ``job(progress, cancelled)``, behind a progress dialog
    with 取消 (the service leaves no file and no record when cancelled); say where the file went."""
    try:
        out = session.executor.run_with_progress(parent, title, label, job)
    except Cancelled:
        return None
    except ServiceError as exc:
        messages.show_service_error(parent, exc, f"无法{title}")
        return None
    except OSError as exc:
        messages.warn(parent, f"无法{title}", str(exc))
        return None
    messages.info(parent, title, f"已{title}。", f"文件：{out}")
    return Path(out)


def export_selfeval_file(parent: QWidget, session: UiSession, year: int, unit_id: int | None) -> Path | None:
    """The 绩效自评表 of `year`: the targets file (entered once, JSON), then where to write it
    (.xlsx, or .pdf to print); the actual values, scores and deviation notes come from the data."""
    targets, _ = QFileDialog.getOpenFileName(parent, f"选择{year}年度绩效目标文件", str(Path.home()), TARGETS_FILTER)
    if not targets:
        return None
    path, chosen = QFileDialog.getSaveFileName(parent, "保存绩效自评表",
                                               str(Path.home() / f"{year}年度项目支出绩效自评表.xlsx"),
                                               SELFEVAL_FILTER)
    if not path:
        return None
    if not path.lower().endswith((".xlsx", ".pdf")):
        path += ".pdf" if "pdf" in (chosen or "").lower() else ".xlsx"
    ctx = session.ctx
    return _write(parent, session, "导出绩效自评表", f"正在填写{year}年度绩效自评表……",
                  lambda progress, cancelled: reports.export_selfeval(ctx, year, targets, path, unit_id,
                                                                      progress=progress, cancelled=cancelled))


def export_annual_xlsx(parent: QWidget, session: UiSession, year: int, unit_id: int | None,
                       union_name: str = "") -> Path | None:
    """Ask where, then write the annual report as .xlsx (recorded as an export)."""
    title = annual_title(year, union_name)
    path, _ = QFileDialog.getSaveFileName(parent, "导出年度报表（Excel）", str(Path.home() / f"{title}.xlsx"),
                                          XLSX_FILTER)
    if not path:
        return None
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    ctx = session.ctx
    return _write(parent, session, "导出年度报表", f"正在导出{title}……",
                  lambda progress, cancelled: reports.export_annual(ctx, year, path, unit_id,
                                                                    progress=progress, cancelled=cancelled))
