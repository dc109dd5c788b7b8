"""The clerk's household ledger (困难职工档案台账) as .xlsx: reading it and a blank template.

Reading is pure: values are parsed the way clerks write them (深度 / 深度困难, 男/女,
是/否/Y/N, Excel dates, 2023-01-05, 2023/1/5, 2023年1月5日, amounts with 元 and
thousands separators) and every value that cannot be read becomes a Problem with
sheet, row, column and reason. Checks that need the database (unions, duplicates
against the archive, the office's cause list) are the import service's job.

Sheets: one household sheet (any name; found by its header) and a family-member sheet
named 成员 / 家庭成员, keyed by the head's ID number.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.archive_form import CODED_FIELDS, ArchiveFormFields, AreaError, parse_area, words_for
from ..domain.cards import normalize_account
from ..domain.household import (
    ASSISTANCE_STATUSES, CATEGORIES, DEFAULT_HARDSHIP_CAUSES, RELATIONS, SCHOOLING_STAGES,
)
from ..domain.idnumber import make_id_number
from ..domain.money import AmountError, parse_yuan
from .clerk_values import ValueProblem, parse_bool, parse_choice, parse_date, parse_int, parse_text
from .error_report import Problem
from .xlsx_reader import HeaderMap, WorkbookError, find_header, iter_records, open_workbook
from .xlsx_safe import XlsxWriter

HOUSEHOLD_SHEET = "困难职工档案"
MEMBER_SHEET = "家庭成员"
NOTES_SHEET = "说明"
MEMBER_SHEET_NAMES = ("家庭成员", "成员", "家庭成员表", "成员信息")
EXAMPLE_PREFIX = "示例"  # rows whose name starts with this are the template's examples, not data

# field -> header texts clerks use; the first one is what the template writes.
HOUSEHOLD_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "职工姓名", "户主姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "sex": ("性别",),
    "phone": ("联系电话", "手机号码"),
    "employer": ("工作单位", "所在单位"),
    "union": ("所属工会", "基层工会"),
    "category": ("困难类别",),
    "causes": ("致困原因",),
    "household_size": ("家庭人口",),
    "monthly_income": ("家庭月收入",),
    "bank_name": ("开户银行",),
    "bank_account": ("银行账号", "社保卡号"),
    "address": ("家庭住址", "住址"),
    "archived_on": ("建档日期",),
    "union_member": ("工会会员", "是否会员"),
    "assistance_status": ("低保情况",),
    "remarks": ("备注",),
    # the rest of the 困难职工家庭档案表 (optional columns)
    "political_status": ("政治面貌",),
    "marital_status": ("婚姻状况",),
    "housing_type": ("住房类型", "住房情况"),
    "housing_area_x100": ("建筑面积（平方米）", "建筑面积", "住房面积"),
    "disability_category": ("残疾类别",),
    "disability_grade": ("残疾等级",),
    "employer_nature": ("单位性质",),
    "enterprise_status": ("企业状况",),
    "medical_insurance": ("医保状况", "医保类型", "医疗保险"),
    "zero_employment": ("零就业家庭", "是否零就业家庭"),
    "archived_by": ("建档人",),
    "reviewed_by": ("审核人",),
    "grassroots_opinion": ("基层工会意见",),
    "grassroots_opinion_on": ("基层工会意见日期",),
    "upper_opinion": ("上级工会意见",),
    "upper_opinion_on": ("上级工会意见日期",),
}
FORM_COLUMNS = tuple(HOUSEHOLD_HEADERS)[tuple(HOUSEHOLD_HEADERS).index("political_status"):]
HOUSEHOLD_REQUIRED = ("name", "id_number", "union", "category")

MEMBER_HEADERS: dict[str, tuple[str, ...]] = {
    "head_id_number": ("户主身份证号", "户主身份证号码", "职工身份证号"),
    "name": ("姓名", "成员姓名"),
    "relation": ("与户主关系", "关系"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "成员身份证号"),
    "health": ("健康状况",),
    "disability": ("残疾情况", "残疾类别"),
    "schooling": ("就学阶段", "就读阶段"),
    "job_or_school": ("工作单位或学校", "单位或学校"),
    "monthly_income": ("月收入",),
}
MEMBER_REQUIRED = ("head_id_number", "name", "relation")

CATEGORY_WORDS = {**{label: code for code, label in CATEGORIES.items()},
                  "深度": "deep", "相对": "relative", "意外": "accident", "意外困难": "accident"}
SEX_WORDS = {"男": "M", "女": "F", "男性": "M", "女性": "F"}
ASSISTANCE_WORDS = {**{label: code for code, label in ASSISTANCE_STATUSES.items()},
                    "低保": "dibao", "低收入": "low_income", "特困户": "tekun", "特困人员": "tekun",
                    "非低保": "none", "否": "none", "/": "none", "-": "none"}
SCHOOLING_WORDS = {**{label: code for code, label in SCHOOLING_STAGES.items()},
                   "幼儿园": "preschool", "中职": "vocational", "技校": "vocational", "职高": "vocational",
                   "大学": "university", "大专": "university", "本科": "university", "研究生": "university",
                   "特教": "special", "未上学": "none", "不适用": "none"}
_CAUSE_SPLIT = re.compile(r"[、,，;；/\n]+")
_ID_SPACES = re.compile(r"\s+")


@dataclass
class LedgerHousehold(ArchiveFormFields):
    sheet: str
    row: int
    columns: dict[str, str]  # field -> header text in the file (for problems)
    raw: dict[str, Any]
    name: str | None = None
    id_number: str | None = None
    sex: str | None = None
    phone: str | None = None
    employer: str | None = None
    union: str | None = None
    category: str | None = None
    causes: list[str] = field(default_factory=list)
    household_size: int | None = None
    monthly_income_fen: int | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    address: str | None = None
    archived_on: date | None = None
    union_member: bool | None = None
    assistance_status: str | None = None
    remarks: str | None = None


@dataclass(slots=True)  # a ledger's members wait in memory for their households: keep them small
class LedgerMember:
    sheet: str
    row: int
    columns: dict[str, str]
    raw: dict[str, Any]
    head_id_number: str | None = None
    name: str | None = None
    relation: str | None = None
    id_number: str | None = None
    health: str | None = None
    disability: str | None = None
    schooling: str = "none"
    job_or_school: str | None = None
    monthly_income_fen: int = 0


@dataclass
class Ledger:
    households: list[LedgerHousehold] = field(default_factory=list)
    members: list[LedgerMember] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_examples: int = 0
    warnings: list[str] = field(default_factory=list)  # e.g. a sheet read under another name, or not read


def id_text(value: Any) -> str | None:
    text = parse_text(value)
    return None if text is None else _ID_SPACES.sub("", text).upper()


def _amount(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_yuan(value)
    except AmountError as exc:
        raise ValueProblem(str(exc)) from None


def _area(value: Any) -> int | None:
    try:
        return parse_area(value)
    except AreaError as exc:
        raise ValueProblem(str(exc)) from None


def _coded(fld: str) -> Callable[[Any], Any]:
    label, words = HOUSEHOLD_HEADERS[fld][0], words_for(fld)
    return lambda v: parse_choice(v, words, label)


def split_causes(value: Any) -> list[str]:
    text = parse_text(value)
    if not text:
        return []
    return [t.strip() for t in _CAUSE_SPLIT.split(text) if t.strip()]


_HOUSEHOLD_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": parse_text, "id_number": id_text, "sex": lambda v: parse_choice(v, SEX_WORDS, "性别"),
    "phone": parse_text, "employer": parse_text, "union": parse_text,
    "category": lambda v: parse_choice(v, CATEGORY_WORDS, "困难类别"), "causes": split_causes,
    "household_size": parse_int, "monthly_income": _amount, "bank_name": parse_text,
    "bank_account": lambda v: normalize_account(parse_text(v) or "") or None, "address": parse_text,
    "archived_on": parse_date, "union_member": parse_bool,
    "assistance_status": lambda v: parse_choice(v, ASSISTANCE_WORDS, "低保情况"), "remarks": parse_text,
    **{f: _coded(f) for f in CODED_FIELDS}, "housing_area_x100": _area, "zero_employment": parse_bool,
    "archived_by": parse_text, "reviewed_by": parse_text, "grassroots_opinion": parse_text,
    "grassroots_opinion_on": parse_date, "upper_opinion": parse_text, "upper_opinion_on": parse_date,
}
_MEMBER_PARSERS: dict[str, Callable[[Any], Any]] = {
    "head_id_number": id_text, "name": parse_text, "relation": parse_text, "id_number": id_text,
    "health": parse_text, "disability": parse_text,
    "schooling": lambda v: parse_choice(v, SCHOOLING_WORDS, "就学阶段"), "job_or_school": parse_text,
    "monthly_income": _amount,
}
_TARGET = {"monthly_income": "monthly_income_fen"}


def _parse_row(record, header: HeaderMap, parsers, target, problems: list[Problem]) -> None:
    for fld, raw in record.values.items():
        try:
            value = parsers[fld](raw)
        except ValueProblem as exc:
            problems.append(Problem(record.sheet, record.row_number, header.header_of(fld), raw, exc.message))
            continue
        if value is not None and value != []:
            setattr(target, _TARGET.get(fld, fld), value)


def _problem_for_header(sheet: str, header: HeaderMap, required, labels) -> list[Problem]:
    out = []
    if header.row_number == 0:
        return [Problem(sheet, None, None, None, "找不到表头行（前 10 行中没有“姓名”“身份证号”等列名）")]
    for fld in sorted(header.missing_required):
        out.append(Problem(sheet, header.row_number, labels[fld][0], None,
                           f"缺少“{labels[fld][0]}”列（可用列名：{'、'.join(labels[fld])}）"))
    for fld, columns in header.duplicates.items():
        out.append(Problem(sheet, header.row_number, labels[fld][0], None,
                           f"有 {len(columns)} 列都表示“{labels[fld][0]}”，请只保留一列"))
    return out


def read_ledger(path: str | Path, on_row: Callable[[], None] | None = None) -> Ledger:
    """Read the whole file; `on_row` is called once per data row (progress / cancel)."""
    ledger = Ledger()
    with LedgerStream(path, on_row) as stream:
        ledger.households = list(stream.households())
        ledger.members = list(stream.members())
    if stream.failed:  # found while streaming: nothing of the file is kept
        ledger.households, ledger.members = [], []
    ledger.problems, ledger.warnings, ledger.skipped_examples = stream.problems, stream.warnings, stream.skipped_examples
    return ledger


class LedgerStream:
    """The ledger read a row at a time (an import of 50,000 households keeps none of them):
    `households()` and `members()` each stream their sheets once, in either order. Values that
    cannot be read, header problems and a file that cannot be read at all gather in `problems`
    as they are found; after a WorkbookError (`failed`) nothing more is yielded."""

    def __init__(self, path: str | Path, on_row: Callable[[], None] | None = None):
        self.path, self.on_row = Path(path), on_row
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.skipped_examples = 0
        self.failed = False
        self._wb = None
        self._household_sheets: list = []
        self._member_sheets: list = []

    def __enter__(self) -> "LedgerStream":
        try:
            self._wb = open_workbook(self.path)
        except WorkbookError as exc:
            self._fail(exc)
            return self
        try:
            self._classify()
        except WorkbookError as exc:
            self._fail(exc)
        return self

    def __exit__(self, *_exc) -> None:
        if self._wb is not None:
            self._wb.close()

    def _fail(self, exc: WorkbookError) -> None:
        self.failed = True
        self.problems.append(Problem(self.path.name, None, None, None, str(exc)))

    def estimated_households(self) -> int:
        """The household sheets' row counts as the file declares them (for progress), or 0."""
        return sum(max(0, (sheet.max_row or 0) - header.row_number) for sheet, header in self._household_sheets)

    def _classify(self) -> None:
        wb = self._wb
        member_sheets = [s for s in wb.sheets if s.name.strip() in MEMBER_SHEET_NAMES]
        others = [s for s in wb.sheets if s not in member_sheets and s.name.strip() != NOTES_SHEET and not s.hidden]
        found = []
        for sheet in others:
            header = find_header(sheet.head(), HOUSEHOLD_HEADERS, HOUSEHOLD_REQUIRED)
            if len(header.columns) >= 3 and not _looks_like_members(sheet, header):
                found.append((sheet, header))
            elif _looks_like_members(sheet):
                # A member sheet under another name is read by its header, and the clerk is told.
                member_sheets.append(sheet)
                self.warnings.append(f"工作表“{sheet.name}”不叫“{MEMBER_SHEET}”，按其表头作为家庭成员表读取")
            elif any(any(not _blank(v) for v in row) for row in sheet.head()):
                self.warnings.append(f"工作表“{sheet.name}”既不是档案表也不是家庭成员表（表头不符），其内容未导入")
        if not found:
            self.problems.append(Problem(self.path.name, None, None, None,
                                         "找不到档案表：没有一个工作表含有“姓名”“身份证号”“所属工会”“困难类别”等列"))
        for sheet, header in found:
            header_problems = _problem_for_header(sheet.name, header, HOUSEHOLD_REQUIRED, HOUSEHOLD_HEADERS)
            self.problems.extend(header_problems)
            if not header_problems:
                self._household_sheets.append((sheet, header))
        for sheet in member_sheets:
            header = find_header(sheet.head(), MEMBER_HEADERS, MEMBER_REQUIRED)
            if header.row_number == 0 and not any(sheet.head()):
                continue  # an empty member sheet is fine
            header_problems = _problem_for_header(sheet.name, header, MEMBER_REQUIRED, MEMBER_HEADERS)
            self.problems.extend(header_problems)
            if not header_problems:
                self._member_sheets.append((sheet, header))

    def households(self) -> Iterator[LedgerHousehold]:
        for sheet, header in self._household_sheets:
            yield from self._rows(sheet, header, LedgerHousehold, _HOUSEHOLD_PARSERS)

    def members(self) -> Iterator[LedgerMember]:
        for sheet, header in self._member_sheets:
            yield from self._rows(sheet, header, LedgerMember, _MEMBER_PARSERS)

    def _rows(self, sheet, header: HeaderMap, make, parsers) -> Iterator:
        """The sheet's rows as `make(...)` items, parsed; the template's 示例 rows are skipped."""
        if self.failed:
            return
        columns = {f: header.header_of(f) for f in header.columns}
        try:
            for record in iter_records(sheet, sheet.rows(), header):
                if self.on_row:
                    self.on_row()
                item = make(sheet.name, record.row_number, columns, record.values)
                _parse_row(record, header, parsers, item, self.problems)
                if (item.name or "").startswith(EXAMPLE_PREFIX):
                    self.skipped_examples += 1
                else:
                    yield item
        except WorkbookError as exc:
            self._fail(exc)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _looks_like_members(sheet, household_header: HeaderMap | None = None) -> bool:
    """A sheet whose header is a member sheet's (户主身份证号, 关系 …) rather than a household sheet's."""
    members = find_header(sheet.head(), MEMBER_HEADERS, MEMBER_REQUIRED)
    if not members.ok:
        return False
    return household_header is None or len(members.columns) > len(household_header.columns)


# --- writing -----------------------------------------------------------------------------

HOUSEHOLD_COLUMNS = [names[0] for names in HOUSEHOLD_HEADERS.values()]
MEMBER_COLUMNS = [names[0] for names in MEMBER_HEADERS.values()]
HOUSEHOLD_TEXT_COLUMNS = ("身份证号", "联系电话", "银行账号")
MEMBER_TEXT_COLUMNS = ("户主身份证号", "身份证号")
HOUSEHOLD_WIDTHS = [10, 22, 6, 15, 26, 26, 10, 18, 8, 12, 22, 24, 30, 12, 10, 10, 24,
                    10, 10, 14, 12, 10, 10, 16, 14, 20, 10, 10, 10, 30, 12, 30, 12]
MEMBER_WIDTHS = [22, 10, 10, 22, 12, 12, 14, 24, 10]

NOTES = (
    "填写说明",
    "1. “困难职工档案”表每户一行；“家庭成员”表每人一行，用“户主身份证号”对应到户。",
    "2. 必填列：姓名、身份证号、所属工会、困难类别；家庭成员表必填：户主身份证号、姓名、与户主关系。",
    "3. 身份证号、银行账号请设为“文本”格式后再填写，否则 Excel 会丢失末尾数字。",
    "4. 困难类别填写：深度困难、相对困难、意外致困（也可写“深度”“相对”“意外”）。",
    "5. 致困原因可填多项，用顿号“、”分隔；不在本单位选项中的原因将记为“其他：原因”。",
    "6. 家庭月收入指全家每月总收入（元），可写 1,200 或 1200元；家庭人口含户主本人。",
    "7. 日期可写 2023-01-05、2023/1/5 或 2023年1月5日；是否会员填“是/否”；低保情况填 低保户、低收入户、特困 或 无。",
    "8. 所属工会写工会全称；系统中没有的工会将作为基层工会新建在区总工会下。",
    "9. 只要有一行有误，整个文件都不会导入，并列出每个问题所在的工作表、行、列和原因。",
    f"10. 姓名以“{EXAMPLE_PREFIX}”开头的行是示例，导入时跳过；可直接删除。",
    "11. 导入的家庭按台账直接在档；尚无走访记录、排除条件核查未填的，导入后列为待办事项。",
    "12. 政治面貌至上级工会意见日期各列（档案表其余项目）可不填；填写时按下方选项填写，建筑面积填平方米数（如 45.5）。",
)


def write_template(path: str | Path, causes: tuple[str, ...] = DEFAULT_HARDSHIP_CAUSES) -> None:
    """A blank ledger with both sheets, one example household and the 说明 sheet."""
    head_id = make_id_number("440118", date(1978, 3, 12), 21, "M")
    xw = XlsxWriter()
    xw.add_sheet(HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, HOUSEHOLD_WIDTHS, text_columns=HOUSEHOLD_TEXT_COLUMNS)
    xw.append([f"{EXAMPLE_PREFIX}张三", head_id, "男", "13800138000", "示例电子有限公司", "荔城街示例电子有限公司工会",
               "深度困难", "因病、因学", 3, "1,800元", "中国工商银行增城支行", "6222020200112233445",
               "广州市增城区荔城街示例路1号", "2024-03-01", "是", "低收入户", "示例行，导入时跳过",
               "群众", "已婚", "租住私房", "45.5", "肢体残疾", "三级", "私营企业", "生产经营困难",
               "职工基本医疗保险", "否", "王建档", "李审核", "情况属实，同意建档", "2024-02-20",
               "同意", "2024-02-26"])
    xw.add_sheet(MEMBER_SHEET, MEMBER_COLUMNS, MEMBER_WIDTHS, text_columns=MEMBER_TEXT_COLUMNS)
    xw.append([head_id, f"{EXAMPLE_PREFIX}李四", "配偶", make_id_number("440118", date(1980, 6, 1), 22, "F"),
               "尿毒症", None, "无", None, "0"])
    xw.append([head_id, f"{EXAMPLE_PREFIX}张小五", "子女", make_id_number("440118", date(2008, 9, 1), 23, "M"),
               "健康", None, "高中", "增城中学", "0"])
    xw.add_sheet(NOTES_SHEET, ["说明"], [110], auto_filter=False, landscape=False)
    for line in NOTES:
        xw.append([line])
    xw.append(["致困原因选项：" + "、".join(causes)])
    xw.append(["与户主关系参考：" + "、".join(RELATIONS)])
    xw.append(["就学阶段选项：" + "、".join(SCHOOLING_STAGES.values())])
    for fld, vocabulary in CODED_FIELDS.items():
        xw.append([f"{HOUSEHOLD_HEADERS[fld][0]}选项：" + "、".join(vocabulary.values())])
    xw.save(path)
