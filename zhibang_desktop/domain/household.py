"""Household archive vocabulary and lifecycle rules (困难职工档案).

Sources: seed 002 (海口: 先家访、后建档; deep households visited yearly, relative and
accident households twice a year; a 6-month 渐退期 after leaving the archive) and
seed 000 (上海: the exclusion checklist for deep hardship).
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from . import clock

CATEGORIES: dict[str, str] = {"deep": "深度困难", "relative": "相对困难", "accident": "意外致困"}

STATUSES: dict[str, str] = {
    "draft": "草稿",
    "active": "在档",
    "phasing_out": "渐退期",
    "exited": "已退档",
}

ASSISTANCE_STATUSES: dict[str, str] = {
    "none": "无",
    "dibao": "低保户",
    "low_income": "低收入户",
    "tekun": "特困",
}

# Default 致困原因 vocabulary (全总-style archive form); an office may replace it in settings.
DEFAULT_HARDSHIP_CAUSES: tuple[str, ...] = (
    "因病", "因残", "因学", "因灾", "因意外", "下岗失业", "单亲", "工资收入低",
    "企业经营困难", "家庭负担重", "见义勇为", "其他",
)
OTHER_CAUSE_PREFIX = "其他："

# Seed 000: households with any of these are excluded from deep-hardship aid.
EXCLUSIONS: dict[str, str] = {
    "multiple_homes": "拥有两套及以上住房",
    "business": "经营商铺或雇佣他人",
    "private_school_abroad": "子女就读高收费私立学校或自费出国留学",
    "vehicle": "拥有机动车辆（残疾人代步车除外）",
    "ship": "拥有船舶",
    "machinery": "拥有工程机械或大型农用机械",
}

VISIT_METHODS: dict[str, str] = {"home": "入户核查", "phone": "电话走访", "data_check": "数据比对"}

SCHOOLING_STAGES: dict[str, str] = {
    "none": "无",
    "preschool": "学前",
    "primary": "小学",
    "junior": "初中",
    "high_school": "高中",
    "vocational": "中职/技校",
    "university": "大学（含大专）",
    "special": "特殊教育",
}

RELATIONS: tuple[str, ...] = ("配偶", "子女", "父母", "岳父母/公婆", "兄弟姐妹", "孙子女", "其他")

PHASE_OUT_MONTHS = 6


def add_months(d: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def next_visit_due(category: str | None, last_visit: date | None, archived_on: date | None,
                   intervals: Mapping[str, int]) -> date | None:
    """When the next 走访 is due; a household with no visit is due at once.

    ``intervals``: months between visits per category, from the policy
    (``Policy.visit_interval_months``; seed 002: deep 12, relative and accident 6)."""
    if category not in intervals:
        return None
    if last_visit is None:
        return archived_on or clock.today()
    return add_months(last_visit, intervals[category])


def last_visit_overdue_by(as_of: date, months: int) -> date:
    """The latest last visit whose next one (``months`` later, :func:`add_months`) falls due before
    ``as_of``: a household last visited on or before this day is overdue at ``as_of``, one visited
    after it is not (the due date never moves back as the visit moves on), so a query can compare
    dates instead of computing every household's due date."""
    day = as_of - timedelta(days=31 * months + 1)  # due at the latest `as_of` - 1
    while add_months(day + timedelta(days=1), months) < as_of:
        day += timedelta(days=1)
    return day


def phase_out_end(decided_on: date) -> date:
    return add_months(decided_on, PHASE_OUT_MONTHS)


def per_capita_income_fen(total_monthly_fen: int, household_size: int) -> int | None:
    if household_size <= 0:
        return None
    return total_monthly_fen // household_size


def income_band(per_capita_fen: int | None, dibao_fen: int | None, low_income_fen: int | None) -> str:
    """'below_dibao', 'below_low_income', 'above' or 'unknown' (no standard set for the year)."""
    if per_capita_fen is None or not dibao_fen:
        return "unknown"
    if per_capita_fen < dibao_fen:
        return "below_dibao"
    if low_income_fen and per_capita_fen < low_income_fen:
        return "below_low_income"
    return "above"


INCOME_BAND_LABELS = {
    "below_dibao": "低于低保标准",
    "below_low_income": "低于低收入标准",
    "above": "高于低收入标准",
    "unknown": "当年标准未设置",
}


@dataclass(frozen=True)
class ArchiveFacts:
    """What archiving (draft → active) depends on."""

    id_number_valid: bool
    exclusions_checked: bool  # every checklist item answered
    exclusions_failed: tuple[str, ...]  # codes answered "yes"
    override_reason: str | None
    visit_count: int


def archive_blockers(facts: ArchiveFacts) -> list[str]:
    """Chinese reasons why a household cannot be archived yet; empty when it can."""
    problems: list[str] = []
    if not facts.id_number_valid:
        problems.append("户主身份证号无效，不能建档")
    if not facts.exclusions_checked and not facts.override_reason:
        problems.append("排除条件核查表未填写完整")
    if facts.exclusions_failed and not (facts.override_reason or "").strip():
        labels = "、".join(EXCLUSIONS[c] for c in facts.exclusions_failed if c in EXCLUSIONS)
        problems.append(f"排除条件未通过（{labels}），如确需建档请填写书面说明")
    if facts.visit_count == 0:
        problems.append("尚无走访核查记录（先家访、后建档）")
    return problems


# Lifecycle transitions: action -> (allowed from, to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "archive": (frozenset({"draft"}), "active"),
    "begin_exit": (frozenset({"active"}), "phasing_out"),
    "complete_exit": (frozenset({"phasing_out", "active"}), "exited"),
    "reactivate": (frozenset({"phasing_out", "exited"}), "active"),
}

TRANSITION_LABELS = {
    "archive": "建档",
    "begin_exit": "进入渐退期",
    "complete_exit": "退档",
    "reactivate": "重新在档",
}


def transition_error(action: str, current: str) -> str | None:
    allowed, _ = TRANSITIONS[action]
    if current in allowed:
        return None
    names = "、".join(STATUSES[s] for s in sorted(allowed))
    return f"当前状态为“{STATUSES.get(current, current)}”，只有“{names}”的档案可以{TRANSITION_LABELS[action]}"
