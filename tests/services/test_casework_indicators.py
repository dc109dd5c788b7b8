"""回访率, 受助职工满意度 and 有责投诉率 on the hand-made year (reports_year.py) once follow-ups and
complaints are recorded through the services: every figure known, with the records behind it."""
from __future__ import annotations

from datetime import date

import pytest

from tests.admin_helpers import unit_id
from zhibang_desktop.services import casework
from zhibang_desktop.services.casework import ComplaintInput, FollowUpInput
from zhibang_desktop.services.reports import compute_indicators

from .reports_year import STREET1, STREET2, YEAR, build_year, d


def reached(line_id: int, on: date, satisfaction: str, needs: str = "") -> FollowUpInput:
    return FollowUpInput(line_id, "phone", on, "陈晓", True, True, satisfaction, needs)


@pytest.fixture
def year(ctx):
    y = build_year(ctx)
    # payouts 1 and 2 paid 03-20 (due 04-19), 3 and 4 on 04-15 (due 05-15), 5 on 09-10, 6 (reissue) on 09-24, 7 on 03-20
    casework.record_followup(ctx, reached(y.lines[1], d(4, 1), "satisfied"))
    casework.record_followup(ctx, reached(y.lines[2], d(4, 2), "dissatisfied", "手术后仍需复查，费用困难"))
    casework.record_followup(ctx, reached(y.lines[3], d(5, 1), "basic"))
    casework.record_followup(ctx, FollowUpInput(y.lines[4], "phone", d(5, 2), "陈晓", reached=False))
    casework.record_followup(ctx, reached(y.lines[7], d(12, 20), "satisfied"))  # late, but reached
    first = casework.add_complaint(ctx, ComplaintInput(d(6, 2), "phone", "匿名", "救助金迟迟未到",
                                                       household_id=y.households["B"]))
    casework.handle_complaint(ctx, first.id, first.version, "核实：银行退票后重发", "已向本人解释并道歉", True,
                              close=True, closed_on=d(6, 10))
    second = casework.add_complaint(ctx, ComplaintInput(d(11, 2), "visit", "王某", "认为评定不公",
                                                        household_id=y.households["D"]))
    casework.handle_complaint(ctx, second.id, second.version, "复核评定材料", "评定符合政策", False,
                              close=True, closed_on=d(12, 30))
    return y


def found(ctx, unit=None):
    return {i.key: i for i in compute_indicators(ctx, date(YEAR, 1, 1), date(YEAR, 12, 31), unit)}


def test_reach_satisfaction_and_complaints(ctx, year):
    got = found(ctx)
    reach = got["followup_reach"]
    assert (reach.numerator, reach.denominator) == (4, 7)  # 1, 2, 3, 7 reached; 4 not reached; 5 and 6 never called
    assert [e.kind for e in reach.exceptions] == ["followup_missing"] * 3
    assert "回访未联系上本人" in reach.exceptions[0].description and reach.exceptions[0].payment_id == year.lines[4]
    sat = got["satisfaction"]
    assert (sat.numerator, sat.denominator, sat.value_text) == (3, 4, "75.00%")
    assert [e.kind for e in sat.exceptions] == ["dissatisfied"]
    assert "手术后仍需复查" in sat.exceptions[0].description and sat.exceptions[0].request_id == year.requests[2]
    comp = got["complaints"]
    assert (comp.numerator, comp.denominator, comp.value_text) == (1, 6, "16.67%")
    assert [e.kind for e in comp.exceptions] == ["at_fault_complaint", "complaint_late"]
    assert "已向本人解释并道歉" in comp.exceptions[0].description
    assert "TS2025-002 应于" in comp.exceptions[1].description


def test_indicators_follow_the_union_scope(ctx, year):
    licheng = found(ctx, unit_id(ctx, STREET1))
    assert (licheng["followup_reach"].numerator, licheng["followup_reach"].denominator) == (4, 6)  # 1, 2, 3, 7 of 1, 2, 3, 5, 6, 7
    assert (licheng["complaints"].numerator, licheng["complaints"].denominator) == (1, 4)
    xintang = found(ctx, unit_id(ctx, STREET2))
    assert (xintang["complaints"].numerator, xintang["complaints"].denominator) == (0, 1)
    assert not xintang["satisfaction"].answerable  # 赵四 (line 4) was not reached: no answer in 新塘镇
    assert "没有联系上受助职工的回访记录" in xintang["satisfaction"].reason
