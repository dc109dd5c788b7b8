"""The pages of the main window: one line per page.

A page is a QWidget class constructed as ``Page(session: UiSession, parent=None)``.
Optional members the main window uses when present:
  - ``statusText``: a Signal(str) whose text the status bar shows while the page is current,
    and ``status_text``: the last such text (shown when the user switches to the page);
  - ``activated()``: called each time the page is shown (refresh here);
  - ``focus_search()``: called by Ctrl+F;
  - ``openListRequested``: a Signal(str, dict) — "show page KEY filtered so": the main window
    shows that page and calls its ``show_filtered(**filters)`` (the dashboard's click-through).
A page whose spec names roles in ``first_for`` comes first in the navigation of a user holding
one of them, and is the page shown at start (the head starts on the dashboard, a reviewer on the
queue of requests waiting for them).
A page whose module is not in the tree yet is skipped, so a page can be listed before it lands.
Pages are imported and built when first shown (see main_window.py): `pages_for` only checks
that each module is there, without importing it.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    factory: str  # "package.module:ClassName"
    permission: str | None  # shown only to users holding it
    first_for: frozenset[str] = frozenset()  # roles that start on this page

    @property
    def module(self) -> str:
        return self.factory.partition(":")[0]


PAGES: list[PageSpec] = [
    PageSpec("archive", "困难职工档案", "zhibang_desktop.ui.archive.archive_page:ArchivePage", "archive.read"),
    PageSpec("visits", "走访核查", "zhibang_desktop.ui.archive.visits_page:VisitsPage", "archive.read"),
    PageSpec("relief", "救助申请", "zhibang_desktop.ui.relief.relief_page:ReliefPage", "relief.read"),
    PageSpec("review", "待我审核", "zhibang_desktop.ui.relief.review_page:ReviewPage", "relief.review",
             first_for=frozenset({"reviewer"})),
    PageSpec("policy", "救助政策", "zhibang_desktop.ui.relief.policy_page:PolicyPage", "policy.edit"),
    PageSpec("holidays", "节假日", "zhibang_desktop.ui.relief.holidays_page:HolidaysPage", "org.edit"),
    PageSpec("notices", "公示与异议", "zhibang_desktop.ui.payout.notices_page:NoticesPage", "relief.read"),
    PageSpec("batches", "救助金发放", "zhibang_desktop.ui.payout.batches_page:BatchesPage", "relief.read"),
    PageSpec("followups", "回访", "zhibang_desktop.ui.casework.followups_page:FollowupsPage", "relief.read"),
    PageSpec("complaints", "投诉", "zhibang_desktop.ui.casework.complaints_page:ComplaintsPage", "relief.read"),
    PageSpec("crosscheck", "数据比对", "zhibang_desktop.ui.casework.crosscheck_page:CrossCheckPage", "archive.read"),
    PageSpec("funds", "资金", "zhibang_desktop.ui.funds.funds_page:FundsPage", "report.read"),
    PageSpec("dashboard", "工作概览", "zhibang_desktop.ui.reports.dashboard_page:DashboardPage", "report.read",
             first_for=frozenset({"head"})),
    PageSpec("reports", "报表", "zhibang_desktop.ui.reports.reports_page:ReportsPage", "report.read"),
    PageSpec("settings", "单位与组织", "zhibang_desktop.ui.admin.settings_page:SettingsPage", "org.edit"),
    PageSpec("users", "用户管理", "zhibang_desktop.ui.admin.users_page:UsersPage", "users.manage"),
    PageSpec("audit", "审计日志", "zhibang_desktop.ui.admin.audit_page:AuditPage", "audit.read"),
    PageSpec("backup", "备份与恢复", "zhibang_desktop.ui.admin.backup_page:BackupPage", "backup.run"),
]


def load_factory(spec: PageSpec):
    """The page class, or None when its module is not in the tree (yet)."""
    module_name, class_name = spec.module, spec.factory.partition(":")[2]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):  # the page itself is not there
            log.info("page %s skipped: %s not found", spec.key, module_name)
        else:  # the page is there but something it imports is not: a bug, logged loudly
            log.exception("page %s skipped: it failed to import", spec.key)
        return None
    return getattr(module, class_name)


def page_module_present(spec: PageSpec) -> bool:
    """Whether the page's module is in the tree, found without importing it."""
    try:
        return importlib.util.find_spec(spec.module) is not None
    except ModuleNotFoundError:  # its package is not there either
        return False


def lazy_factory(spec: PageSpec):
    """`factory(session, parent) -> page`, importing the page's module on its first call."""
    def factory(session, parent=None):
        page_class = load_factory(spec)
        if page_class is None:
            raise ImportError(f"page {spec.key}: {spec.factory} failed to import")
        return page_class(session, parent)
    return factory


def pages_for(actor) -> list[tuple[PageSpec, object]]:
    """The user's pages in navigation order, each with a factory that imports and builds it."""
    found = [(spec, lazy_factory(spec)) for spec in PAGES
             if (not spec.permission or actor.can(spec.permission)) and page_module_present(spec)]
    return sorted(found, key=lambda pair: not (pair[0].first_for & actor.roles))
