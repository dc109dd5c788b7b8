"""Excel in and out for the archive list: export, import (check first, then confirm), template."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain import clock
from ...services.archive.types import HouseholdFilter
from ...services.errors import Cancelled, ServiceError
from ..common import messages
from ..common.session import UiSession
from ..common.worker import run_with_progress

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _xlsx(path: str) -> str:
    return path if path.lower().endswith(".xlsx") else path + ".xlsx"


def export_flow(parent: QWidget, session: UiSession, filt: HouseholdFilter, count: int) -> int | None:
    from ...services.archive.household_export import export_households

    if count == 0:
        messages.info(parent, "导出档案", "当前列表没有档案可导出。")
        return None
    default = str(Path.home() / f"困难职工档案_{clock.today():%Y%m%d}.xlsx")
    path, _ = QFileDialog.getSaveFileName(parent, "导出档案到 Excel", default, XLSX_FILTER)
    if not path:
        return None
    path = _xlsx(path)
    try:
        written = run_with_progress(
            parent, "导出档案", f"正在导出 {count} 户档案……",
            lambda progress, cancelled: export_households(session.ctx, path, filt, progress, cancelled))
    except Cancelled:
        messages.info(parent, "导出档案", "已取消导出。")
        return None
    except (ServiceError, OSError) as exc:
        messages.warn(parent, "导出失败", str(exc))
        return None
    messages.info(parent, "导出档案", f"已导出 {written} 户档案。", f"文件：{path}")
    return written


def template_flow(parent: QWidget, session: UiSession) -> str | None:
    from ...services.archive.household_export import write_template

    default = str(Path.home() / "困难职工档案导入模板.xlsx")
    path, _ = QFileDialog.getSaveFileName(parent, "保存空白导入模板", default, XLSX_FILTER)
    if not path:
        return None
    path = _xlsx(path)
    try:
        write_template(path, session.ctx)  # with the office's own list of hardship causes
    except (ServiceError, OSError) as exc:
        messages.warn(parent, "无法保存模板", str(exc))
        return None
    messages.info(parent, "下载空白模板", "已保存空白导入模板。",
                  f"文件：{path}\n按模板第一行的列名填写后，用“导入档案”导入。")
    return path


def import_flow(parent: QWidget, session: UiSession) -> bool:
    """Ask for a file, check it in the background, show the result; import on 确认导入."""
    path, _ = QFileDialog.getOpenFileName(parent, "选择要导入的档案台账", str(Path.home()), XLSX_FILTER)
    if not path:
        return False
    return check_and_import(parent, session, path)


def check_and_import(parent: QWidget, session: UiSession, path: str) -> bool:
    from ...services.archive import household_import as hi

    from ..common.import_dialog import ImportCheckDialog

    name = Path(path).name
    try:
        check = run_with_progress(parent, "检查导入文件", f"正在检查“{name}”……",
                                  lambda progress, cancelled: hi.check_import(session.ctx, path, progress, cancelled))
    except Cancelled:
        return False
    except (ServiceError, OSError) as exc:
        messages.warn(parent, "无法读取导入文件", str(exc))
        return False
    dialog = ImportCheckDialog(check, name, parent)
    if dialog.exec() != ImportCheckDialog.Accepted:
        return False
    units = list(check.new_units)
    if units and not messages.ask(parent, "新建工会", f"台账中有 {len(units)} 个系统中没有的工会：\n"
                                  + "\n".join(f"　{u}" for u in units)
                                  + "\n\n新建为区总工会下的基层工会并导入档案吗？（选“否”则不导入）",
                                  yes="新建并导入", no="不导入"):
        return False
    try:
        result = run_with_progress(parent, "导入档案", f"正在导入“{name}”……",
                                   lambda progress, cancelled: hi.import_households(
                                       session.ctx, path, progress, cancelled, create_units=bool(units)))
    except Cancelled:
        messages.info(parent, "导入档案", "已取消导入，没有导入任何档案。")
        return False
    except hi.UnknownUnits as exc:  # the file changed between the check and the import
        messages.warn(parent, "导入档案", str(exc))
        return False
    except hi.ImportRejected as exc:  # the file changed between the check and the import
        ImportCheckDialog(exc, name, parent).exec()
        return False
    except (ServiceError, OSError) as exc:
        messages.warn(parent, "导入失败", f"{exc}\n没有导入任何档案。")
        return False
    detail = f"共导入档案 {result.households} 户，家庭成员 {result.members} 人。"
    if result.new_units:
        detail += f"\n新建基层工会 {len(result.new_units)} 个：{'、'.join(result.new_units)}。"
    if result.follow_up.count:
        detail += f"\n需补办的工作 {result.follow_up.count} 项（走访、排除条件核查等），可在“走访核查”页查看逾期家庭。"
    messages.info(parent, "导入档案", "导入完成。", detail)
    return True

