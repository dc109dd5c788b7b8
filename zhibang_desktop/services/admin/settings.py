"""Office settings (办公室设置) and the yearly 低保 / 低收入 standards."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import clock
from ...domain.household import DEFAULT_HARDSHIP_CAUSES
from ...domain.money import format_yuan
from ...domain.phone_numbers import bad_phone_numbers
from ...storage.models import Setting, YearStandard
from ..context import AppContext
from ..errors import FieldProblem, ValidationFailed

PATTERN_TOKENS = re.compile(r"\{(prefix|year|seq(?::0?\d+d)?)\}")


@dataclass(frozen=True)
class OfficeSettings:
    office_name: str = ""
    region: str = ""
    phone: str = ""
    archive_prefix: str = ""
    archive_no_pattern: str = "{prefix}{year}{seq:05d}"
    hardship_causes: tuple[str, ...] = DEFAULT_HARDSHIP_CAUSES
    backup_dir: str = ""
    keep_daily: int = 7
    keep_monthly: int = 12
    # 回访: every paid line (100) or a sample of this percentage, within this many days of payout
    followup_sample_percent: int = 100
    followup_days: int = 30
    # 投诉: the working days from receipt to the handling result (README: the choice and why)
    complaint_working_days: int = 15

    @property
    def initialised(self) -> bool:
        return bool(self.office_name)


@dataclass(frozen=True)
class YearStandardView:
    year: int
    dibao_fen: int
    low_income_fen: int | None


LABELS = {
    "office_name": "单位名称", "region": "所在地区", "phone": "联系电话", "archive_prefix": "档案号前缀",
    "archive_no_pattern": "档案号格式", "hardship_causes": "致困原因选项", "backup_dir": "备份文件夹",
    "keep_daily": "保留每日备份份数", "keep_monthly": "保留每月备份份数",
    "followup_sample_percent": "回访抽样比例（%）", "followup_days": "发放后回访期限（天）",
    "complaint_working_days": "投诉办理期限（工作日）",
}
#: [[first day, percent], …]: the sample percentage in force from each day on, so that a payout is
#: judged by the percentage of its own pay date, whatever the admin sets later
SAMPLE_HISTORY = "followup_sample_history"


def read_settings(session: Session) -> OfficeSettings:
    stored = {row.key: row.value for row in session.execute(select(Setting)).scalars()}
    values = {}
    for f in fields(OfficeSettings):
        if f.name in stored:
            value = stored[f.name]
            values[f.name] = tuple(value) if f.name == "hardship_causes" else value
    return OfficeSettings(**values)


OFFICE_KIND = "office_kind"  # a settings row: "city" for a city union (city mode), absent for a county
CITY = "city"


def is_city(session: Session) -> bool:
    """A city union's database: it imports its counties' annual exchange files."""
    row = session.get(Setting, OFFICE_KIND)
    return row is not None and row.value == CITY


def is_city_of(ctx: AppContext) -> bool:
    with ctx.db.session(read_only=True) as session:
        return is_city(session)


DEMO_MARKER = "demo_data"  # a settings row: this office was made by the demo
DEMO_BANNER = "演示数据 — 非真实单位"


def demo_banner(session: Session) -> str:
    """The line every window title and printed page of the demo office carries; "" for a real office."""
    row = session.get(Setting, DEMO_MARKER)
    return DEMO_BANNER if row is not None and row.value else ""


def demo_banner_of(ctx: AppContext) -> str:
    with ctx.db.session(read_only=True) as session:
        return demo_banner(session)


def get_settings(ctx: AppContext) -> OfficeSettings:
    with ctx.db.session(read_only=True) as session:
        return read_settings(session)


def validate_settings(s: OfficeSettings, old: OfficeSettings | None = None) -> list[FieldProblem]:
    """Every problem of `s`; the phone only when new or changed, so an office whose stored
    number predates the check can still save its other settings."""
    problems = []
    if not s.office_name.strip():
        problems.append(FieldProblem("office_name", LABELS["office_name"], "不能为空"))
    if "{seq" not in s.archive_no_pattern:
        problems.append(FieldProblem("archive_no_pattern", LABELS["archive_no_pattern"], "必须包含序号 {seq} 或 {seq:05d}"))
    leftover = PATTERN_TOKENS.sub("", s.archive_no_pattern)
    if "{" in leftover or "}" in leftover:
        problems.append(FieldProblem("archive_no_pattern", LABELS["archive_no_pattern"],
                                     "只能使用 {prefix}、{year}、{seq:05d} 这几个占位符"))
    if not s.hardship_causes:
        problems.append(FieldProblem("hardship_causes", LABELS["hardship_causes"], "至少要有一项"))
    for name in ("keep_daily", "keep_monthly", "followup_days", "complaint_working_days"):
        if int(getattr(s, name)) < 1:
            problems.append(FieldProblem(name, LABELS[name], "至少为 1"))
    if not 1 <= int(s.followup_sample_percent) <= 100:
        problems.append(FieldProblem("followup_sample_percent", LABELS["followup_sample_percent"],
                                     "应在 1 到 100 之间（100 表示全部回访）"))
    if old is None or s.phone != old.phone:
        problems += [FieldProblem("phone", LABELS["phone"], f"“{piece}”不像电话号码（如 020-82712345 或 13800138000）")
                     for piece in bad_phone_numbers(s.phone)]
    return problems


def save_settings(ctx: AppContext, new: OfficeSettings) -> OfficeSettings:
    with ctx.tx("org.edit") as tx:
        old = read_settings(tx.session)
        problems = validate_settings(new, old)
        if problems:
            raise ValidationFailed(problems)
        changes = []
        for key, value in asdict(new).items():
            if getattr(old, key) != getattr(new, key):
                stored = list(value) if isinstance(value, tuple) else value
                tx.session.merge(Setting(key=key, value=stored))
                changes.append([LABELS[key], _show(getattr(old, key)), _show(value)])
        if old.followup_sample_percent != new.followup_sample_percent:
            _record_sample_change(tx.session, old.followup_sample_percent, new.followup_sample_percent)
        if changes:
            tx.audit("update", "settings", summary="修改单位设置", changes=changes)
        return read_settings(tx.session)


def _record_sample_change(session: Session, old: int, new: int) -> None:
    row = session.get(Setting, SAMPLE_HISTORY)
    history = list(row.value) if row is not None else [["0001-01-01", old]]
    today = clock.today().isoformat()
    history = [h for h in history if h[0] != today] + [[today, new]]
    session.merge(Setting(key=SAMPLE_HISTORY, value=history))


def sample_percent_on(session: Session, day: date) -> int:
    """The follow-up sample percentage in force on ``day`` (a payout's date)."""
    row = session.get(Setting, SAMPLE_HISTORY)
    if row is None:
        return read_settings(session).followup_sample_percent
    percent = row.value[0][1]
    for first, value in row.value:
        if first <= day.isoformat():
            percent = value
    return percent


def update_settings(ctx: AppContext, **values) -> OfficeSettings:
    return save_settings(ctx, replace(get_settings(ctx), **values))


def _show(value) -> str:
    return "、".join(value) if isinstance(value, (list, tuple)) else str(value)


def set_year_standard(ctx: AppContext, year: int, dibao_fen: int, low_income_fen: int | None) -> YearStandardView:
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(FieldProblem("year", "年度", f"{year} 不是有效年度"))
    if dibao_fen <= 0:
        problems.append(FieldProblem("dibao_fen", "低保标准", "必须大于 0"))
    if low_income_fen is not None and low_income_fen < dibao_fen:
        problems.append(FieldProblem("low_income_fen", "低收入标准", "不能低于低保标准"))
    if problems:
        raise ValidationFailed(problems)
    with ctx.tx("org.edit") as tx:
        row = tx.session.get(YearStandard, year)
        old = (None, None) if row is None else (row.dibao_fen, row.low_income_fen)
        if row is None:
            row = YearStandard(year=year)
            tx.session.add(row)
        row.dibao_fen, row.low_income_fen = dibao_fen, low_income_fen
        tx.audit("update", "year_standard", year, summary=f"设置{year}年低保/低收入标准", changes=[
            ["低保标准", _yuan(old[0]), _yuan(dibao_fen)],
            ["低收入标准", _yuan(old[1]), _yuan(low_income_fen)],
        ])
        return YearStandardView(year, dibao_fen, low_income_fen)


def _yuan(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


def list_year_standards(ctx: AppContext) -> list[YearStandardView]:
    with ctx.db.session(read_only=True) as session:
        rows = session.execute(select(YearStandard).order_by(YearStandard.year.desc())).scalars()
        return [YearStandardView(r.year, r.dibao_fen, r.low_income_fen) for r in rows]


def standard_for(session: Session, year: int) -> YearStandardView | None:
    row = session.get(YearStandard, year)
    return None if row is None else YearStandardView(row.year, row.dibao_fen, row.low_income_fen)
