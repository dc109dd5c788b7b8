"""The annual exchange workbook (年度上报文件): its versioned layout and the canonical hash.

A county office sends its year to the city union in one .xlsx. The first sheet, 说明, names
the office, its union code, the year and the layout version, and lists every data sheet with
its row count and a SHA-256 over a canonical serialisation of its cell values, so the city can
tell a file edited by hand or cut short from the one the county wrote.

Canonical serialisation of a sheet (header row included, then every data row in order): each
cell becomes text — empty → "", an integer → its decimal digits, text → itself with ``\\`` →
``\\\\``, tab → ``\\t``, CR → ``\\r``, LF → ``\\n`` — the cells of a row are joined by a tab,
every row ends with LF, and the whole is encoded as UTF-8. The workbook holds only text and
integers (dates as YYYY-MM-DD, money as integer fen, yes/no as 是/否), so what the city reads
back is exactly what the county hashed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Sequence

FORMAT_NAME = "职帮年度上报文件"
# 2: 预算合计 includes the carry-over into the line (1 did not; the city would under-count it)
LAYOUT_VERSION = 2
INFO_SHEET = "说明"


@dataclass(frozen=True)
class SheetLayout:
    key: str  # stable key used in code
    title: str  # sheet name in the workbook
    columns: tuple[str, ...]
    text_columns: tuple[str, ...] = ()


HOUSEHOLDS = SheetLayout("households", "家庭", (
    "档案编号", "工会编号", "户主姓名", "身份证号", "性别", "出生日期", "状态", "困难类别", "致困原因", "家庭人口",
    "家庭月收入（分）", "是否会员", "会员证号", "工作单位", "帮扶状态", "建档日期", "渐退期截止", "退档日期",
    "退档原因", "最近走访日期", "下次走访日期", "账户类型", "开户银行", "卡号（脱敏）",
), ("档案编号", "身份证号", "会员证号", "卡号（脱敏）"))
MEMBERS = SheetLayout("members", "家庭成员", (
    "档案编号", "户主身份证号", "姓名", "身份证号", "与户主关系", "性别", "出生日期", "就学阶段", "月收入（分）",
), ("档案编号", "户主身份证号", "身份证号"))
UNIONS = SheetLayout("unions", "工会", ("工会编号", "名称", "级别", "上级编号", "排序"))
REQUESTS = SheetLayout("requests", "救助申请", (
    "申请编号", "来源", "档案编号", "姓名", "身份证号", "受助人身份证号", "工会编号", "救助类型", "细项", "所属年度",
    "季度", "申请日期", "申请金额（分）", "核定金额（分）", "标准下限（分）", "标准上限（分）", "状态", "资金来源",
    "书面说明", "审结时间",
), ("申请编号", "档案编号", "身份证号", "受助人身份证号"))
PAYMENTS = SheetLayout("payments", "发放", (
    "发放编号", "申请编号", "档案编号", "姓名", "身份证号", "救助类型", "细项", "金额（分）", "发放日期",
    "所属年度", "季度", "资金来源", "方式", "批次",
), ("申请编号", "档案编号", "身份证号", "批次"))
BUDGETS = SheetLayout("budgets", "预算", (
    "预算编号", "年度", "资金来源代码", "资金来源", "项目", "工会编号", "下达金额（分）", "调整合计（分）",
    "预算合计（分）", "文号", "下达日期",
))
ALLOCATIONS = SheetLayout("allocations", "下拨", (
    "下拨编号", "预算编号", "资金来源代码", "下拨工会编号", "下拨日期", "金额（分）", "文号", "报告支出（分）",
    "报告日期",
))
INDICATORS = SheetLayout("indicators", "指标", (
    "指标代码", "指标", "可计算", "分子", "分母", "数值（万分之）", "例外条数", "无法计算原因", "来源",
))

DATA_SHEETS: tuple[SheetLayout, ...] = (UNIONS, HOUSEHOLDS, MEMBERS, REQUESTS, PAYMENTS, BUDGETS, ALLOCATIONS,
                                         INDICATORS)

# 说明 sheet: rows of (项目, 值), then a blank row, then the table of data sheets.
INFO_KEYS = ("格式", "格式版本", "单位名称", "单位代码", "所在地区", "年度", "导出时间", "导出人")
SHEET_TABLE_HEADER = ("工作表", "数据行数", "SHA-256")


def canonical_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("yes/no is written as 是/否 in the exchange workbook")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a reader may hand back 3.0 for an integer cell
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


class SheetHasher:
    """The SHA-256 of a sheet's canonical serialisation, fed row by row."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()
        self.rows = 0

    def add(self, row: Sequence[Any]) -> None:
        cells = list(row)
        while cells and canonical_text(cells[-1]) == "":
            cells.pop()  # a reader does not see trailing empty cells
        self._h.update(("\t".join(canonical_text(v) for v in cells) + "\n").encode("utf-8"))

    def hexdigest(self) -> str:
        return self._h.hexdigest()
