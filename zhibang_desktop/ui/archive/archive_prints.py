"""Printing from the archive list: the 档案表 of the selected household or of the whole list,
and the 入户走访表 of the households due a visit.

Built in the background (progress, 取消) and shown in the print preview; only what is then
sent to a printer or saved is recorded in the audit trail.
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...domain import clock
from ...services.archive import printing
from ...services.archive.types import HouseholdFilter
from ..common import messages
from ..common.session import UiSession
from ..printing.print_preview import build_and_preview

ARCHIVE_TITLE = "困难职工家庭档案表"
VISITS_TITLE = "入户走访表"
LARGE = 500  # more forms than this: say how many pages are coming before building them


def _preview(parent: QWidget, session: UiSession, title: str, what: str, build, name: str, label: str):
    built: dict[str, printing.FormPrintResult] = {}

    def run(path, progress, cancelled):
        built["result"] = build(path, progress, cancelled)
        return built["result"]

    def printed(how: str, where: str, pages: int) -> None:
        printing.record_form_print(session.ctx, what, built["result"], how, where, pages)

    return build_and_preview(parent, title, run, printed, suggested_name=name, label=label)


def print_archive_forms(parent: QWidget, session: UiSession, *, household_id: int | None = None,
                        filt: HouseholdFilter | None = None, count: int = 1):
    """The 档案表 of one household (``household_id``) or of the households ``filt`` selects."""
    if household_id is None and count == 0:
        messages.info(parent, ARCHIVE_TITLE, "当前列表没有档案可打印。")
        return None
    if household_id is None and count > LARGE and not messages.ask(
            parent, ARCHIVE_TITLE, f"将生成 {count} 户的档案表（约 {count * 2} 页），需要一些时间。继续吗？",
            yes="生成", no="取消"):
        return None
    ids = [household_id] if household_id is not None else None
    ctx = session.ctx

    def build(path, progress, cancelled):
        return printing.print_archive_forms(ctx, path, household_ids=ids, filt=filt, progress=progress,
                                            cancelled=cancelled, record=False)

    label = "正在生成档案表……" if ids else f"正在生成 {count} 户的档案表……"
    return _preview(parent, session, ARCHIVE_TITLE, "档案表", build, f"{ARCHIVE_TITLE}_{clock.today():%Y%m%d}.pdf",
                    label)


def print_visit_forms(parent: QWidget, session: UiSession, filt: HouseholdFilter, *, prefilled: bool = True):
    """The 入户走访表 of the households ``filt`` selects (by default those due), one per page."""
    ctx = session.ctx

    def build(path, progress, cancelled):
        return printing.print_visit_forms(ctx, path, filt=filt, prefilled=prefilled, progress=progress,
                                          cancelled=cancelled, record=False)

    kind = "预填" if prefilled else "空白"
    return _preview(parent, session, f"{VISITS_TITLE}（{kind}）", "入户走访表", build,
                    f"{VISITS_TITLE}_{clock.today():%Y%m%d}.pdf", "正在生成应走访家庭的入户走访表……")
