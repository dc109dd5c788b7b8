"""报表 page: the year's 上报 file for the city union (services.exchange), written off the GUI
thread with its progress; optionally protected with a password agreed with the city."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from ...services import exchange
from ...services.errors import Cancelled, ServiceError
from ..common import messages
from ..common.session import UiSession

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
SHEETS = {"households": "户", "members": "名家庭成员", "requests": "件申请", "payments": "笔发放"}


def can_export(session: UiSession) -> bool:
    """Only a user who sees the whole office and may report to the city (管理员, 负责人)."""
    return session.can(exchange.EXPORT) and session.actor.scope_unit_id is None


def export_exchange_file(parent: QWidget, session: UiSession, year: int) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "导出年度上报文件",
                                          str(Path.home() / f"{year}年度上报文件.xlsx"), XLSX_FILTER)
    if not path:
        return None
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    password, ok = QInputDialog.getText(parent, "上报文件密码",
                                        "打开密码（与市总工会约定；留空则不加密）：", QLineEdit.Password)
    if not ok:
        return None
    ctx = session.ctx
    try:
        done = session.executor.run_with_progress(
            parent, "导出年度上报文件", f"正在导出{year}年度上报文件……",
            lambda progress, cancelled: exchange.export_annual_workbook(ctx, year, path, password or None, progress),
            cancellable=False)
    except Cancelled:
        return None
    except ServiceError as exc:
        messages.show_service_error(parent, exc, "无法导出年度上报文件")
        return None
    except OSError as exc:
        messages.warn(parent, "无法导出年度上报文件", str(exc))
        return None
    counts = "、".join(f"{done.counts[k]} {label}" for k, label in SHEETS.items())
    lock = "，已用密码加密" if password else ""
    messages.info(parent, "导出年度上报文件", f"已导出{year}年度上报文件{lock}。", f"{counts}\n文件：{done.path}")
    return done.path
