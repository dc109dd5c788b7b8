"""The data of the printed 救助申请审批表, from a request view (see documents.approval_form)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...domain import clock
from ...domain.money import format_yuan
from ...domain.policy import SCHOOLING_STAGES
from .types import RequestView

if TYPE_CHECKING:
    from ...documents.approval_form import ApprovalFormData, LevelBox

_QUARTERS = "一二三四"
_SEX = {"M": "男", "F": "女"}
_SOURCE = {"ledger": "历史台账", "disbursement": "发放批次"}


def _period(v: RequestView) -> str:
    if v.quarter in (1, 2, 3, 4):
        return f"{v.year}年第{_QUARTERS[v.quarter - 1]}季度"
    return f"{v.year}年" + (f"第 {v.batch_no} 批" if v.batch_no else "")


def _basis(v: RequestView) -> str:
    parts = []
    if v.self_paid_medical_fen is not None:
        parts.append(f"个人自付医疗费 {format_yuan(v.self_paid_medical_fen)} 元")
    if v.students:
        parts.append("在读子女：" + "、".join(SCHOOLING_STAGES.get(s, s) for s in v.students))
    if v.months:
        parts.append(f"{v.persons or 1} 人 × {v.months} 个月")
    if v.goods:
        parts.append("实物")
    if v.fund_source_name:
        parts.append(f"资金来源：{v.fund_source_name}")
    return "；".join(parts)


def _levels(v: RequestView) -> tuple[LevelBox, ...]:
    from ...documents.approval_form import LevelBox, date_cn  # reportlab: loaded when a form is printed

    boxes = []
    for r in v.reviews:
        late = f"超期：应于 {date_cn(r.due_date)} 前完成" if r.overdue else ""
        boxes.append(LevelBox(r.level_name, r.decision_label, r.opinion, r.reviewer_name, clock.local_date(r.decided_at),
                              r.amount_fen, r.justification, r.self_approved, late))
    if v.status in ("submitted", "in_review") and v.pending is not None:
        todo = v.chain[v.pending.level_index:]
    elif v.status in ("draft", "returned"):
        todo = v.chain
    else:
        todo = ()
    boxes += [LevelBox(step.label) for step in todo]
    return tuple(boxes)


def _attachments(v: RequestView) -> tuple[str, ...]:
    out = [f"{a.kind}：{a.filename}" if a.kind else a.filename for a in v.attachments]
    have = {a.kind for a in v.attachments}
    out += [f"{k}（纸质材料）" for k in (v.attachment_kinds or ()) if k not in have]
    return tuple(out)


def approval_form_data(v: RequestView, office_name: str, printed_by: str, printed_on: date) -> ApprovalFormData:
    from ...documents.approval_form import AidLine, ApprovalFormData  # reportlab: loaded when a form is printed

    notes = []
    if v.source == "ledger":
        notes.append("本记录由历史发放台账导入，无审核记录。")
    if not v.archived:
        notes.append("申请人未建立困难职工档案。")
    if v.self_approved:
        notes.append("本申请由经办人本人审批（政策允许一人办公室自审），已记入审计日志。")
    return ApprovalFormData(
        office_name=office_name, number=v.number, request_date=v.request_date, status_label=v.status_label,
        name=v.name, sex=_SEX.get(v.sex or "", v.sex or ""), household_size=v.household_size,
        archive_no=v.archive_no or "", hukou=v.hukou, id_number=v.id_number, address=v.address, phone=v.phone,
        unit_name=v.unit_name, relief_type_name=v.relief_type_name, subcase_name=v.subcase_name,
        period=_period(v), conditions=tuple(c.label for c in v.conditions), reason=v.reason,
        requested_fen=v.requested_amount_fen, suggested_fen=v.suggested_amount_fen,
        approved_fen=v.approved_amount_fen, standard_text=v.standard_text, amount_basis=_basis(v),
        previous_aid=tuple(AidLine(a.on, a.relief_type_name, a.amount_fen, a.number or _SOURCE.get(a.source, ""))
                           for a in v.previous_aid),
        year_count=v.year_count, year_total_fen=v.year_total_fen,
        findings=tuple((f.severity_label, f.message) for f in v.findings), justification=v.justification,
        levels=_levels(v), attachments=_attachments(v), creator=v.creator_name, printed_by=printed_by,
        printed_on=printed_on, policy_text=f"{v.policy_name}（{v.policy_year} 年第 {v.policy_version} 版）",
        notes=tuple(notes),
    )
