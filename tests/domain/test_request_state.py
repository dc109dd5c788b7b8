"""Request state machine: submission gates, level order, amount changes, self approval."""
from dataclasses import replace
from datetime import date

import pytest

from zhibang_desktop.domain.policy_io import load_preset
from zhibang_desktop.domain.request_state import (
    APPROVED,
    IN_REVIEW,
    REJECTED,
    RETURNED,
    SUBMITTED,
    WITHDRAWN,
    RequestState,
    TransitionError,
    allowed_actions,
    approve,
    new_request,
    next_state,
    reject,
    return_to_clerk,
    submit,
    withdraw,
)
from zhibang_desktop.domain.rules import HouseholdFacts, RequestDraft, Standards, evaluate

ZC = load_preset("zengcheng")  # chain grassroots → street → district (001)
ZC_SOLO = replace(ZC, self_approval_allowed=True)
HH = HouseholdFacts(category="relative", assistance_status="dibao", head_id_number="X")
STD = Standards(dibao_monthly_fen=133000)


def ev_for(relief_type="quarterly", amount=50000, subcase=None):
    d = RequestDraft(relief_type, subcase, 2023, 1 if relief_type == "quarterly" else None, date(2023, 2, 1),
                     amount, person_id_number="X", conditions=("dibao_low_income",)
                     if relief_type == "quarterly" else ())
    return evaluate(ZC, d, HH, [], STD)


def submitted(amount=50000, relief_type="quarterly", subcase=None, justification=""):
    s = new_request("clerk", amount)
    return submit(s, "clerk", policy=ZC, relief_type=relief_type, evaluation=ev_for(relief_type, amount, subcase),
                  justification=justification).state


def test_full_chain_to_approved():
    s = submitted()
    assert (s.status, s.current_level, s.chain) == (SUBMITTED, "grassroots", ("grassroots", "street", "district"))
    t1 = approve(s, "wang", level="grassroots", policy=ZC)
    assert (t1.state.status, t1.state.current_level) == (IN_REVIEW, "street")
    assert (t1.decision.level, t1.decision.level_index, t1.decision.action) == ("grassroots", 0, "approve")
    t2 = approve(t1.state, "li", level="street", policy=ZC)
    t3 = approve(t2.state, "zhao", level="district", policy=ZC, comment="同意")
    assert t3.state.status == APPROVED and t3.state.is_final and t3.state.current_level is None
    assert t3.decision.to_status == APPROVED and not t3.self_approved
    assert allowed_actions(t3.state) == ()


def test_submit_blocked_by_errors():
    s = new_request("clerk", 50000)
    ev = evaluate(ZC, RequestDraft("quarterly", None, 2023, 1, date(2023, 2, 1), 50000, person_id_number="X"),
                  HH, [], STD)  # no condition ticked
    with pytest.raises(TransitionError, match="不能提交"):
        submit(s, "clerk", policy=ZC, relief_type="quarterly", evaluation=ev)


def test_warning_needs_written_justification():  # 001: 1,000 yuan for surgery, standard 2,000–5,000
    ev = ev_for("emergency", 100000, "illness_surgery")
    s = new_request("clerk", 100000)
    with pytest.raises(TransitionError, match="书面说明"):
        submit(s, "clerk", policy=ZC, relief_type="emergency", evaluation=ev)
    t = submit(s, "clerk", policy=ZC, relief_type="emergency", evaluation=ev, justification="  自付费用已大部分报销  ")
    assert t.state.justification == "自付费用已大部分报销" == t.decision.justification
    assert t.state.standard_min_fen == 200000


@pytest.mark.parametrize("amount", [0, -100])
def test_submit_needs_positive_amount(amount):
    with pytest.raises(TransitionError):
        submit(new_request("clerk", amount), "clerk", policy=ZC, relief_type="quarterly", evaluation=ev_for())


def test_wrong_level_cannot_decide():
    s = submitted()
    with pytest.raises(TransitionError, match="当前应由基层工会审核"):
        approve(s, "zhao", level="district", policy=ZC)
    with pytest.raises(TransitionError):
        reject(s, "zhao", level="street", policy=ZC, comment="x")


def test_creator_cannot_approve_own_request():
    s = submitted()
    with pytest.raises(TransitionError, match="自己录入"):
        approve(s, "clerk", level="grassroots", policy=ZC)


def test_one_person_office_self_approval_is_flagged():
    s = submitted()
    t = approve(s, "clerk", level="grassroots", policy=ZC_SOLO)
    assert t.self_approved and t.decision.self_approved and t.state.self_approved
    t2 = approve(t.state, "li", level="street", policy=ZC_SOLO)
    assert not t2.self_approved and t2.state.self_approved  # the state remembers


@pytest.mark.parametrize("start, new_amount, justification, ok", [
    (60000, 50000, "", True),  # lower within 400–600
    (60000, 40000, "", True),  # down to the minimum
    (60000, 30000, "", False),  # below the minimum without justification
    (60000, 30000, "家庭已获其他救助", True),
    (50000, 60000, "", False),  # raising is not a review decision
    (50000, 0, "理由", False),
])
def test_reviewer_amount_changes(start, new_amount, justification, ok):
    s = submitted(start)
    if ok:
        t = approve(s, "wang", level="grassroots", policy=ZC, amount_fen=new_amount, justification=justification)
        assert t.state.amount_fen == new_amount
        assert (t.decision.amount_before_fen, t.decision.amount_after_fen) == (start, new_amount)
    else:
        with pytest.raises(TransitionError):
            approve(s, "wang", level="grassroots", policy=ZC, amount_fen=new_amount, justification=justification)


def test_lowering_an_already_low_amount_needs_justification_again():
    s = submitted(100000, "emergency", "illness_surgery", justification="已说明")
    with pytest.raises(TransitionError, match="低于标准下限"):
        approve(s, "wang", level="grassroots", policy=ZC, amount_fen=80000)
    approve(s, "wang", level="grassroots", policy=ZC)  # unchanged amount: fine


def test_reject_and_return_need_a_reason():
    s = submitted()
    with pytest.raises(TransitionError, match="理由"):
        reject(s, "wang", level="grassroots", policy=ZC, comment=" ")
    with pytest.raises(TransitionError, match="理由"):
        return_to_clerk(s, "wang", level="grassroots", policy=ZC, comment="")
    assert reject(s, "wang", level="grassroots", policy=ZC, comment="不符合条件").state.status == REJECTED


def test_returned_request_is_resubmitted_from_the_first_level():
    s = approve(submitted(), "wang", level="grassroots", policy=ZC).state
    r = return_to_clerk(s, "li", level="street", policy=ZC, comment="补充收入证明")
    assert r.state.status == RETURNED and r.decision.level == "street"
    assert allowed_actions(r.state) == ("submit", "withdraw")
    again = submit(r.state, "clerk", policy=ZC, relief_type="quarterly", evaluation=ev_for())
    assert (again.state.status, again.state.level_index) == (SUBMITTED, 0)


def test_withdraw_only_by_creator_and_not_after_decision():
    s = submitted()
    with pytest.raises(TransitionError, match="经办人本人"):
        withdraw(s, "wang")
    assert withdraw(s, "clerk", comment="重复录入").state.status == WITHDRAWN
    done = reject(s, "wang", level="grassroots", policy=ZC, comment="不符合").state
    with pytest.raises(TransitionError, match="未通过状态的申请不能撤回"):
        withdraw(done, "clerk")


@pytest.mark.parametrize("status, actions", [
    ("draft", ("submit", "withdraw")),
    ("returned", ("submit", "withdraw")),
    ("submitted", ("approve", "reject", "return", "withdraw")),
    ("in_review", ("approve", "reject", "return", "withdraw")),
    ("approved", ()), ("rejected", ()), ("withdrawn", ()),
])
def test_allowed_actions(status, actions):
    assert allowed_actions(RequestState(status=status)) == actions


def test_illegal_moves():
    with pytest.raises(TransitionError, match="草稿状态的申请不能审核通过"):
        approve(new_request("clerk", 50000), "wang", level="grassroots", policy=ZC)
    s = submitted()
    with pytest.raises(TransitionError):
        submit(s, "clerk", policy=ZC, relief_type="quarterly", evaluation=ev_for())
    with pytest.raises(TransitionError):
        new_request("")


def test_next_state_dispatch():
    s = next_state(new_request("clerk", 50000), "submit", "clerk", policy=ZC, relief_type="quarterly",
                   evaluation=ev_for()).state
    t = next_state(s, "return", "wang", level="grassroots", policy=ZC, comment="补材料")
    assert t.state.status == RETURNED
    with pytest.raises(TransitionError, match="未知操作"):
        next_state(s, "archive", "wang")


# Issue 8: 审核人老黄 signed both the 基层工会 and the 镇街 level of one request.
ZC_SHARED = replace(ZC, several_levels_per_reviewer_allowed=True)


@pytest.mark.parametrize("street_action", ["approve", "reject", "return"])
@pytest.mark.parametrize("policy, allowed", [(ZC, False), (ZC_SHARED, True)])
def test_one_person_decides_one_level_unless_the_policy_allows_it(policy, allowed, street_action):
    s = approve(submitted(), "laohuang", level="grassroots", policy=policy).state
    assert s.deciders == ("laohuang",)
    kwargs = {"comment": "理由"} if street_action != "approve" else {}
    if allowed:
        t = next_state(s, street_action, "laohuang", level="street", policy=policy, **kwargs)
        assert t.decision.level == "street"
    else:
        with pytest.raises(TransitionError, match="已审核过本申请的基层工会一级"):
            next_state(s, street_action, "laohuang", level="street", policy=policy, **kwargs)
        # another reviewer of the street level may decide
        assert next_state(s, street_action, "xiaolin", level="street", policy=policy, **kwargs).decision.actor == "xiaolin"


def test_a_return_starts_a_new_round_of_deciders():
    s = approve(submitted(), "laohuang", level="grassroots", policy=ZC).state
    back = return_to_clerk(s, "xiaolin", level="street", policy=ZC, comment="补材料").state
    again = submit(back, "clerk", policy=ZC, relief_type="quarterly", evaluation=ev_for()).state
    assert again.deciders == ()
    assert approve(again, "xiaolin", level="grassroots", policy=ZC).state.deciders == ("xiaolin",)
