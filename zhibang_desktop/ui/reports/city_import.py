"""City mode: importing the counties' annual exchange files (services.exchange), several at a
time, off the GUI thread with progress and 取消; each file is its own transaction, and what each
file did (imported, replaced, refused with the reason) is shown at the end."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from ...services import exchange
from ...services.errors import Cancelled, ServiceError
from ..common import messages
from ..common.executor import ChangeSummary
from ..common.session import UiSession
from .exchange_export import XLSX_FILTER

ALL_RECORDS = ChangeSummary(households=True, requests=True, payouts=True, settings=True)


@dataclass(frozen=True)
class FileOutcome:
    name: str
    imported: exchange.ImportedFile | None
    refused: str = ""

    def text(self) -> str:
        if self.imported is None:
            return f"{self.name}：拒绝导入，未做任何更改。{self.refused}"
        r = self.imported
        again = "（替换了此前导入的同一区县同一年度）" if r.replaced_import_id else ""
        return (f"{self.name}：已导入{r.county}（{r.county_code}）{r.year} 年度{again}，"
                f"{r.counts['households']} 户、{r.counts['payments']} 笔发放")


def can_import(session: UiSession, city: bool) -> bool:
    """A city union's database, and a user who sees the whole city and may import."""
    return city and session.can(exchange.IMPORT) and session.actor.scope_unit_id is None


def import_files(ctx, paths: list[str], password: str | None, progress, cancelled,
                 out: list[FileOutcome]) -> list[FileOutcome]:
    """The job: one file after another into ``out``; a refusal does not stop the others, 取消
    stops before the next file (the file being imported when 取消 is pressed is rolled back)."""
    for i, path in enumerate(paths):
        if cancelled():
            break
        progress(i, len(paths))
        try:
            out.append(FileOutcome(Path(path).name, exchange.import_annual_workbook(ctx, path, password,
                                                                                     cancelled=cancelled)))
        except Cancelled:
            break
        except exchange.NotACityDatabase:
            raise
        except exchange.ExchangeFileRefused as exc:
            out.append(FileOutcome(Path(path).name, None, str(exc)))
    progress(len(paths), len(paths))
    return out


def import_county_files(parent: QWidget, session: UiSession) -> list[FileOutcome] | None:
    paths, _ = QFileDialog.getOpenFileNames(parent, "导入区县年度上报文件", str(Path.home()), XLSX_FILTER)
    if not paths:
        return None
    password, ok = QInputDialog.getText(parent, "上报文件密码",
                                        "打开密码（与区县约定；文件未加密则留空）：", QLineEdit.Password)
    if not ok:
        return None
    ctx = session.ctx
    outcomes: list[FileOutcome] = []
    try:
        session.executor.run_with_progress(
            parent, "导入区县年度上报文件", f"正在导入 {len(paths)} 个文件……",
            lambda progress, cancelled: import_files(ctx, paths, password or None, progress, cancelled, outcomes),
            changes=ALL_RECORDS)
    except Cancelled:
        session.executor.announce(ALL_RECORDS)  # the files imported before 取消 stay imported
    except ServiceError as exc:
        messages.show_service_error(parent, exc, "无法导入区县上报文件")
        return None
    done = sum(1 for o in outcomes if o.imported is not None)
    refused = len(outcomes) - done
    skipped = len(paths) - len(outcomes)
    head = f"已导入 {done} 个文件" + (f"，拒绝 {refused} 个" if refused else "") + (
        f"，已取消 {skipped} 个（未导入）" if skipped else "") + "。"
    show = messages.warn if refused or skipped else messages.info
    show(parent, "导入区县年度上报文件", head, "\n".join(o.text() for o in outcomes))
    return outcomes
