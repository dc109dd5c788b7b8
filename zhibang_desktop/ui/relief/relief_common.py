"""What the relief screens share: the change summary of a stored request, the words and
colours for statuses, periods and findings, and the save-as-PDF flow for the 救助申请审批表.

The pages and dialogs of relief (救助申请, 待我审核, the new-request dialog, the review
dialog and the request view) store through the session's executor with
``changes=request_changed``; each list reloads itself on ``session.changed``.
"""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain import clock
from ...services.errors import ServiceError
from ...services.relief.types import STATUS_LABELS, FindingView
from ..common import labels, messages
from ..common.executor import ChangeSummary
from ..common.session import UiSession
from ..common.worker import run_with_progress

ERROR_COLOR = "#c62828"
WARNING_COLOR = "#b26a00"
OK_COLOR = "#2e7d32"
MUTED_COLOR = "#6d6d6d"

STATUS_COLORS = {
    "draft": QColor(MUTED_COLOR),
    "returned": QColor(WARNING_COLOR),
    "rejected": QColor(ERROR_COLOR),
    "withdrawn": QColor(MUTED_COLOR),
    "approved": QColor(OK_COLOR),
}
QUARTERS = "一二三四"
PDF_FILTER = "PDF 文件 (*.pdf)"


def request_changed(view) -> ChangeSummary:
    """The change summary of an operation that returns the stored request (a RequestView)."""
    return ChangeSummary(requests=True, request_id=view.id)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


def period_text(year: int, quarter: int | None, batch_no: int | None = None) -> str:
    if quarter in (1, 2, 3, 4):
        return f"{year}年第{QUARTERS[quarter - 1]}季度"
    if batch_no:
        return f"{year}年第 {batch_no} 批"
    return f"{year}年"


def type_text(type_name: str, subcase_name: str = "") -> str:
    return f"{type_name}（{subcase_name}）" if subcase_name else type_name


def money(fen: int | None, empty: str = "—") -> str:
    return empty if fen is None else f"{labels.yuan(fen)} 元"


def findings_html(findings: tuple[FindingView, ...] | list[FindingView], *, none_text: str = "") -> str:
    """Errors in red, then warnings in orange, each with its Chinese message."""
    rows = []
    for severity, color, mark in (("error", ERROR_COLOR, "✖"), ("warning", WARNING_COLOR, "⚠")):
        for f in findings:
            if f.severity == severity:
                rows.append(f"<p style='margin:0 0 4px 0; color:{color}'>{mark} <b>{html.escape(f.severity_label)}</b>"
                            f"　{html.escape(f.message)}</p>")
    if not rows and none_text:
        rows.append(f"<p style='margin:0; color:{OK_COLOR}'>✔ {html.escape(none_text)}</p>")
    return "".join(rows)


def due_text(due: date | None, overdue: bool) -> str:
    if due is None:
        return ""
    if overdue:
        days = (clock.today() - due).days
        return f"{due.isoformat()}（超期{f' {days} 天' if days > 0 else ''}）"
    return due.isoformat()


def _preview_module():
    """The print preview (ui/printing/print_preview.py) when it is installed, else None."""
    try:
        from ..printing import print_preview
    except ImportError:
        return None
    return print_preview


def print_approval_flow(parent: QWidget, session: UiSession, request_id: int, number: str):
    """The 救助申请审批表 of a request: generated in the background and shown in the print
    preview (print or save as PDF there); where the preview cannot load (no Qt print
    support in the installation), saved as a PDF file to open elsewhere.

    Returns the preview dialog, or the saved path, or None (cancelled / failed: already said).
    """
    from ...services.admin import audit
    from ...services.relief.requests import build_approval, print_approval

    name = f"救助申请审批表_{number}.pdf"
    module = _preview_module()
    if module is not None:
        def printed(how: str, where: str, pages: int) -> None:
            # the preview itself records nothing; what is printed or saved from it is recorded
            audit.record_event(session.ctx, "print" if how == "printer" else "export", "relief_request", request_id,
                               summary=(f"打印救助申请审批表 {number}：送打印机 {where}，{pages} 页"
                                        if how == "printer" else f"救助申请审批表 {number} 另存为 PDF：{where}"))

        return module.build_and_preview(
            parent, "救助申请审批表",
            lambda path, progress, cancelled: build_approval(session.ctx, request_id, path),
            printed, suggested_name=name, label=f"正在生成 {number} 的审批表……")
    default = str(Path.home() / name)
    path, _ = QFileDialog.getSaveFileName(parent, "保存救助申请审批表（PDF）", default, PDF_FILTER)
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        out = run_with_progress(parent, "打印审批表", f"正在生成 {number} 的审批表……",
                                lambda progress, cancelled: print_approval(session.ctx, request_id, path),
                                cancellable=False)
    except (ServiceError, OSError) as exc:
        messages.warn(parent, "无法生成审批表", str(exc))
        return None
    messages.info(parent, "打印审批表", "已生成救助申请审批表（PDF），可用 PDF 阅读器打开后打印。", f"文件：{out}")
    return Path(out)
