"""Permissions are enforced in the services, not only hidden in the GUI.

For every public service function that writes, calling it as a user whose roles lack the
permission raises PermissionDenied with a Chinese message and changes nothing: every
table's rows and the audit chain head stay the same (and no file appears).

The service modules are discovered by importing every module of `zhibang_desktop.services`
(its feature packages included; a function is named by its module, e.g. `admin.users.add_user`):
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
from zhibang_desktop.domain.permissions import OFFICE_WIDE, PERMISSIONS, ROLE_PERMISSIONS, ROLES
from zhibang_desktop.services.admin import users
from zhibang_desktop.services.context import SYSTEM, Actor, AppContext
from zhibang_desktop.services.errors import PermissionDenied
from zhibang_desktop.services.session.setup import UnitSpec, initialise_office
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
        from zhibang_desktop.services.archive.types import HouseholdInput

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
    from zhibang_desktop.services.archive.types import VisitInput

    return VisitInput(visit_date=date(2026, 1, 5), method="home", visitor="李娜", findings="家中困难")


def _settings_copy(ctx, **values):
    from dataclasses import replace

    from zhibang_desktop.services.admin.settings import get_settings

    return replace(get_settings(AppContext(ctx.db, SYSTEM)), **values)


def svc(module: str):
    return importlib.import_module(f"zhibang_desktop.services.{module}")


def _preset():
    from zhibang_desktop.domain.policy_io import load_preset

    return load_preset("zengcheng")


def _preset_json() -> str:
    from zhibang_desktop.domain.policy_io import policy_to_json

    return policy_to_json(_preset())


def _notice_input():
    pt = svc("payout.types")
    return pt.NoticeInput(pt.NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2))


def _request(w: World):
    return svc("relief.types").RequestInput(relief_type="quarterly", year=2026, requested_amount_fen=50000,
                                            household_id=w.household_id, reason="因病致困")


def module_exists(function: str) -> bool:
    """Entries may name modules that are still being written; they are checked once they land."""
    return importlib.util.find_spec(f"zhibang_desktop.services.{function.rpartition('.')[0]}") is not None


# --- the tables ------------------------------------------------------------------------------

WRITES: list[Case] = [
    # settings, org
    Case("admin.settings.save_settings", "org.edit", lambda c, w: svc("admin.settings").save_settings(c, _settings_copy(c, phone="020-82712301"))),
    Case("admin.settings.update_settings", "org.edit", lambda c, w: svc("admin.settings").update_settings(c, phone="020-82712302")),
    Case("admin.settings.set_year_standard", "org.edit", lambda c, w: svc("admin.settings").set_year_standard(c, 2026, 97000, 120000)),
    Case("admin.org.add_unit", "org.edit", lambda c, w: svc("admin.org").add_unit(c, "新建工会", "grassroots", w.district)),
    Case("admin.org.update_unit", "org.edit", lambda c, w: svc("admin.org").update_unit(c, w.grassroots, name="改名工会")),
    # users
    Case("admin.users.add_user", "users.manage", lambda c, w: users.add_user(c, "newbie", "新人", "Passw0rd", ["clerk"])),
    Case("admin.users.update_user", "users.manage", lambda c, w: users.update_user(c, w.user_id, roles=["admin"])),
    Case("admin.users.disable_user", "users.manage", lambda c, w: users.disable_user(c, w.user_id)),
    Case("admin.users.enable_user", "users.manage", lambda c, w: users.enable_user(c, w.user_id)),
    Case("admin.users.reset_password", "users.manage", lambda c, w: users.reset_password(c, w.user_id, "Hacked123")),
    Case("admin.users.unlock_user", "users.manage", lambda c, w: users.unlock_user(c, w.user_id)),
    Case("admin.users.set_reviewer_scopes", "users.manage",
         lambda c, w: users.set_reviewer_scopes(c, w.user_id, [(w.street, "street")])),
    # audit, backup, restore
    Case("admin.audit.create_office_key", "users.manage",
         lambda c, w: svc("admin.audit").create_office_key(c, w.tmp / "out" / "office.key")),
    Case("admin.audit.export_audit", "audit.read", lambda c, w: svc("admin.audit").export_audit(c, w.tmp / "out" / "audit.xlsx")),
    Case("admin.backup.backup_now", "backup.run", lambda c, w: svc("admin.backup").backup_now(c, w.tmp / "out")),
    Case("admin.backup_restore.restore", "backup.restore",
         lambda c, w: svc("admin.backup").restore(c.db.path, w.backup_file, actor=c.actor)),
    # the household archive
    Case("archive.households.create_household", "archive.edit",
         lambda c, w: svc("archive").create_household(c, w.household_input("王芳", 22))),
    Case("archive.households.update_household", "archive.edit",
         lambda c, w: svc("archive").update_household(c, w.household_id, w.household_version, w.household_input("张伟伟"))),
    Case("archive.households.delete_draft", "archive.edit",
         lambda c, w: svc("archive").delete_draft(c, w.household_id, w.household_version)),
    Case("archive.lifecycle.archive_household", "archive.edit",
         lambda c, w: svc("archive.lifecycle").archive_household(c, w.household_id, date(2026, 1, 6))),
    Case("archive.lifecycle.begin_exit", "archive.edit",
         lambda c, w: svc("archive.lifecycle").begin_exit(c, w.household_id, date(2026, 1, 6), "收入已超标准")),
    Case("archive.lifecycle.complete_exit", "archive.edit",
         lambda c, w: svc("archive.lifecycle").complete_exit(c, w.household_id, date(2026, 1, 6), "渐退期满")),
    Case("archive.lifecycle.reactivate", "archive.edit",
         lambda c, w: svc("archive.lifecycle").reactivate(c, w.household_id, date(2026, 1, 6), "再次致困")),
    Case("archive.visits.add_visit", "archive.edit", lambda c, w: svc("archive.visits").add_visit(c, w.household_id, _visit())),
    Case("archive.visits.delete_visit", "archive.edit", lambda c, w: svc("archive.visits").delete_visit(c, w.visit_id)),
    Case("archive.attachments.add_attachment", "archive.edit",
         lambda c, w: svc("archive.attachments").add_attachment(c, w.household_id, "证明.pdf", b"%PDF-1.4 test")),
    Case("archive.attachments.remove_attachment", "archive.edit",
         lambda c, w: svc("archive.attachments").remove_attachment(c, w.attachment_id)),
    # the holiday table
    Case("relief.holidays.add_days", "org.edit", lambda c, w: svc("relief.holidays").add_days(
        c, [svc("relief.types").HolidayView(date(2027, 1, 1), False, "元旦")], complete_year=2027)),
    Case("relief.holidays.add_day", "org.edit", lambda c, w: svc("relief.holidays").add_day(c, date(2027, 1, 1), False, "元旦")),
    Case("relief.holidays.remove_day", "org.edit", lambda c, w: svc("relief.holidays").remove_day(c, date(2027, 1, 1))),
    Case("relief.holidays.mark_year_complete", "org.edit", lambda c, w: svc("relief.holidays").mark_year_complete(c, 2027)),
    # relief policies
    Case("relief.policies.use_preset", "policy.edit", lambda c, w: svc("relief.policies").use_preset(c, "zengcheng", 2026)),
    Case("relief.policies.import_policy", "policy.edit", lambda c, w: svc("relief.policies").import_policy(c, _preset_json())),
    Case("relief.policies.save_policy", "policy.edit", lambda c, w: svc("relief.policies").save_policy(c, _preset())),
    Case("relief.policies.activate_policy", "policy.edit", lambda c, w: svc("relief.policies").activate_policy(c, 1)),
    Case("relief.policies.export_policy", "relief.read",  # writes a file and an audit row
         lambda c, w: svc("relief.policies").export_policy(c, 2026, path=w.tmp / "out" / "policy.json")),
    # public notices, disbursement batches, bank files, printed rosters and receipt lists (issue 5)
    Case("payout.notices.create_notice", "notice.manage", lambda c, w: svc("payout.notices").create_notice(c, _notice_input())),
    Case("payout.notices.update_notice", "notice.manage", lambda c, w: svc("payout.notices").update_notice(c, 1, _notice_input())),
    Case("payout.notices.refresh_notice", "notice.manage", lambda c, w: svc("payout.notices").refresh_notice(c, 1)),
    Case("payout.notices.remove_notice_entry", "notice.manage", lambda c, w: svc("payout.notices").remove_notice_entry(c, 1, "重复")),
    Case("payout.notices.set_entry_remark", "notice.manage", lambda c, w: svc("payout.notices").set_entry_remark(c, 1, "备注")),
    Case("payout.notices.delete_notice", "notice.manage", lambda c, w: svc("payout.notices").delete_notice(c, 1)),
    Case("payout.notices.publish_notice", "notice.manage", lambda c, w: svc("payout.notices").publish_notice(c, 1)),
    Case("payout.notices.close_notice", "notice.manage", lambda c, w: svc("payout.notices").close_notice(c, 1)),
    Case("payout.objections.record_objection", "notice.manage", lambda c, w: svc("payout.notices").record_objection(
        c, svc("payout.types").ObjectionInput(1, "匿名", "有车", date(2026, 3, 3)))),
    Case("payout.objections.handle_objection", "notice.manage",
         lambda c, w: svc("payout.notices").handle_objection(c, 1, "dismissed", "经核实收入属实")),
    Case("payout.objections.override_payability", "payout.override",
         lambda c, w: svc("payout.notices").override_payability(c, 1, "住院急需先行发放")),
    Case("payout.batches.create_batch", "payout.manage", lambda c, w: svc("payout").create_batch(
        c, svc("payout.types").BatchInput(date(2026, 3, 20), [svc("payout.types").LinePlan(1)]))),
    Case("payout.lines.mark_paid", "payout.manage", lambda c, w: svc("payout").mark_paid(c, [1])),
    Case("payout.batch_attachments.add_batch_attachment", "payout.manage",
         lambda c, w: svc("payout.batch_attachments").add_batch_attachment(c, 1, "签领表.png", b"scan")),
    Case("payout.batch_attachments.remove_batch_attachment", "payout.manage",
         lambda c, w: svc("payout.batch_attachments").remove_batch_attachment(c, 1)),
    Case("payout.receipt_prints.record_receipt_print", "payout.manage",
         lambda c, w: svc("payout.receipt_prints").record_receipt_print(
             c, 1, svc("payout.types").PrintResult(None, 1, 1, 50000, line_ids=(1,)))),
    Case("payout.lines.mark_batch_paid", "payout.manage", lambda c, w: svc("payout").mark_batch_paid(c, 1)),
    Case("payout.lines.mark_returned", "payout.manage",
         lambda c, w: svc("payout").mark_returned(c, 1, "账号有误")),
    Case("payout.lines.mark_renounced", "payout.manage",
         lambda c, w: svc("payout").mark_renounced(c, 1, "本人放弃")),
    Case("payout.lines.mark_paid_to_relative", "payout.manage",
         lambda c, w: svc("payout").mark_paid_to_relative(c, 1, "王秀英", "配偶")),
    Case("payout.lines.set_line_method", "payout.manage",
         lambda c, w: svc("payout").set_line_method(c, 1, "cash")),
    Case("payout.lines.set_line_proxy", "payout.manage", lambda c, w: svc("payout").set_line_proxy(c, 1, "")),
    Case("payout.lines.remove_line", "payout.manage", lambda c, w: svc("payout").remove_line(c, 1, "重复")),
    Case("payout.reissue.create_reissue_batch", "payout.manage", lambda c, w: svc("payout").create_reissue_batch(
        c, [svc("payout").ReissuePlan(1)], date(2026, 4, 8))),
    Case("payout.batches.close_batch", "payout.manage", lambda c, w: svc("payout").close_batch(c, 1)),
    Case("payout.bank_files.save_template", "org.edit", lambda c, w: svc("payout.bank_files").save_template(
        c, svc("payout.types").BankTemplateView(None, "工行", "", (
            svc("payout.types").BankColumnSpec("卡号", "account"), svc("payout.types").BankColumnSpec("户名", "name"),
            svc("payout.types").BankColumnSpec("金额", "amount"))))),
    Case("payout.bank_files.delete_template", "org.edit", lambda c, w: svc("payout.bank_files").delete_template(c, 1)),
    Case("payout.bank_files.export_bank_file", "payout.manage",
         lambda c, w: svc("payout.bank_files").export_bank_file(c, 1, w.tmp / "out" / "bank.xlsx")),
    Case("payout.bank_files.import_returns", "payout.manage",
         lambda c, w: svc("payout.bank_files").import_returns(c, 1, w.tmp / "out" / "returns.csv")),
    Case("payout.printing.print_roster", "notice.manage",
         lambda c, w: svc("payout.printing").print_roster(c, 1, w.tmp / "out" / "roster.pdf")),
    Case("payout.printing.print_receipts", "payout.manage",
         lambda c, w: svc("payout.printing").print_receipts(c, 1, w.tmp / "out" / "receipts.pdf")),
    # the 档案表 and 入户走访表 prints (each audited), and the GUI's record of a previewed one
    Case("archive.printing.print_archive_forms", "archive.export",
         lambda c, w: svc("archive.printing").print_archive_forms(c, w.tmp / "out" / "forms.pdf")),
    Case("archive.printing.print_visit_forms", "archive.read",
         lambda c, w: svc("archive.printing").print_visit_forms(c, w.tmp / "out" / "visits.pdf")),
    Case("archive.printing.record_form_print", "archive.export",
         lambda c, w: svc("archive.printing").record_form_print(
             c, "档案表", svc("archive.printing").FormPrintResult(1, 1, ""), "export", "x.pdf", 1)),
    # household import / export, the historical payment ledger
    Case("archive.household_export.export_households", "archive.export",
         lambda c, w: svc("archive.household_export").export_households(c, w.tmp / "out" / "households.xlsx")),
    Case("archive.household_import.import_households", "archive.import",
         lambda c, w: svc("archive.household_import").import_households(c, w.tmp / "out" / "ledger.xlsx")),
    Case("relief.ledger_import.import_ledger", "relief.create",
         lambda c, w: svc("relief.ledger_import").import_ledger(c, w.tmp / "out" / "payments.xlsx")),
    # relief requests and their review
    Case("relief.requests.create_request", "relief.create", lambda c, w: svc("relief").create_request(c, _request(w))),
    Case("relief.requests.update_request", "relief.create", lambda c, w: svc("relief").update_request(c, 1, _request(w))),
    Case("relief.requests.submit_request", "relief.create", lambda c, w: svc("relief").submit_request(c, 1, "说明")),
    Case("relief.requests.withdraw", "relief.create", lambda c, w: svc("relief").withdraw(c, 1, "撤回")),
    Case("relief.requests.add_request_attachment", "relief.create",
         lambda c, w: svc("relief").add_request_attachment(c, 1, "诊断证明.pdf", b"%PDF-1.4")),
    Case("relief.requests.remove_request_attachment", "relief.create",
         lambda c, w: svc("relief").remove_request_attachment(c, 1)),
    Case("relief.requests.print_approval", "relief.read",  # writes a PDF and a print audit row
         lambda c, w: svc("relief").print_approval(c, 1, w.tmp / "out" / "approval.pdf")),
    Case("relief.review.decide", "relief.review", lambda c, w: svc("relief.review").decide(c, 1, "approve", "同意")),
    Case("payout.batches.add_lines", "payout.manage",
         lambda c, w: svc("payout.batches").add_lines(c, 1, [svc("payout.types").LinePlan(1)])),
    # funds and budgets (issue 12): the admin or the head sets budgets
    Case("funds.sources.add_source", "funds.sources", lambda c, w: svc("funds").add_source(c, "省财政", ["living"])),
    Case("funds.sources.update_source", "funds.sources",
         lambda c, w: svc("funds").update_source(c, 1, name="省级财政")),
    Case("funds.budgets.add_budget", "funds.manage",
         lambda c, w: svc("funds").add_budget(c, 2026, "工会经费", 48_000_000)),
    Case("funds.budgets.adjust_budget", "funds.manage",
         lambda c, w: svc("funds").adjust_budget(c, 1, -21_000_000, "压减经费")),
    Case("funds.allocations.allocate", "funds.manage",
         lambda c, w: svc("funds").allocate(c, 1, w.street, 1_000_000)),
    Case("funds.allocations.report_allocation", "funds.manage",
         lambda c, w: svc("funds").report_allocation(c, 1, 500_000)),
    Case("funds.carry_over.confirm_carry_over", "funds.manage",
         lambda c, w: svc("funds").confirm_carry_over(c, 2025)),
    Case("funds.printing.print_plan", "report.read",  # writes a PDF and a print audit row
         lambda c, w: svc("funds").print_plan(c, 2027, w.tmp / "out" / "plan.pdf")),
    Case("exchange.annual_export.export_annual_workbook", "exchange.export",  # writes a file and an export audit row
         lambda c, w: svc("exchange").export_annual_workbook(c, 2026, w.tmp / "out" / "上报.xlsx")),
    Case("exchange.annual_import.import_annual_workbook", "exchange.import",  # imports a county's file (city mode)
         lambda c, w: svc("exchange").import_annual_workbook(c, w.tmp / "missing.xlsx")),
    Case("reports.annual_document.export_annual", "report.read",  # writes a file and a print audit row
         lambda c, w: svc("reports").export_annual(c, 2026, w.tmp / "out" / "annual.pdf")),
    Case("reports.selfeval_document.export_selfeval", "report.read",  # writes a file and a print audit row
         lambda c, w: svc("reports").export_selfeval(c, 2026, _selfeval_targets(), w.tmp / "out" / "self.xlsx")),
    # follow-ups, complaints and cross-check lists (issue 18)
    Case("casework.followups.record_followup", "followup.record", lambda c, w: svc("casework").record_followup(
        c, svc("casework").FollowUpInput(1, "phone", date(2026, 3, 25), "陈晓", True, True, "satisfied"))),
    Case("casework.complaints.add_complaint", "complaint.manage", lambda c, w: svc("casework").add_complaint(
        c, svc("casework").ComplaintInput(date(2026, 3, 25), "phone", "匿名", "反映发放不及时"))),
    Case("casework.complaints.handle_complaint", "complaint.manage",
         lambda c, w: svc("casework").handle_complaint(c, 1, 1, "已核实")),
    Case("casework.crosscheck.import_crosscheck", "crosscheck.import",
         lambda c, w: svc("casework").import_crosscheck(c, w.tmp / "out" / "list.xlsx", "公安")),
    Case("casework.crosscheck.decide_finding", "crosscheck.decide",
         lambda c, w: svc("casework").decide_finding(c, 1, "dismissed", "核实不属实")),
]


def _selfeval_targets():
    return svc("reports").parse_targets({"project": "困难职工帮扶资金", "lines": [
        {"level1": "产出指标", "level2": "数量指标", "name": "帮助困难职工户数", "measure": "households",
         "target": 10, "score": 20}]}, set())

# Read-only functions: no change to check; those needing a permission are listed with it
# (checked by test_reads_needing_a_permission_are_refused), None = any signed-in user.
READS: dict[str, str | None] = {
    "archive.households.get_household": "archive.read",
    "archive.households.find_by_id_number": "archive.read",
    "archive.history.household_changes": "archive.read",
    "archive.search.search_households": "archive.read",
    "archive.search.archive_counts": "archive.read",
    "archive.validation.validate_household": "archive.read",
    "archive.attachments.attachment_content": "archive.read",
    "archive.attachments.list_attachments": "archive.read",
    "admin.audit.query_audit": "audit.read",
    "admin.audit.filter_options": "audit.read",
    "admin.audit.verify_chain": "audit.read",
    "admin.audit.chain_head": None,  # printed on disbursement lists, shown in the status bar
    "admin.org.list_units": "archive.read",
    "admin.settings.get_settings": None,
    "admin.settings.list_year_standards": None,
    "admin.users.list_users": "users.manage",
    "admin.users.find_user": "users.manage",
    "admin.users.get_user": None,  # own record for anyone; others' need users.manage (see test_users_admin)
    "admin.users.reviewer_scopes": None,  # idem
    "relief.holidays.list_days": None,
    "relief.holidays.calendar_years": None,
    "relief.policies.list_policies": "relief.read",
    "relief.policies.show_policy": "relief.read",
    "relief.policies.policy_options": "relief.read",
    "relief.policies.policy_document": "relief.read",
    "relief.policies.in_force_policy": "relief.read",
    "payout.notices.notice_candidates": "relief.read",
    "payout.notice_views.list_notices": "relief.read",
    "payout.notice_views.get_notice": "relief.read",
    "payout.objections.payability": "relief.read",
    "payout.notices.notice_period": "notice.manage",
    "payout.batches.batch_candidates": "relief.read",
    "payout.batches.next_batch_number": "relief.read",
    "payout.reissue.reissue_candidates": "relief.read",
    "payout.views.list_batches": "relief.read",
    "payout.views.get_batch": "relief.read",
    "payout.bank_files.list_templates": "relief.read",
    "payout.printing.roster_document": "relief.read",
    "payout.printing.build_roster": "notice.manage",
    "payout.printing.build_receipts": "payout.manage",
    "payout.batch_attachments.list_batch_attachments": "relief.read",
    "archive.printing.find_household": "archive.read",
    "payout.receipt_prints.list_receipt_prints": "relief.read",
    "payout.batch_attachments.batch_attachment_content": "relief.read",
    "payout.printing.receipt_document": "relief.read",  # payout.manage with full_id=True
    "archive.household_import.check_import": "archive.import",  # validates a file, imports nothing
    "relief.compliance.compliance_report": "report.read",
    "relief.requests.evaluate_draft": "relief.read",
    "relief.requests.get_request": "relief.read",
    "relief.requests.build_approval": "relief.read",
    "relief.requests.list_requests": "relief.read",
    "relief.requests.request_attachment_content": "relief.read",
    "relief.review.review_queue": "relief.review",
    "admin.settings.demo_banner_of": None,  # the demo marking shown in the window title
    "admin.settings.is_city_of": None,  # city mode: which pages and actions the window offers
    "exchange.import_records.import_records": "exchange.import",
    "exchange.cross_county.cross_county": "report.read",
    "exchange.reconciliation.reconcile_allocations": "report.read",
    "exchange.reported_indicators.reported_indicators": "report.read",
    "funds.sources.list_sources": "report.read",
    "funds.budgets.list_budgets": "report.read",
    "funds.budgets.get_budget": "report.read",
    "funds.allocations.list_allocations": "report.read",
    "funds.carry_over.carry_over_proposals": "report.read",
    "funds.draws.budget_choices": "report.read",
    "funds.execution.execution": "report.read",
    "funds.execution.execution_payments": "report.read",
    "funds.planner.plan_budget": "report.read",
    "funds.printing.plan_document": "report.read",
    "funds.printing.build_plan": "report.read",
    "reports.indicators.compute_indicators": "report.read",
    "reports.indicators.indicators_with": "report.read",
    "reports.annual.annual_report": "report.read",
    "reports.period_payouts.period_payouts": "report.read",
    "exchange.annual_check.check_annual_workbook": "exchange.import",
    "reports.dashboard.dashboard": "report.read",
    "reports.annual_document.build_annual_document": "report.read",
    "reports.selfeval.self_evaluation": "report.read",
    "casework.followups.followup_list": "relief.read",
    "casework.complaints.list_complaints": "relief.read",
    "casework.crosscheck.list_findings": "archive.read",
    "casework.crosscheck.list_crosscheck_lists": "archive.read",
}

READ_CALLS: dict[str, Callable[[AppContext, World], Any]] = {
    "archive.households.get_household": lambda c, w: svc("archive").get_household(c, w.household_id),
    "archive.households.find_by_id_number": lambda c, w: svc("archive").find_by_id_number(c, "440183197805060113"),
    "archive.history.household_changes": lambda c, w: svc("archive.history").household_changes(c, w.household_id),
    "archive.search.search_households": lambda c, w: svc("archive.search").search_households(
        c, svc("archive.types").HouseholdFilter()),
    "archive.search.archive_counts": lambda c, w: svc("archive.search").archive_counts(c),
    "archive.validation.validate_household": lambda c, w: svc("archive.validation").validate_household(
        c, w.household_input()),
    "archive.attachments.attachment_content": lambda c, w: svc("archive.attachments").attachment_content(c, w.attachment_id),
    "archive.attachments.list_attachments": lambda c, w: svc("archive.attachments").list_attachments(c, w.household_id),
    "admin.audit.query_audit": lambda c, w: svc("admin.audit").query_audit(c),
    "admin.audit.filter_options": lambda c, w: svc("admin.audit").filter_options(c),
    "admin.audit.verify_chain": lambda c, w: svc("admin.audit").verify_chain(c),
    "admin.org.list_units": lambda c, w: svc("admin.org").list_units(c),
    "admin.users.list_users": lambda c, w: users.list_users(c),
    "admin.users.find_user": lambda c, w: users.find_user(c, "clerk1"),
    "relief.policies.list_policies": lambda c, w: svc("relief.policies").list_policies(c),
    "relief.policies.show_policy": lambda c, w: svc("relief.policies").show_policy(c, 2026),
    "relief.policies.policy_options": lambda c, w: svc("relief.policies").policy_options(c, 2026),
    "relief.policies.policy_document": lambda c, w: svc("relief.policies").policy_document(c, 2026),
    "relief.policies.in_force_policy": lambda c, w: svc("relief.policies").in_force_policy(c, 2026),
    "payout.notices.notice_candidates": lambda c, w: svc("payout.notices").notice_candidates(c, svc("payout.types").NoticeFilter()),
    "payout.notice_views.list_notices": lambda c, w: svc("payout.notices").list_notices(c),
    "payout.notice_views.get_notice": lambda c, w: svc("payout.notices").get_notice(c, 1),
    "payout.objections.payability": lambda c, w: svc("payout.notices").payability(c, 1),
    "payout.notices.notice_period": lambda c, w: svc("payout.notices").notice_period(c, date(2026, 3, 2), 5),
    "payout.batches.batch_candidates": lambda c, w: svc("payout").batch_candidates(c),
    "payout.batches.next_batch_number": lambda c, w: svc("payout").next_batch_number(c, date(2026, 3, 20)),
    "payout.reissue.reissue_candidates": lambda c, w: svc("payout").reissue_candidates(c),
    "payout.views.list_batches": lambda c, w: svc("payout").list_batches(c),
    "payout.views.get_batch": lambda c, w: svc("payout").get_batch(c, 1),
    "payout.bank_files.list_templates": lambda c, w: svc("payout.bank_files").list_templates(c),
    "payout.printing.roster_document": lambda c, w: svc("payout.printing").roster_document(c, 1),
    "payout.printing.build_roster": lambda c, w: svc("payout.printing").build_roster(c, 1, w.tmp / "out" / "r.pdf"),
    "payout.printing.build_receipts": lambda c, w: svc("payout.printing").build_receipts(c, 1, w.tmp / "out" / "b.pdf"),
    "payout.printing.receipt_document": lambda c, w: svc("payout.printing").receipt_document(c, 1),
    "payout.batch_attachments.list_batch_attachments": lambda c, w: svc("payout.batch_attachments").list_batch_attachments(c, 1),
    "archive.printing.find_household": lambda c, w: svc("archive.printing").find_household(c, "ZC-NONE"),
    "payout.receipt_prints.list_receipt_prints": lambda c, w: svc("payout.receipt_prints").list_receipt_prints(c, 1),
    "payout.batch_attachments.batch_attachment_content": lambda c, w: svc("payout.batch_attachments").batch_attachment_content(c, 1),
    "archive.household_import.check_import": lambda c, w: svc("archive.household_import").check_import(c, w.tmp / "out" / "x.xlsx"),
    "relief.compliance.compliance_report": lambda c, w: svc("relief.compliance").compliance_report(c, 2026),
    "relief.requests.evaluate_draft": lambda c, w: svc("relief").evaluate_draft(c, _request(w)),
    "relief.requests.get_request": lambda c, w: svc("relief").get_request(c, 1),
    "relief.requests.build_approval": lambda c, w: svc("relief").build_approval(c, 1, w.tmp / "out" / "preview.pdf"),
    "relief.requests.list_requests": lambda c, w: svc("relief").list_requests(c),
    "relief.requests.request_attachment_content": lambda c, w: svc("relief").request_attachment_content(c, 1),
    "relief.review.review_queue": lambda c, w: svc("relief.review").review_queue(c),
    "funds.sources.list_sources": lambda c, w: svc("funds").list_sources(c),
    "funds.budgets.list_budgets": lambda c, w: svc("funds").list_budgets(c, 2026),
    "funds.budgets.get_budget": lambda c, w: svc("funds").get_budget(c, 1),
    "funds.allocations.list_allocations": lambda c, w: svc("funds").list_allocations(c, 2026),
    "funds.carry_over.carry_over_proposals": lambda c, w: svc("funds").carry_over_proposals(c, 2025),
    "funds.draws.budget_choices": lambda c, w: svc("funds").budget_choices(c, 2026, "quarterly"),
    "funds.execution.execution": lambda c, w: svc("funds").execution(c, 2026),
    "funds.execution.execution_payments": lambda c, w: svc("funds").execution_payments(c, 2026),
    "funds.planner.plan_budget": lambda c, w: svc("funds").plan_budget(c, 2027),
    "funds.printing.plan_document": lambda c, w: svc("funds").plan_document(c, 2027),
    "funds.printing.build_plan": lambda c, w: svc("funds").build_plan(c, 2027, w.tmp / "out" / "p.pdf"),
    "reports.indicators.compute_indicators": lambda c, w: svc("reports").compute_indicators(
        c, date(2026, 1, 1), date(2026, 12, 31)),
    "reports.annual.annual_report": lambda c, w: svc("reports").annual_report(c, 2026),
    "reports.period_payouts.period_payouts": lambda c, w: svc("reports").period_payouts(
        c, date(2026, 1, 1), date(2026, 3, 31)),
    "reports.indicators.indicators_with": lambda c, w: svc("reports.indicators").indicators_with(
        c, date(2026, 1, 1), date(2026, 12, 31), None),
    "reports.dashboard.dashboard": lambda c, w: svc("reports").dashboard(c, 2026),
    "exchange.annual_check.check_annual_workbook": lambda c, w: svc("exchange").check_annual_workbook(
        c, w.tmp / "missing.xlsx"),
    "exchange.import_records.import_records": lambda c, w: svc("exchange").import_records(c),
    "exchange.cross_county.cross_county": lambda c, w: svc("exchange").cross_county(c, 2026),
    "exchange.reconciliation.reconcile_allocations": lambda c, w: svc("exchange").reconcile_allocations(c, 2026),
    "exchange.reported_indicators.reported_indicators": lambda c, w: svc("exchange").reported_indicators(c, 2026),
    "reports.annual_document.build_annual_document": lambda c, w: svc("reports").build_annual_document(
        c, 2026, w.tmp / "out" / "annual.pdf"),
    "reports.selfeval.self_evaluation": lambda c, w: svc("reports").self_evaluation(c, 2026, _selfeval_targets()),
    "casework.followups.followup_list": lambda c, w: svc("casework").followup_list(c),
    "casework.complaints.list_complaints": lambda c, w: svc("casework").list_complaints(c),
    "casework.crosscheck.list_findings": lambda c, w: svc("casework").list_findings(c),
    "casework.crosscheck.list_crosscheck_lists": lambda c, w: svc("casework").list_crosscheck_lists(c),
}

# Writes any signed-in user may do, and why.
NO_PERMISSION: dict[str, str] = {
    "admin.users.change_own_password": "a user's own password; the old one is checked",
    "admin.audit.record_event": "records that the user printed or exported something (only print/export/view)",
    "admin.server_backup.restore_server": "loads a dump into an EMPTY server database only (nobody can sign in "
                                          "there yet); the server's own login is the gate, as for createdb",
}

# Functions taking `ctx` that are not service calls of their own.
NOT_SERVICES: set[str] = set()


# --- discovery --------------------------------------------------------------------------------

def discovered() -> set[str]:
    import zhibang_desktop.services as pkg

    found = set()
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        module = importlib.import_module(info.name)
        where = info.name.removeprefix(f"{pkg.__name__}.")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            first = params[0] if params else None
            takes_ctx = first is not None and (first.name == "ctx" or "AppContext" in str(first.annotation))
            takes_actor = any(p.name == "actor" and p.kind is p.KEYWORD_ONLY for p in params)
            if takes_ctx or takes_actor:
                found.add(f"{where}.{name}")
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

    from zhibang_desktop.services import archive
    from zhibang_desktop.services.archive import attachments, visits
    from zhibang_desktop.services.admin import backup

    tmp = tmp_path_factory.mktemp("permissions")
    (tmp / "out").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        db = open_database(tmp / "zhibang.sqlite3")
        ctx = initialise_office(db, "增城区总工会", archive_prefix="ZC", units=[
            UnitSpec("荔城街总工会", "street"), UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会")])
        units = {u.name: u.id for u in svc("admin.org").list_units(ctx)}
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
    assert svc("admin.settings").get_settings(ctx).phone == "020-82712301"


# --- scope (issue 10) ------------------------------------------------------------------------
# A user bound to 新塘镇总工会 holding every role: whatever is refused below is refused for scope.
# Before issue 10 a scoped clerk could print, export, mark paid and read other unions' batches and
# notices (7 of 7 tries succeeded); now each call on another union's record is refused and
# changes nothing, and every service function is classified here as it is for roles.

@dataclass
class ScopeWorld:
    ctx: AppContext
    scoped: AppContext
    tmp: Path
    req_other: int  # 荔城街 (out of scope)
    req_own: int  # 新塘镇 (in scope)
    hh_other: int
    mixed_batch: int  # lines of 荔城街 and 新塘镇
    other_batch: int  # 区直机关 only
    line_other: int
    own_line: int
    other_notice: int  # published, 荔城街 only
    mixed_draft: int  # draft, 新塘镇 and 区直机关
    entry_other: int
    objection_other: int


@pytest.fixture(scope="module")
def scope_world(tmp_path_factory):
    from tests.services.payout_helpers import approved
    from zhibang_desktop.domain import clock
    from zhibang_desktop.services import payout
    from zhibang_desktop.services.payout import notices
    from zhibang_desktop.services.payout.types import BatchInput, LinePlan, NoticeFilter, NoticeInput, ObjectionInput

    tmp = tmp_path_factory.mktemp("scope")
    (tmp / "out").mkdir()
    db = open_database(tmp / "zhibang.sqlite3")
    with clock.pinned(date(2026, 3, 1)):
        ctx = initialise_office(db, "增城区总工会", archive_prefix="ZC", units=[
            UnitSpec("荔城街总工会", "street"), UnitSpec("新塘镇总工会", "street"),
            UnitSpec("荔城街某某电子厂工会", "grassroots", "荔城街总工会"),
            UnitSpec("新塘镇牛仔服装公司工会", "grassroots", "新塘镇总工会"), UnitSpec("区直机关工会", "grassroots")])
        made = approved(ctx, 3)  # one each in 荔城街…电子厂, 新塘镇…服装, 区直机关
        units = {u.name: u.id for u in svc("admin.org").list_units(ctx)}
        n1 = notices.create_notice(ctx, NoticeInput(NoticeFilter(("quarterly",), 2026, 1, units["荔城街总工会"]),
                                                    start=date(2026, 3, 2)))
        n1 = notices.publish_notice(ctx, n1.summary.id)
        n2 = notices.create_notice(ctx, NoticeInput(NoticeFilter(("quarterly",), 2026, 1), start=date(2026, 3, 2)))
        objection = notices.record_objection(ctx, ObjectionInput(n1.entries[0].id, "匿名", "家有两套房", date(2026, 3, 3)))
        for rid in made.request_ids:
            notices.override_payability(ctx, rid, "测试：特批先行发放")
        mixed = payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(made.request_ids[0]),
                                                                         LinePlan(made.request_ids[1])]))
        other = payout.create_batch(ctx, BatchInput(date(2026, 3, 20), [LinePlan(made.request_ids[2])]))
        svc("payout.batch_attachments").add_batch_attachment(ctx, mixed.summary.id, "签字.pdf", b"%PDF-1.4 scan")
    actor = Actor.make(None, "xintang", "新塘经办", set(ROLES), units["新塘镇总工会"])
    by_request = {line.request_id: line.id for line in mixed.lines}
    yield ScopeWorld(ctx, AppContext(db, actor), tmp, made.request_ids[0], made.request_ids[1],
                     made.household_ids[0], mixed.summary.id, other.summary.id, by_request[made.request_ids[0]],
                     by_request[made.request_ids[1]], n1.summary.id, n2.summary.id, n1.entries[0].id, objection.id)
    db.close()


def _pt():
    return svc("payout.types")


def _mixed_batch_scan(w: ScopeWorld) -> int:
    """The scan the office-wide user attached to the mixed batch (scope_world)."""
    return svc("payout.batch_attachments").list_batch_attachments(w.ctx, w.mixed_batch)[0].id


# Calls on another union's record, or on a whole document holding other unions' people.
SCOPE_REFUSED: dict[str, Callable[[AppContext, ScopeWorld], Any]] = {
    "payout.views.get_batch": lambda c, w: svc("payout").get_batch(c, w.other_batch),
    "payout.lines.mark_paid": lambda c, w: svc("payout").mark_paid(c, [w.line_other]),
    "payout.lines.mark_batch_paid": lambda c, w: svc("payout").mark_batch_paid(c, w.mixed_batch),
    "payout.lines.mark_returned": lambda c, w: svc("payout").mark_returned(c, w.line_other, "账号有误"),
    "payout.lines.mark_renounced": lambda c, w: svc("payout").mark_renounced(c, w.line_other, "本人放弃"),
    "payout.lines.mark_paid_to_relative": lambda c, w: svc("payout").mark_paid_to_relative(c, w.line_other, "王某", "配偶"),
    "payout.lines.set_line_method": lambda c, w: svc("payout").set_line_method(c, w.line_other, "cash"),
    "payout.lines.set_line_proxy": lambda c, w: svc("payout").set_line_proxy(c, w.line_other, ""),
    "payout.lines.remove_line": lambda c, w: svc("payout").remove_line(c, w.line_other, "重复"),
    "payout.batches.close_batch": lambda c, w: svc("payout").close_batch(c, w.mixed_batch),
    "payout.batch_attachments.add_batch_attachment": lambda c, w: svc("payout.batch_attachments")
    .add_batch_attachment(c, w.mixed_batch, "签字.pdf", b"%PDF-1.4 scan"),
    "payout.batch_attachments.list_batch_attachments": lambda c, w: svc("payout.batch_attachments")
    .list_batch_attachments(c, w.other_batch),
    "payout.receipt_prints.list_receipt_prints": lambda c, w: svc("payout.receipt_prints")
    .list_receipt_prints(c, w.other_batch),
    "payout.batch_attachments.batch_attachment_content": lambda c, w: svc("payout.batch_attachments")
    .batch_attachment_content(c, _mixed_batch_scan(w)),
    "payout.batch_attachments.remove_batch_attachment": lambda c, w: svc("payout.batch_attachments")
    .remove_batch_attachment(c, _mixed_batch_scan(w)),
    "payout.receipt_prints.record_receipt_print": lambda c, w: svc("payout.receipt_prints").record_receipt_print(
        c, w.mixed_batch, svc("payout.types").PrintResult(w.tmp / "out" / "x.pdf", 1, 2, 100000)),
    "payout.batches.add_lines": lambda c, w: svc("payout.batches").add_lines(
        c, w.mixed_batch, [_pt().LinePlan(w.req_own)]),
    "payout.batches.create_batch": lambda c, w: svc("payout").create_batch(
        c, _pt().BatchInput(date(2026, 3, 25), [_pt().LinePlan(w.req_other)])),
    "payout.reissue.create_reissue_batch": lambda c, w: svc("payout").create_reissue_batch(
        c, [svc("payout").ReissuePlan(w.line_other)], date(2026, 4, 8)),
    "payout.bank_files.export_bank_file": lambda c, w: svc("payout.bank_files").export_bank_file(
        c, w.mixed_batch, w.tmp / "out" / "bank.xlsx"),
    "payout.bank_files.import_returns": lambda c, w: svc("payout.bank_files").import_returns(
        c, w.mixed_batch, w.tmp / "out" / "returns.csv"),
    "payout.printing.print_receipts": lambda c, w: svc("payout.printing").print_receipts(
        c, w.mixed_batch, w.tmp / "out" / "receipts.pdf", full_id=True),
    "payout.printing.build_receipts": lambda c, w: svc("payout.printing").build_receipts(
        c, w.mixed_batch, w.tmp / "out" / "receipts.pdf"),
    "payout.printing.receipt_document": lambda c, w: svc("payout.printing").receipt_document(c, w.mixed_batch, True),
    "payout.printing.print_roster": lambda c, w: svc("payout.printing").print_roster(
        c, w.other_notice, w.tmp / "out" / "roster.pdf"),
    "payout.printing.build_roster": lambda c, w: svc("payout.printing").build_roster(
        c, w.mixed_draft, w.tmp / "out" / "roster.pdf"),
    "payout.printing.roster_document": lambda c, w: svc("payout.printing").roster_document(c, w.mixed_draft),
    "payout.notice_views.get_notice": lambda c, w: svc("payout.notices").get_notice(c, w.other_notice),
    "payout.notices.update_notice": lambda c, w: svc("payout.notices").update_notice(c, w.mixed_draft, _notice_input()),
    "payout.notices.refresh_notice": lambda c, w: svc("payout.notices").refresh_notice(c, w.mixed_draft),
    "payout.notices.delete_notice": lambda c, w: svc("payout.notices").delete_notice(c, w.mixed_draft),
    "payout.notices.publish_notice": lambda c, w: svc("payout.notices").publish_notice(c, w.mixed_draft),
    "payout.notices.close_notice": lambda c, w: svc("payout.notices").close_notice(c, w.other_notice),
    "payout.notices.remove_notice_entry": lambda c, w: svc("payout.notices").remove_notice_entry(c, w.entry_other),
    "payout.notices.set_entry_remark": lambda c, w: svc("payout.notices").set_entry_remark(c, w.entry_other, "备注"),
    "payout.objections.record_objection": lambda c, w: svc("payout.notices").record_objection(
        c, _pt().ObjectionInput(w.entry_other, "匿名", "有车", date(2026, 3, 3))),
    "payout.objections.handle_objection": lambda c, w: svc("payout.notices").handle_objection(
        c, w.objection_other, "dismissed", "经核实不属实"),
    "payout.objections.payability": lambda c, w: svc("payout.notices").payability(c, w.req_other),
    "payout.objections.override_payability": lambda c, w: svc("payout.notices").override_payability(
        c, w.req_other, "住院急需先行发放"),
    "relief.requests.get_request": lambda c, w: svc("relief").get_request(c, w.req_other),
    "relief.requests.build_approval": lambda c, w: svc("relief").build_approval(c, w.req_other, w.tmp / "out" / "a.pdf"),
    "relief.requests.print_approval": lambda c, w: svc("relief").print_approval(c, w.req_other, w.tmp / "out" / "a.pdf"),
    "relief.requests.withdraw": lambda c, w: svc("relief").withdraw(c, w.req_other, "撤回"),
    "relief.compliance.compliance_report": lambda c, w: svc("relief.compliance").compliance_report(c, 2026),
    "relief.ledger_import.import_ledger": lambda c, w: svc("relief.ledger_import").import_ledger(
        c, w.tmp / "out" / "payments.xlsx"),
    "archive.households.get_household": lambda c, w: svc("archive").get_household(c, w.hh_other),
    "archive.history.household_changes": lambda c, w: svc("archive.history").household_changes(c, w.hh_other),
    "archive.visits.add_visit": lambda c, w: svc("archive.visits").add_visit(c, w.hh_other, _visit()),
    "archive.attachments.list_attachments": lambda c, w: svc("archive.attachments").list_attachments(c, w.hh_other),
    "archive.attachments.add_attachment": lambda c, w: svc("archive.attachments").add_attachment(
        c, w.hh_other, "证明.pdf", b"%PDF-1.4"),
    "archive.lifecycle.begin_exit": lambda c, w: svc("archive.lifecycle").begin_exit(
        c, w.hh_other, date(2026, 3, 6), "收入已超标准"),
}

# Lists and searches: a scoped user gets its own records only (checked in test_scoped_lists_hold_only_own_records).
SCOPE_FILTERED = {
    "payout.views.list_batches", "payout.notice_views.list_notices", "payout.notices.notice_candidates",
    "payout.batches.batch_candidates", "payout.reissue.reissue_candidates", "admin.audit.query_audit",
    "admin.audit.export_audit", "admin.audit.filter_options", "archive.search.search_households",
    "archive.search.archive_counts", "archive.household_export.export_households", "relief.requests.list_requests",
    "relief.review.review_queue", "reports.dashboard.dashboard",
}

# Scope-checked in their own modules and tested there (tests/services/test_scope.py, test_relief.py,
# test_household_import.py): the record's union is checked when it is loaded or validated.
SCOPE_TESTED_ELSEWHERE = {
    "archive.households.create_household", "archive.households.update_household", "archive.households.delete_draft",
    "archive.households.find_by_id_number", "archive.validation.validate_household",
    "archive.attachments.attachment_content", "archive.attachments.remove_attachment",
    "archive.visits.delete_visit", "archive.lifecycle.archive_household", "archive.lifecycle.complete_exit",
    "archive.lifecycle.reactivate", "archive.household_import.check_import",
    "archive.household_import.import_households", "relief.requests.create_request",
    "relief.requests.update_request", "relief.requests.submit_request", "relief.requests.evaluate_draft",
    "relief.requests.add_request_attachment", "relief.requests.remove_request_attachment",
    "relief.requests.request_attachment_content", "relief.review.decide",
    # issue 18, in tests/services/test_followups.py, test_complaints.py and test_crosscheck.py
    "casework.followups.followup_list", "casework.followups.record_followup", "casework.complaints.add_complaint",
    "casework.complaints.handle_complaint", "casework.complaints.list_complaints",
    "casework.crosscheck.import_crosscheck", "casework.crosscheck.decide_finding",
    "casework.crosscheck.list_findings", "casework.crosscheck.list_crosscheck_lists",
    # tests/services/test_archive_printing.py: a household out of scope is refused, a filter keeps to the scope
    "archive.printing.find_household", "archive.printing.print_archive_forms", "archive.printing.print_visit_forms",
}

# No household's data: office-wide settings, users, policies, the calendar, bank layouts,
# backups (admin only), the chain's integrity.
SCOPE_FREE = {
    "admin.settings.get_settings", "admin.settings.demo_banner_of", "admin.settings.is_city_of",
    "admin.settings.list_year_standards", "admin.org.list_units", "admin.users.change_own_password",
    "admin.audit.verify_chain", "admin.audit.chain_head", "admin.audit.record_event", "admin.audit.create_office_key",
    "admin.server_backup.restore_server",  # into an empty server database: nobody is signed in to it
    "archive.printing.record_form_print",  # an audit row: how many households were printed, where
    "relief.holidays.list_days", "relief.holidays.calendar_years", "relief.policies.export_policy",
    "relief.policies.list_policies", "relief.policies.show_policy", "relief.policies.policy_options",
    "relief.policies.policy_document", "relief.policies.in_force_policy", "payout.bank_files.list_templates",
    "payout.batches.next_batch_number",
    "payout.notices.notice_period", "payout.notices.create_notice",  # built from the scoped candidates only
}

# The office's settings, unions, calendar, policy and bank layouts, and its backups, hold for (or
# hold) the whole office: a user bound to a union has none of their permissions whatever its roles
# (domain/permissions.OFFICE_WIDE; test_office_wide_writes_are_refused_to_a_user_bound_to_a_union).
SCOPE_OFFICE_WIDE = {case.function for case in WRITES if case.permission in OFFICE_WIDE}

# A union's administrator manages the users bound within its subtree and gives scopes within it:
# tests/services/test_users_admin.py (test_an_administrator_bound_to_a_union_manages_only_its_subtree).
SCOPE_USERS = {
    "admin.users.add_user", "admin.users.update_user", "admin.users.disable_user", "admin.users.enable_user",
    "admin.users.reset_password", "admin.users.unlock_user", "admin.users.set_reviewer_scopes",
    "admin.users.list_users", "admin.users.find_user", "admin.users.get_user", "admin.users.reviewer_scopes",
}


# Office budgets (budget lines, allocations, carry-over, plans; the fund sources are office-wide,
# above) hold no household's
# data. execution_payments lists payments: the funds services give its drill-down to office-wide
# users only (their commit); not yet exercised by a scoped call here.
SCOPE_FUNDS = {
    "funds.allocations.allocate", "funds.allocations.list_allocations", "funds.allocations.report_allocation",
    "funds.budgets.add_budget", "funds.budgets.adjust_budget", "funds.budgets.get_budget",
    "funds.budgets.list_budgets", "funds.carry_over.carry_over_proposals", "funds.carry_over.confirm_carry_over",
    "funds.draws.budget_choices", "funds.execution.execution", "funds.execution.execution_payments",
    "funds.planner.plan_budget", "funds.printing.build_plan", "funds.printing.plan_document",
    "funds.printing.print_plan", "funds.sources.list_sources",
}


# The annual exchange covers the whole office: a user bound to a union may not export it
# (tests/services/test_exchange_workbook.py); checking a file reads no records.  In city mode
# importing a county and the import records are the whole city's (tests/services/test_city_import.py).
SCOPE_EXCHANGE = {"exchange.annual_export.export_annual_workbook", "exchange.annual_check.check_annual_workbook",
                  "exchange.annual_import.import_annual_workbook", "exchange.import_records.import_records",
                  "exchange.cross_county.cross_county", "exchange.reconciliation.reconcile_allocations",
                  "exchange.reported_indicators.reported_indicators"}


# Reports cover the user's subtree (a union outside it is refused): tested in
# tests/services/test_reports_scope.py.
SCOPE_REPORTS = {
    "reports.indicators.compute_indicators", "reports.indicators.indicators_with", "reports.annual.annual_report",
    "reports.annual_document.build_annual_document", "reports.annual_document.export_annual",
    "reports.selfeval.self_evaluation", "reports.selfeval_document.export_selfeval",
    "reports.period_payouts.period_payouts",  # and in test_reports_period_payouts.py
}


def test_every_service_function_is_classified_for_scope():
    tables = [set(SCOPE_REFUSED), SCOPE_FILTERED, SCOPE_TESTED_ELSEWHERE, SCOPE_FREE, SCOPE_FUNDS, SCOPE_REPORTS,
              SCOPE_EXCHANGE, SCOPE_OFFICE_WIDE, SCOPE_USERS]
    classified = set().union(*tables)
    assert sum(len(t) for t in tables) == len(classified), "a function is listed twice"
    missing = sorted(discovered() - classified)
    assert not missing, f"New service functions: classify each for scope in test_permissions.py: {missing}"
    assert not sorted(classified - discovered()), sorted(classified - discovered())


@pytest.mark.parametrize("name", sorted(SCOPE_REFUSED), ids=str)
def test_scoped_user_is_refused_another_unions_record(scope_world, name):
    w = scope_world
    before, files_before = snapshot(w.ctx.db), files_under(w.tmp)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        SCOPE_REFUSED[name](w.scoped, w)
    assert snapshot(w.ctx.db) == before
    assert files_under(w.tmp) == files_before


@pytest.mark.parametrize("case", [c for c in WRITES if c.permission in OFFICE_WIDE], ids=str)
def test_office_wide_writes_are_refused_to_a_user_bound_to_a_union(world, case):
    """Every role, bound to 荔城街: the settings, unions, calendar, policy, bank layouts, backups
    and restores are refused as reaching past the union, and nothing is written."""
    actor = Actor.make(world.user_id, "clerk1", "经办人一", set(ROLES), world.street)
    assert not actor.can(case.permission)
    before, files_before = snapshot(world.ctx.db), files_under(world.tmp)
    with pytest.raises(PermissionDenied, match="对全单位生效.*超出当前用户的管辖范围"):
        case.call(AppContext(world.ctx.db, actor), world)
    assert snapshot(world.ctx.db) == before
    assert files_under(world.tmp) == files_before


def test_scoped_lists_hold_only_own_records(scope_world):
    w = scope_world
    p, notices, audit = svc("payout"), svc("payout.notices"), svc("admin.audit")
    batches = p.list_batches(w.scoped)
    assert [b.id for b in batches] == [w.mixed_batch] and batches[0].lines == 1
    view = p.get_batch(w.scoped, w.mixed_batch)
    assert [line.id for line in view.lines] == [w.own_line]
    assert [n.id for n in notices.list_notices(w.scoped)] == [w.mixed_draft]
    assert {e.request_id for e in notices.get_notice(w.scoped, w.mixed_draft).entries} == {w.req_own}
    rows = audit.query_audit(w.scoped, limit=500).rows
    assert rows and all(r.household_id is not None for r in rows)
    assert w.hh_other not in {r.household_id for r in rows}
    board, whole = svc("reports").dashboard(w.scoped, 2026), svc("reports").dashboard(w.ctx, 2026)
    approved = {s.status: s.count for s in board.requests_by_state}["approved"]
    assert approved == 1 < {s.status: s.count for s in whole.requests_by_state}["approved"]
    p.set_line_method(w.scoped, w.own_line, "cash")  # its own line: allowed
