"""Permissions are enforced in the services, not only hidden in the GUI.

For every public service function that writes, calling it as a user whose roles lack the
permission raises PermissionDenied with a Chinese message and changes nothing: every
table's rows and the audit chain head stay the same (and no file appears).

The service modules are discovered by importing every module of `zhibang_desktop.services`:
a new public function taking `ctx` must be added to WRITES (with a call and its
permission), READS, or NO_PERMISSION below, or `test_every_service_function_is_classified`
fails. Adding a service = one line in the right table.
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.admin_helpers import snapshot
from zhibang_desktop.domain.idnumber import make_id_number
from zhibang_desktop.domain.permissions import PERMISSIONS, ROLE_PERMISSIONS, ROLES
from zhibang_desktop.services import users
from zhibang_desktop.services.context import SYSTEM, Actor, AppContext
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.setup import UnitSpec, initialise_office
from zhibang_desktop.storage.database import open_database

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class World:
    """A small office with one of everything the write functions act on."""

    ctx: AppContext  # SYSTEM
    tmp: Path
    district: int
    street: int
    grassroots: int
    user_id: int
    household_id: int
    household_version: int
    visit_id: int
    attachment_id: int
    backup_file: Path

    def household_input(self, name: str = "张伟", seq: int = 11):
        from zhibang_desktop.services.archive_types import HouseholdInput

        return HouseholdInput(name=name, id_number=make_id_number("440183", date(1978, 5, 6), seq, "M"),
                              unit_id=self.grassroots, category="deep", phone="13800138000",
                              causes=["因病"], household_size=1)


@dataclass(frozen=True)
class Case:
    function: str  # "module.function" as discovered
    permission: str
    call: Callable[[AppContext, World], Any]

    def __str__(self) -> str:
        return self.function


def _visit():
    from zhibang_desktop.services.archive_types import VisitInput

    return VisitInput(visit_date=date(2026, 1, 5), method="home", visitor="李娜", findings="家中困难")


def _settings_copy(ctx, **values):
    from dataclasses import replace

    from zhibang_desktop.services.settings import get_settings

    return replace(get_settings(AppContext(ctx.db, SYSTEM)), **values)


def svc(module: str):
    return importlib.import_module(f"zhibang_desktop.services.{module}")


def _preset():
    from zhibang_desktop.domain.policy import load_preset

    return load_preset("zengcheng")


def _preset_json() -> str:
    from zhibang_desktop.domain.policy import policy_to_json

    return policy_to_json(_preset())


def _notice_input():
    pt = svc("payout_types")
    return pt.NoticeInput(pt.NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2))


def _request(w: World):
    return svc("relief_types").RequestInput(relief_type="quarterly", year=2026, requested_amount_fen=50000,
                                            household_id=w.household_id, reason="因病致困")


def module_exists(function: str) -> bool:
    """Entries may name modules that are still being written; they are checked once they land."""
    return importlib.util.find_spec(f"zhibang_desktop.services.{function.split('.')[0]}") is not None


# --- the tables ------------------------------------------------------------------------------

WRITES: list[Case] = [
    # settings, org
    Case("settings.save_settings", "org.edit", lambda c, w: svc("settings").save_settings(c, _settings_copy(c, phone="1"))),
    Case("settings.update_settings", "org.edit", lambda c, w: svc("settings").update_settings(c, phone="020-1")),
    Case("settings.set_year_standard", "org.edit", lambda c, w: svc("settings").set_year_standard(c, 2026, 97000, 120000)),
    Case("org.add_unit", "org.edit", lambda c, w: svc("org").add_unit(c, "新建工会", "grassroots", w.district)),
    Case("org.update_unit", "org.edit", lambda c, w: svc("org").update_unit(c, w.grassroots, name="改名工会")),
    # users
    Case("users.add_user", "users.manage", lambda c, w: users.add_user(c, "newbie", "新人", "Passw0rd", ["clerk"])),
    Case("users.update_user", "users.manage", lambda c, w: users.update_user(c, w.user_id, roles=["admin"])),
    Case("users.disable_user", "users.manage", lambda c, w: users.disable_user(c, w.user_id)),
    Case("users.enable_user", "users.manage", lambda c, w: users.enable_user(c, w.user_id)),
    Case("users.reset_password", "users.manage", lambda c, w: users.reset_password(c, w.user_id, "Hacked123")),
    Case("users.unlock_user", "users.manage", lambda c, w: users.unlock_user(c, w.user_id)),
    Case("users.set_reviewer_scopes", "users.manage",
         lambda c, w: users.set_reviewer_scopes(c, w.user_id, [(w.street, "street")])),
    # audit, backup, restore
    Case("audit.export_audit", "audit.read", lambda c, w: svc("audit").export_audit(c, w.tmp / "out" / "audit.xlsx")),
    Case("backup.backup_now", "backup.run", lambda c, w: svc("backup").backup_now(c, w.tmp / "out")),
    Case("backup.restore", "backup.restore",
         lambda c, w: svc("backup").restore(c.db.path, w.backup_file, actor=c.actor)),
    # the household archive
    Case("archive.create_household", "archive.edit",
         lambda c, w: svc("archive").create_household(c, w.household_input("王芳", 22))),
    Case("archive.update_household", "archive.edit",
         lambda c, w: svc("archive").update_household(c, w.household_id, w.household_version, w.household_input("张伟伟"))),
    Case("archive.delete_draft", "archive.edit",
         lambda c, w: svc("archive").delete_draft(c, w.household_id, w.household_version)),
    Case("archive_lifecycle.archive_household", "archive.edit",
         lambda c, w: svc("archive_lifecycle").archive_household(c, w.household_id, date(2026, 1, 6))),
    Case("archive_lifecycle.begin_exit", "archive.edit",
         lambda c, w: svc("archive_lifecycle").begin_exit(c, w.household_id, date(2026, 1, 6), "收入已超标准")),
    Case("archive_lifecycle.complete_exit", "archive.edit",
         lambda c, w: svc("archive_lifecycle").complete_exit(c, w.household_id, date(2026, 1, 6), "渐退期满")),
    Case("archive_lifecycle.reactivate", "archive.edit",
         lambda c, w: svc("archive_lifecycle").reactivate(c, w.household_id, date(2026, 1, 6), "再次致困")),
    Case("visits.add_visit", "archive.edit", lambda c, w: svc("visits").add_visit(c, w.household_id, _visit())),
    Case("visits.delete_visit", "archive.edit", lambda c, w: svc("visits").delete_visit(c, w.visit_id)),
    Case("attachments.add_attachment", "archive.edit",
         lambda c, w: svc("attachments").add_attachment(c, w.household_id, "证明.pdf", b"%PDF-1.4 test")),
    Case("attachments.remove_attachment", "archive.edit",
         lambda c, w: svc("attachments").remove_attachment(c, w.attachment_id)),
    # the holiday table
    Case("holidays.add_days", "org.edit", lambda c, w: svc("holidays").add_days(
        c, [svc("relief_types").HolidayView(date(2027, 1, 1), False, "元旦")], complete_year=2027)),
    Case("holidays.add_day", "org.edit", lambda c, w: svc("holidays").add_day(c, date(2027, 1, 1), False, "元旦")),
    Case("holidays.remove_day", "org.edit", lambda c, w: svc("holidays").remove_day(c, date(2027, 1, 1))),
    Case("holidays.mark_year_complete", "org.edit", lambda c, w: svc("holidays").mark_year_complete(c, 2027)),
    # relief policies
    Case("policies.use_preset", "policy.edit", lambda c, w: svc("policies").use_preset(c, "zengcheng", 2026)),
    Case("policies.import_policy", "policy.edit", lambda c, w: svc("policies").import_policy(c, _preset_json())),
    Case("policies.save_policy", "policy.edit", lambda c, w: svc("policies").save_policy(c, _preset())),
    Case("policies.activate_policy", "policy.edit", lambda c, w: svc("policies").activate_policy(c, 1)),
    Case("policies.export_policy", "relief.read",  # writes a file and an audit row
         lambda c, w: svc("policies").export_policy(c, 2026, path=w.tmp / "out" / "policy.json")),
    # public notices, disbursement batches, bank files, printed rosters and receipt lists (issue 5)
    Case("notices.create_notice", "notice.manage", lambda c, w: svc("notices").create_notice(c, _notice_input())),
    Case("notices.update_notice", "notice.manage", lambda c, w: svc("notices").update_notice(c, 1, _notice_input())),
    Case("notices.refresh_notice", "notice.manage", lambda c, w: svc("notices").refresh_notice(c, 1)),
    Case("notices.remove_notice_entry", "notice.manage", lambda c, w: svc("notices").remove_notice_entry(c, 1, "重复")),
    Case("notices.set_entry_remark", "notice.manage", lambda c, w: svc("notices").set_entry_remark(c, 1, "备注")),
    Case("notices.delete_notice", "notice.manage", lambda c, w: svc("notices").delete_notice(c, 1)),
    Case("notices.publish_notice", "notice.manage", lambda c, w: svc("notices").publish_notice(c, 1)),
    Case("notices.close_notice", "notice.manage", lambda c, w: svc("notices").close_notice(c, 1)),
    Case("notices.record_objection", "notice.manage", lambda c, w: svc("notices").record_objection(
        c, svc("payout_types").ObjectionInput(1, "匿名", "有车", date(2026, 3, 3)))),
    Case("notices.handle_objection", "notice.manage",
         lambda c, w: svc("notices").handle_objection(c, 1, "dismissed", "经核实收入属实")),
    Case("notices.override_payability", "payout.override",
         lambda c, w: svc("notices").override_payability(c, 1, "住院急需先行发放")),
    Case("disbursement_batches.create_batch", "payout.manage", lambda c, w: svc("disbursement").create_batch(
        c, svc("payout_types").BatchInput(date(2026, 3, 20), [svc("payout_types").LinePlan(1)]))),
    Case("disbursement_lines.mark_paid", "payout.manage", lambda c, w: svc("disbursement").mark_paid(c, [1])),
    Case("disbursement_lines.mark_batch_paid", "payout.manage", lambda c, w: svc("disbursement").mark_batch_paid(c, 1)),
    Case("disbursement_lines.mark_returned", "payout.manage",
         lambda c, w: svc("disbursement").mark_returned(c, 1, "账号有误")),
    Case("disbursement_lines.mark_renounced", "payout.manage",
         lambda c, w: svc("disbursement").mark_renounced(c, 1, "本人放弃")),
    Case("disbursement_lines.mark_paid_to_relative", "payout.manage",
         lambda c, w: svc("disbursement").mark_paid_to_relative(c, 1, "王秀英", "配偶")),
    Case("disbursement_lines.set_line_method", "payout.manage",
         lambda c, w: svc("disbursement").set_line_method(c, 1, "cash")),
    Case("disbursement_lines.set_line_proxy", "payout.manage", lambda c, w: svc("disbursement").set_line_proxy(c, 1, "")),
    Case("disbursement_lines.remove_line", "payout.manage", lambda c, w: svc("disbursement").remove_line(c, 1, "重复")),
    Case("disbursement_reissue.create_reissue_batch", "payout.manage", lambda c, w: svc("disbursement").create_reissue_batch(
        c, [svc("disbursement").ReissuePlan(1)], date(2026, 4, 8))),
    Case("disbursement_batches.close_batch", "payout.manage", lambda c, w: svc("disbursement").close_batch(c, 1)),
    Case("bank_files.save_template", "org.edit", lambda c, w: svc("bank_files").save_template(
        c, svc("payout_types").BankTemplateView(None, "工行", "", (
            svc("payout_types").BankColumnSpec("卡号", "account"), svc("payout_types").BankColumnSpec("户名", "name"),
            svc("payout_types").BankColumnSpec("金额", "amount"))))),
    Case("bank_files.delete_template", "org.edit", lambda c, w: svc("bank_files").delete_template(c, 1)),
    Case("bank_files.export_bank_file", "payout.manage",
         lambda c, w: svc("bank_files").export_bank_file(c, 1, w.tmp / "out" / "bank.xlsx")),
    Case("bank_files.import_returns", "payout.manage",
         lambda c, w: svc("bank_files").import_returns(c, 1, w.tmp / "out" / "returns.csv")),
    Case("payout_print.print_roster", "notice.manage",
         lambda c, w: svc("payout_print").print_roster(c, 1, w.tmp / "out" / "roster.pdf")),
    Case("payout_print.print_receipts", "payout.manage",
         lambda c, w: svc("payout_print").print_receipts(c, 1, w.tmp / "out" / "receipts.pdf")),
    # household import / export, the historical payment ledger
    Case("household_export.export_households", "archive.export",
         lambda c, w: svc("household_export").export_households(c, w.tmp / "out" / "households.xlsx")),
    Case("household_import.import_households", "archive.import",
         lambda c, w: svc("household_import").import_households(c, w.tmp / "out" / "ledger.xlsx")),
    Case("ledger_import.import_ledger", "relief.create",
         lambda c, w: svc("ledger_import").import_ledger(c, w.tmp / "out" / "payments.xlsx")),
    # relief requests and their review
    Case("relief.create_request", "relief.create", lambda c, w: svc("relief").create_request(c, _request(w))),
    Case("relief.update_request", "relief.create", lambda c, w: svc("relief").update_request(c, 1, _request(w))),
    Case("relief.submit_request", "relief.create", lambda c, w: svc("relief").submit_request(c, 1, "说明")),
    Case("relief.withdraw", "relief.create", lambda c, w: svc("relief").withdraw(c, 1, "撤回")),
    Case("relief.add_request_attachment", "relief.create",
         lambda c, w: svc("relief").add_request_attachment(c, 1, "诊断证明.pdf", b"%PDF-1.4")),
    Case("relief.remove_request_attachment", "relief.create",
         lambda c, w: svc("relief").remove_request_attachment(c, 1)),
    Case("relief.print_approval", "relief.read",  # writes a PDF and a print audit row
         lambda c, w: svc("relief").print_approval(c, 1, w.tmp / "out" / "approval.pdf")),
    Case("review.decide", "relief.review", lambda c, w: svc("review").decide(c, 1, "approve", "同意")),
]

# Read-only functions: no change to check; those needing a permission are listed with it
# (checked by test_reads_needing_a_permission_are_refused), None = any signed-in user.
READS: dict[str, str | None] = {
    "archive.get_household": "archive.read",
    "archive.find_by_id_number": "archive.read",
    "archive_history.household_changes": "archive.read",
    "archive_search.search_households": "archive.read",
    "archive_search.archive_counts": "archive.read",
    "archive_validation.validate_household": "archive.read",
    "attachments.attachment_content": "archive.read",
    "attachments.list_attachments": "archive.read",
    "audit.query_audit": "audit.read",
    "audit.filter_options": "audit.read",
    "audit.verify_chain": "audit.read",
    "audit.chain_head": None,  # printed on disbursement lists, shown in the status bar
    "org.list_units": "archive.read",
    "settings.get_settings": None,
    "settings.list_year_standards": None,
    "users.list_users": "users.manage",
    "users.find_user": "users.manage",
    "users.get_user": None,  # own record for anyone; others' need users.manage (see test_users_admin)
    "users.reviewer_scopes": None,  # idem
    "holidays.list_days": None,
    "holidays.calendar_years": None,
    "policies.list_policies": "relief.read",
    "policies.show_policy": "relief.read",
    "policies.policy_options": "relief.read",
    "policies.policy_document": "relief.read",
    "policies.in_force_policy": "relief.read",
    "notices.notice_candidates": "relief.read",
    "notices.list_notices": "relief.read",
    "notices.get_notice": "relief.read",
    "notices.payability": "relief.read",
    "notices.notice_period": "notice.manage",
    "disbursement_batches.batch_candidates": "relief.read",
    "disbursement_batches.next_batch_number": "relief.read",
    "disbursement_reissue.reissue_candidates": "relief.read",
    "disbursement_views.list_batches": "relief.read",
    "disbursement_views.get_batch": "relief.read",
    "bank_files.list_templates": "relief.read",
    "payout_print.roster_document": "relief.read",
    "payout_print.build_roster": "notice.manage",
    "payout_print.build_receipts": "payout.manage",
    "payout_print.receipt_document": "relief.read",  # payout.manage with full_id=True
    "household_import.check_import": "archive.import",  # validates a file, imports nothing
    "compliance.compliance_report": "report.read",
    "relief.evaluate_draft": "relief.read",
    "relief.get_request": "relief.read",
    "relief.build_approval": "relief.read",
    "relief.list_requests": "relief.read",
    "relief.request_attachment_content": "relief.read",
    "review.review_queue": "relief.review",
}

READ_CALLS: dict[str, Callable[[AppContext, World], Any]] = {
    "archive.get_household": lambda c, w: svc("archive").get_household(c, w.household_id),
    "archive.find_by_id_number": lambda c, w: svc("archive").find_by_id_number(c, "440183197805060113"),
    "archive_history.household_changes": lambda c, w: svc("archive_history").household_changes(c, w.household_id),
    "archive_search.search_households": lambda c, w: svc("archive_search").search_households(
        c, svc("archive_types").HouseholdFilter()),
    "archive_search.archive_counts": lambda c, w: svc("archive_search").archive_counts(c),
    "archive_validation.validate_household": lambda c, w: svc("archive_validation").validate_household(
        c, w.household_input()),
    "attachments.attachment_content": lambda c, w: svc("attachments").attachment_content(c, w.attachment_id),
    "attachments.list_attachments": lambda c, w: svc("attachments").list_attachments(c, w.household_id),
    "audit.query_audit": lambda c, w: svc("audit").query_audit(c),
    "audit.filter_options": lambda c, w: svc("audit").filter_options(c),
    "audit.verify_chain": lambda c, w: svc("audit").verify_chain(c),
    "org.list_units": lambda c, w: svc("org").list_units(c),
    "users.list_users": lambda c, w: users.list_users(c),
    "users.find_user": lambda c, w: users.find_user(c, "clerk1"),
    "policies.list_policies": lambda c, w: svc("policies").list_policies(c),
    "policies.show_policy": lambda c, w: svc("policies").show_policy(c, 2026),
    "policies.policy_options": lambda c, w: svc("policies").policy_options(c, 2026),
    "policies.policy_document": lambda c, w: svc("policies").policy_document(c, 2026),
    "policies.in_force_policy": lambda c, w: svc("policies").in_force_policy(c, 2026),
    "notices.notice_candidates": lambda c, w: svc("notices").notice_candidates(c, svc("payout_types").NoticeFilter()),
    "notices.list_notices": lambda c, w: svc("notices").list_notices(c),
    "notices.get_notice": lambda c, w: svc("notices").get_notice(c, 1),
    "notices.payability": lambda c, w: svc("notices").payability(c, 1),
    "notices.notice_period": lambda c, w: svc("notices").notice_period(c, date(2026, 3, 2), 5),
    "disbursement_batches.batch_candidates": lambda c, w: svc("disbursement").batch_candidates(c),
    "disbursement_batches.next_batch_number": lambda c, w: svc("disbursement").next_batch_number(c, date(2026, 3, 20)),
    "disbursement_reissue.reissue_candidates": lambda c, w: svc("disbursement").reissue_candidates(c),
    "disbursement_views.list_batches": lambda c, w: svc("disbursement").list_batches(c),
    "disbursement_views.get_batch": lambda c, w: svc("disbursement").get_batch(c, 1),
    "bank_files.list_templates": lambda c, w: svc("bank_files").list_templates(c),
    "payout_print.roster_document": lambda c, w: svc("payout_print").roster_document(c, 1),
    "payout_print.build_roster": lambda c, w: svc("payout_print").build_roster(c, 1, w.tmp / "out" / "r.pdf"),
    "payout_print.build_receipts": lambda c, w: svc("payout_print").build_receipts(c, 1, w.tmp / "out" / "b.pdf"),
    "payout_print.receipt_document": lambda c, w: svc("payout_print").receipt_document(c, 1),
    "household_import.check_import": lambda c, w: svc("household_import").check_import(c, w.tmp / "out" / "x.xlsx"),
    "compliance.compliance_report": lambda c, w: svc("compliance").compliance_report(c, 2026),
    "relief.evaluate_draft": lambda c, w: svc("relief").evaluate_draft(c, _request(w)),
    "relief.get_request": lambda c, w: svc("relief").get_request(c, 1),
    "relief.build_approval": lambda c, w: svc("relief").build_approval(c, 1, w.tmp / "out" / "preview.pdf"),
    "relief.list_requests": lambda c, w: svc("relief").list_requests(c),
    "relief.request_attachment_content": lambda c, w: svc("relief").request_attachment_content(c, 1),
    "review.review_queue": lambda c, w: svc("review").review_queue(c),
}

# Writes any signed-in user may do, and why.
NO_PERMISSION: dict[str, str] = {
    "users.change_own_password": "a user's own password; the old one is checked",
    "audit.record_event": "records that the user printed or exported something (only print/export/view)",
}

# Functions taking `ctx` that are not service calls of their own.
NOT_SERVICES: set[str] = set()


# --- discovery --------------------------------------------------------------------------------

def discovered() -> set[str]:
    import zhibang_desktop.services as pkg

    found = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            first = params[0] if params else None
            takes_ctx = first is not None and (first.name == "ctx" or "AppContext" in str(first.annotation))
            takes_actor = any(p.name == "actor" and p.kind is p.KEYWORD_ONLY for p in params)
            if takes_ctx or takes_actor:
                found.add(f"{info.name}.{name}")
    return found


def test_every_service_function_is_classified():
    classified = {c.function for c in WRITES} | set(READS) | set(NO_PERMISSION) | NOT_SERVICES
    missing = sorted(discovered() - classified)
    assert not missing, (
        "New service functions: add each to WRITES (call + permission), READS or NO_PERMISSION "
        f"in tests/services/test_permissions.py: {missing}"
    )
    stale = sorted(name for name in classified - discovered() if module_exists(name))
    assert not stale, f"Listed in test_permissions.py but no longer in the services: {stale}"
    assert set(READ_CALLS) == {name for name, perm in READS.items() if perm is not None}


# --- the world --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from argon2 import PasswordHasher

    from zhibang_desktop.services import archive, attachments, backup, visits

    tmp = tmp_path_factory.mktemp("permissions")
    (tmp / "out").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        db = open_database(tmp / "zhibang.sqlite3")
        ctx = initialise_office(db, "增城区总工会", archive_prefix="ZC", units=[
            UnitSpec("荔城街总工会", "street"), UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会")])
        units = {u.name: u.id for u in svc("org").list_units(ctx)}
        users.create_admin(db, "admin", "Secret123")
        admin = AppContext(db, users.authenticate(db, "admin", "Secret123"))
        clerk = users.add_user(admin, "clerk1", "经办人一", "Passw0rd", ["clerk", "reviewer"])
        w = World(ctx, tmp, units["增城区总工会"], units["荔城街总工会"], units["荔城街某某电子厂工会"],
                  clerk.id, 0, 0, 0, 0, tmp / "backup.sqlite3")
        hh = archive.create_household(ctx, w.household_input())
        visits.add_visit(ctx, hh.id, _visit())
        hh = archive.get_household(ctx, hh.id)
        att = attachments.add_attachment(ctx, hh.id, "低保证.jpg", b"\xff\xd8 image")
        hh = archive.get_household(ctx, hh.id)
        w.household_id, w.household_version, w.visit_id, w.attachment_id = hh.id, hh.version, hh.visits[0].id, att.id
        backup.backup_now(ctx, dest_file=w.backup_file)
        yield w
        db.close()


def roles_without(permission: str) -> frozenset[str]:
    """Every role that does not grant `permission`: the strongest user still refused."""
    return frozenset(r for r in ROLES if permission not in ROLE_PERMISSIONS[r])


def refused_context(world: World, permission: str) -> AppContext:
    roles = roles_without(permission)  # empty when every role has it (archive.read): a user with no role
    actor = Actor.make(world.user_id, "clerk1", "经办人一", roles)
    assert not actor.can(permission)
    return AppContext(world.ctx.db, actor)


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def _expect_refusal(world: World, permission: str, call) -> None:
    ctx = refused_context(world, permission)
    before, files_before = snapshot(world.ctx.db), files_under(world.tmp)
    with pytest.raises(PermissionDenied) as err:
        call(ctx, world)
    message = str(err.value)
    assert CHINESE.search(message), message
    assert PERMISSIONS[permission] in message, message  # it is the permission, not the scope, that refused
    assert snapshot(world.ctx.db) == before
    assert files_under(world.tmp) == files_before


@pytest.mark.parametrize("case", WRITES, ids=str)
def test_write_refused_without_permission(world, case):
    if not module_exists(case.function):
        pytest.skip(f"{case.function}: module not in the tree yet")
    assert case.function in discovered(), f"{case.function} is not a service function (renamed?)"
    _expect_refusal(world, case.permission, case.call)


@pytest.mark.parametrize("name", sorted(READ_CALLS), ids=str)
def test_reads_needing_a_permission_are_refused(world, name):
    if not module_exists(name):
        pytest.skip(f"{name}: module not in the tree yet")
    _expect_refusal(world, READS[name], READ_CALLS[name])


def test_world_calls_are_valid_for_a_permitted_user(world, tmp_path):
    """The refusals above are not an artefact of bad arguments: a permitted user gets past the check."""
    probe = WRITES[0]
    ctx = AppContext(world.ctx.db, SYSTEM)
    probe.call(ctx, world)  # the system actor may edit settings
    assert svc("settings").get_settings(ctx).phone == "1"
