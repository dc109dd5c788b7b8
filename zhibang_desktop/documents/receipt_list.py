"""实名制签领表 (signed real-name receipt list) PDF for a disbursement batch.

Seed 002: cash only against signatures on the real-name list (特殊情况下发放现金职工
是否在实名制表上签名).  DESIGN.md §7: A4 landscape; 序号｜姓名｜身份证号码｜所属工会｜
救助类型｜金额（元）｜领取人签名（按手印）｜领取日期｜备注; header repeated on every
page; page subtotal and grand total, the grand total also in 人民币大写; 经办人 /
审核人 / 负责人 signature lines and the date; 第 N 页 共 M 页; the audit chain head
at the foot of every page (DESIGN.md §6).

ID numbers are masked (``440183********1234``) unless ``full_id=True`` — the
internal archive copy, never posted; it says so in its subtitle.  A proxy
(代领) is printed in 备注 with the proxy's name, relation, phone and ID number
(masked by the same rule).

Under the table (issue 8): a line paid before its notice period ended (特批发放) is
marked in 备注 and explained — who approved paying early, when and why; the
batch's lines that are not on this list (returned, reissued, renounced, or paid
another way and listed elsewhere) are listed with their reason and amount, and a
reconciliation line shows the list plus those lines make the batch.

序号 is the batch line's own number (as on the payout page and in `batch paid --line`), so a
signed sheet and the program name the same line; the numbers of the lines left off are the
gaps, and the list under the table gives each of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.idnumber import mask_id_number
from ..domain.money import format_yuan
from .early_payout import EarlyPayout, early_payout_text
from .output import CancelFn, ProgressFn, Target
from .pdf_list import Column, ListReport

__all__ = ["EarlyPayout", "LeftOffLine", "ProxyInfo", "ReceiptRow", "ReceiptList", "receipt_notes",
           "write_receipt_list", "receipt_columns"]


@dataclass(frozen=True)
class ProxyInfo:
    """代领人: whoever signs instead of the recipient."""

    name: str
    phone: str = ""
    id_number: str = ""
    relation: str = ""


@dataclass(frozen=True)
class LeftOffLine:
    """A line of the batch that is not signed for on this list, and why."""

    name: str
    state_label: str  # 退票 / 已重新发放 / 放弃领取 / 银行代发（另表）
    reason: str
    amount_fen: int
    seq: int | None = None  # the batch line's 序号


@dataclass(frozen=True)
class ReceiptRow:
    name: str
    id_number: str
    unit_name: str
    relief_type: str
    amount_fen: int
    remark: str = ""
    proxy: ProxyInfo | None = None
    early: EarlyPayout | None = None
    seq: int | None = None  # the batch line's 序号; None: the place on the list


@dataclass(frozen=True)
class ReceiptList:
    title: str
    office_name: str
    batch_number: str
    pay_date: dt.date | None
    rows: Sequence[ReceiptRow] = field(default_factory=tuple)
    method_label: str = ""  # e.g. 现金 / 银行代发 (subtitle)
    chain_head: tuple[int, str] | None = None  # (seq, hash) of the audit trail
    printed_at: dt.datetime | None = None
    full_id: bool = False
    note: str = ""  # e.g. the written reason for drawing past the budget (超预算说明)
    left_off: Sequence[LeftOffLine] = field(default_factory=tuple)

    banner: str = ""  # on every page, e.g. 演示数据 — 非真实单位 (the demo office)

def receipt_columns() -> list[Column]:
    return [
        Column("序号", 11, align="center", wrap=False),
        Column("姓名", 20, align="center"),
        Column("身份证号码", 40, align="center", wrap=False),
        Column("所属工会", 46),
        Column("救助类型", 22, align="center"),
        Column("金额（元）", 23, wrap=False),
        Column("领取人签名（按手印）", 38),
        Column("领取日期", 24),
        Column("备注", 49),
    ]


def _id_text(number: str, full: bool) -> str:
    if not number:
        return ""
    return number if full else mask_id_number(number)


def _remark(row: ReceiptRow, full: bool) -> str:
    parts = [row.remark.strip()] if row.remark and row.remark.strip() else []
    if row.early is not None:
        parts.append("特批发放（见表下说明）")
    if row.proxy is not None:
        p = row.proxy
        who = p.name + (f"（{p.relation}）" if p.relation else "")
        text = f"代领人：{who}"
        if p.phone:
            text += f"，电话：{p.phone}"
        if p.id_number:
            text += f"，身份证：{_id_text(p.id_number, full)}"
        parts.append(text)
    return "；".join(parts)


def _seq(line: ReceiptRow | LeftOffLine, place: int) -> int:
    return place if line.seq is None else line.seq


def receipt_notes(doc: ReceiptList) -> list[str]:
    """The lines under the table: early payouts explained, lines left off, the reconciliation."""
    notes = []
    for i, r in enumerate(doc.rows, start=1):
        if r.early is None:
            continue
        notes.append(f"特批发放：序号 {_seq(r, i)} {r.name}，{early_payout_text(r.early)}")
    if doc.left_off:
        total = sum(x.amount_fen for x in doc.left_off)
        items = [f"序号 {_seq(x, i)}　{x.name}　{x.state_label}　{format_yuan(x.amount_fen)} 元"
                 + (f"（{x.reason}）" if x.reason else "") for i, x in enumerate(doc.left_off, start=1)]
        notes.append(f"本批次另有 {len(doc.left_off)} 笔未列入本表（不在本表签领），合计 {format_yuan(total)} 元：")
        notes += items
        listed = sum(r.amount_fen for r in doc.rows)
        notes.append(f"核对：本批次共 {len(doc.rows) + len(doc.left_off)} 笔 {format_yuan(listed + total)} 元 ＝ "
                     f"本表 {len(doc.rows)} 人 {format_yuan(listed)} 元 ＋ 未列入 {len(doc.left_off)} 笔 "
                     f"{format_yuan(total)} 元")
    return notes


def chain_text(chain_head: tuple[int, str] | None) -> str:
    if chain_head is None:
        return ""
    seq, digest = chain_head
    return f"审计链 第{seq}条 {digest[:16]}"


def write_receipt_list(
    doc: ReceiptList,
    target: Target,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ListReport:
    """Write the list; return the finished report (``page_rows``/``page_sums`` for checks)."""
    rows = [
        [_seq(r, i), r.name, _id_text(r.id_number, doc.full_id), r.unit_name, r.relief_type, r.amount_fen,
         None, None, _remark(r, doc.full_id)]
        for i, r in enumerate(doc.rows, start=1)
    ]
    sub = f"发放批次：{doc.batch_number}"
    if doc.pay_date:
        sub += f"　　发放日期：{doc.pay_date.year}年{doc.pay_date.month}月{doc.pay_date.day}日"
    if doc.method_label:
        sub += f"　　发放方式：{doc.method_label}"
    sub += f"　　共 {len(rows)} 人"
    subtitles = [sub]
    if doc.full_id:
        subtitles.append("内部存档本（含完整身份证号码，仅供存档，不得张贴或外传）")
    if doc.note:
        subtitles.append(doc.note)
    foot = [chain_text(doc.chain_head), f"批次 {doc.batch_number}"]
    if doc.printed_at is not None:
        foot.append("打印于 " + doc.printed_at.astimezone().strftime("%Y-%m-%d %H:%M"))
    report = ListReport(
        title=doc.title,
        subtitle_lines=subtitles,
        columns=receipt_columns(),
        rows=rows,
        money_columns=[5],
        landscape=True,
        footer_lines=[
            f"填报单位（盖章）：{doc.office_name}",
            "负责人：＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿　　　经办人：＿＿＿＿＿＿　　　"
            "日期：＿＿＿＿年＿＿月＿＿日",
        ],
        banner=doc.banner or None,
        page_footer_text="　".join(t for t in foot if t),
        notes=receipt_notes(doc),
        row_height_mm=12,
        font_size=10,
        subtitle_align="left",
        author=doc.office_name,
    )
    report.write(target, progress=progress, cancelled=cancelled)
    return report
