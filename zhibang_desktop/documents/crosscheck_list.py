"""Read another agency's list (民政, 人社, 残联, 医保, 住建, 公安) for the 数据比对: an ID number
per row and what the agency says about the person.

The file is untrusted: it is opened through :mod:`.xlsx_reader` (size and structure limits,
defusedxml) and every row is checked; the caller imports nothing when any row is wrong.
Columns (the usual header variants are accepted), all but the ID number optional:
身份证号, 姓名, 是否低保, 机动车数量, 房产套数, 是否死亡, 死亡日期, 就业单位, 月收入（元）, 残疾等级.
A 民政 list without a 是否低保 column is the 低保 list itself: every row is a recipient.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.casework import DISABILITY_GRADES
from ..domain.idnumber import InvalidIdNumber, parse_id_number
from ..domain.money import AmountError, parse_yuan
from .clerk_values import ValueProblem, parse_bool, parse_date, parse_int, parse_text

ALIASES = {
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证件号码", "身份证"),
    "name": ("姓名", "人员姓名", "户主姓名"),
    "dibao": ("是否低保", "低保", "低保对象", "是否低保对象"),
    "vehicles": ("机动车数量", "车辆数", "车辆数量", "机动车", "名下车辆", "是否有车"),
    "properties": ("房产套数", "住房套数", "房产数量", "名下房产"),
    "deceased": ("是否死亡", "死亡", "死亡标志"),
    "deceased_on": ("死亡日期", "注销日期"),
    "employer": ("就业单位", "工作单位", "参保单位", "用人单位"),
    "monthly_income": ("月收入", "月工资", "缴费基数", "月收入（元）", "月工资（元）", "缴费基数（元）"),
    "disability_grade": ("残疾等级", "残疾级别"),
}
FACTS = ("dibao", "vehicles", "properties", "deceased", "deceased_on", "employer", "monthly_income",
         "disability_grade")
LABELS = {"id_number": "身份证号", "name": "姓名", "dibao": "是否低保", "vehicles": "机动车数量",
          "properties": "房产套数", "deceased": "是否死亡", "deceased_on": "死亡日期", "employer": "就业单位",
          "monthly_income": "月收入", "disability_grade": "残疾等级"}
_GRADES = {**{g: g for g in DISABILITY_GRADES}, **{f"{i}级": g for i, g in enumerate(DISABILITY_GRADES, 1)},
           **{str(i): g for i, g in enumerate(DISABILITY_GRADES, 1)}, **{f"{g}残疾": g for g in DISABILITY_GRADES}}


@dataclass(frozen=True)
class ListRow:
    row: int
    id_number: str
    name: str = ""
    dibao: bool | None = None
    vehicles: int | None = None
    properties: int | None = None
    deceased: bool | None = None
    deceased_on: dt.date | None = None
    employer: str | None = None
    monthly_income_fen: int | None = None
    disability_grade: str | None = None


@dataclass(frozen=True)
class ListProblem:
    row: int | None
    column: str
    value: str
    reason: str


@dataclass
class AgencyList:
    sheet: str = ""
    sha256: str = ""
    rows: list[ListRow] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_agency_list(path, *, dibao_list: bool = False) -> AgencyList:
    """Every row of the first visible sheet, or the problems (row, column, value, reason)."""
    from .xlsx_reader import WorkbookError, find_header, iter_records, open_workbook  # openpyxl: when a list is read

    path = Path(path)
    out = AgencyList()
    try:
        out.sha256 = file_sha256(path)
        wb = open_workbook(path)
    except (WorkbookError, OSError) as exc:
        out.problems.append(ListProblem(None, "", path.name, str(exc) if isinstance(exc, WorkbookError)
                                        else f"无法打开文件：{exc.strerror or exc}"))
        return out
    with wb:
        sheet = next((s for s in wb.sheets if not s.hidden), wb.sheets[0])
        out.sheet = sheet.name
        try:
            header = find_header(sheet.head(), ALIASES, ("id_number",))
            if not header.ok:
                out.problems.append(ListProblem(header.row_number or None, "", "",
                                                "找不到“身份证号”列（表头应含 身份证号 及名单所说的情况，如 是否低保、机动车数量）"))
                return out
            if not dibao_list and not set(FACTS) & header.columns.keys():
                out.problems.append(ListProblem(header.row_number, "", "",
                                                "名单没有可比对的列：是否低保、机动车数量、房产套数、是否死亡、死亡日期、"
                                                "就业单位、月收入、残疾等级（至少要有一列）"))
                return out
            records = list(iter_records(sheet, sheet.rows(), header))
        except WorkbookError as exc:
            out.problems.append(ListProblem(None, "", path.name, str(exc)))
            return out
    seen: dict[str, int] = {}
    for rec in records:
        row = _row(rec.row_number, rec.values, header.header_of, out.problems, dibao_list and "dibao" not in header.columns)
        if row is None:
            continue
        if row.id_number in seen:
            out.problems.append(ListProblem(rec.row_number, header.header_of("id_number"), row.id_number,
                                            f"与第 {seen[row.id_number]} 行是同一身份证号"))
            continue
        seen[row.id_number] = rec.row_number
        out.rows.append(row)
    if not records:
        out.problems.append(ListProblem(header.row_number, "", "", "表头下面没有数据行"))
    return out


def _row(number: int, v: dict, col, problems: list[ListProblem], every_row_dibao: bool) -> ListRow | None:
    bad = len(problems)

    def problem(fld: str, reason: str) -> None:
        raw = v.get(fld)
        problems.append(ListProblem(number, col(fld), "" if raw is None else str(raw), reason))

    def parsed(fld: str, parse):
        try:
            return parse(v.get(fld))
        except (ValueProblem, AmountError) as exc:
            problem(fld, getattr(exc, "message", None) or str(exc))
            return None

    id_text = parsed("id_number", parse_text) or ""
    id_number = ""
    if not id_text:
        if len(problems) == bad:
            problem("id_number", "身份证号不能为空")
    else:
        try:
            id_number = parse_id_number(id_text).number
        except InvalidIdNumber as exc:
            problem("id_number", str(exc))
    name = parsed("name", parse_text) or ""
    dibao = True if every_row_dibao else parsed("dibao", parse_bool)
    vehicles = _count(parsed, problem, "vehicles")
    properties = _count(parsed, problem, "properties")
    deceased = parsed("deceased", parse_bool)
    deceased_on = parsed("deceased_on", parse_date)
    if deceased_on is not None and deceased is None:
        deceased = True
    employer = parsed("employer", parse_text)
    income = None
    if v.get("monthly_income") not in (None, ""):
        income = parsed("monthly_income", lambda x: parse_yuan(x))
        if income is not None and income < 0:
            problem("monthly_income", "月收入不能为负数")
    grade = None
    grade_text = parsed("disability_grade", parse_text)
    if grade_text:
        grade = _GRADES.get(grade_text.replace(" ", ""))
        if grade is None:
            problem("disability_grade", "残疾等级应为 一级、二级、三级 或 四级")
    if len(problems) > bad:
        return None
    return ListRow(number, id_number, name, dibao, vehicles, properties, deceased, deceased_on, employer, income, grade)


def _count(parsed, problem, fld: str) -> int | None:
    """A number of vehicles or homes; 是/否 in a yes-no column counts as 1/0."""
    def value(x):
        try:
            return parse_int(x)
        except ValueProblem:
            try:
                yes = parse_bool(x)
            except ValueProblem:
                raise ValueProblem(f"“{x}”应为数量（如 1）或 是/否") from None
            return None if yes is None else int(yes)

    n = parsed(fld, value)
    if n is not None and n < 0:
        problem(fld, "不能为负数")
        return None
    return n
