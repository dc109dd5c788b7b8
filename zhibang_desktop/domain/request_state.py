"""The relief-request state machine (pure; the review service persists it).

States::

    draft ──submit──▶ submitted ──approve(level 0)──▶ in_review(1) ── … ──▶ approved
      ▲                  │  └──reject──▶ rejected          │
      └──(edit)── returned ◀──return── (any review level) ─┘
    draft/submitted/in_review/returned ──withdraw──▶ withdrawn

``submitted`` waits for the first level of the review chain; ``in_review``
carries ``level_index``, the level that decides next.  The chain (level codes)
is fixed at submission from ``policy.chain_for(relief_type)``.  ``approved``,
``rejected`` and ``withdrawn`` are final; a ``returned`` request goes back to
the clerk, who may edit and submit it again (review restarts at the first
level).

Choices:

* Submitting needs an :class:`~.rules.Evaluation` of the request: any error
  blocks it; any warning requires a written justification.
* Each decision must come from the level whose turn it is (``level``).
* Reviewers may only LOWER the amount (raising it would bypass the caps the
  evaluation checked: return the request so the clerk re-enters it).  Lowering
  below the standard minimum (e.g. a sub-case's 2,000) needs a written
  justification; lowering within the standard does not.
* The creator cannot approve their own request unless the policy allows self
  approval (one-person offices); then the decision carries
  ``self_approved=True`` so the audit log and the printed form can show it.
  Rejecting or returning one's own request is not restricted.
* One person decides at most one level of a request (审核人老黄 signing both the
  基层工会 and the 镇街 box is one review, not two), unless the policy sets
  ``several_levels_per_reviewer_allowed``.  ``deciders`` holds who passed the
  earlier levels since the request was last submitted.
* Rejecting or returning needs a comment (the reason goes back to the clerk).
* Only the creator withdraws a request.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .money import yuan_text
from .policy import Policy
from .rules_types import Evaluation

DRAFT, SUBMITTED, IN_REVIEW = "draft", "submitted", "in_review"
APPROVED, REJECTED, RETURNED, WITHDRAWN = "approved", "rejected", "returned", "withdrawn"
STATUSES = (DRAFT, SUBMITTED, IN_REVIEW, APPROVED, REJECTED, RETURNED, WITHDRAWN)
STATUS_NAMES = {DRAFT: "草稿", SUBMITTED: "已提交", IN_REVIEW: "审核中", APPROVED: "已审批",
                REJECTED: "未通过", RETURNED: "已退回", WITHDRAWN: "已撤回"}
FINAL = frozenset({APPROVED, REJECTED, WITHDRAWN})
ACTIONS = ("submit", "approve", "reject", "return", "withdraw")
ACTION_NAMES = {"submit": "提交", "approve": "审核通过", "reject": "不予通过",
                "return": "退回", "withdraw": "撤回"}
_UNDER_REVIEW = (SUBMITTED, IN_REVIEW)


class TransitionError(ValueError):
    """An illegal move; the message is Chinese and meant for the user."""


@dataclass(frozen=True)
class RequestState:
    status: str = DRAFT
    creator: str = ""
    amount_fen: int = 0
    chain: tuple[str, ...] = ()  # review level codes, fixed at submission
    level_index: int | None = None  # the level deciding next (submitted/in_review)
    standard_min_fen: int | None = None  # from the evaluation at submission
    standard_max_fen: int | None = None
    justification: str = ""  # the clerk's written justification at submission
    self_approved: bool = False  # some level was passed by the creator
    deciders: tuple[str, ...] = ()  # who passed each earlier level since the last submission

    @property
    def current_level(self) -> str | None:
        if self.status in _UNDER_REVIEW and self.level_index is not None:
            return self.chain[self.level_index]
        return None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


@dataclass(frozen=True)
class Decision:
    """One step, to be stored as a Review row and written to the audit log."""

    action: str
    actor: str
    from_status: str
    to_status: str
    level: str | None
    level_index: int | None
    amount_before_fen: int
    amount_after_fen: int
    comment: str = ""
    justification: str = ""
    self_approved: bool = False


@dataclass(frozen=True)
class Transition:
    state: RequestState
    decision: Decision

    @property
    def self_approved(self) -> bool:
        return self.decision.self_approved


def new_request(creator: str, amount_fen: int = 0) -> RequestState:
    if not creator:
        raise TransitionError("须指明经办人")
    return RequestState(status=DRAFT, creator=creator, amount_fen=amount_fen)


def allowed_actions(state: RequestState) -> tuple[str, ...]:
    if state.status in (DRAFT, RETURNED):
        return ("submit", "withdraw")
    if state.status in _UNDER_REVIEW:
        return ("approve", "reject", "return", "withdraw")
    return ()


def _require(state: RequestState, action: str) -> None:
    if action not in allowed_actions(state):
        raise TransitionError(f"{STATUS_NAMES.get(state.status, state.status)}状态的申请不能"
                              f"{ACTION_NAMES.get(action, action)}")


def _decision(state: RequestState, new: RequestState, action: str, actor: str, **kw) -> Transition:
    return Transition(new, Decision(action=action, actor=actor, from_status=state.status,
                                    to_status=new.status, level=state.current_level,
                                    level_index=state.level_index if state.status in _UNDER_REVIEW else None,
                                    amount_before_fen=state.amount_fen, amount_after_fen=new.amount_fen, **kw))


def submit(state: RequestState, actor: str, *, policy: Policy, relief_type: str, evaluation: Evaluation,
           amount_fen: int | None = None, justification: str = "") -> Transition:
    """Submit a draft or returned request; ``evaluation`` is the rules.Evaluation
    of the request as submitted (same amount)."""
    _require(state, "submit")
    amount = state.amount_fen if amount_fen is None else amount_fen
    if amount <= 0:
        raise TransitionError("申请金额应大于零")
    if evaluation.blocking:
        raise TransitionError("申请不符合政策，不能提交：" + "；".join(f.message for f in evaluation.errors))
    justification = (justification or "").strip()
    if evaluation.needs_justification and not justification:
        raise TransitionError("以下情况须填写书面说明后才能提交：" + "；".join(f.message for f in evaluation.warnings))
    chain = tuple(level.level for level in policy.chain_for(relief_type))
    if not chain:
        raise TransitionError("政策未设置审核层级")
    new = replace(state, status=SUBMITTED, amount_fen=amount, chain=chain, level_index=0,
                  standard_min_fen=evaluation.standard_min_fen, standard_max_fen=evaluation.standard_max_fen,
                  justification=justification, self_approved=False, deciders=())
    return _decision(state, new, "submit", actor, justification=justification)


def _check_level(state: RequestState, level: str, policy: Policy) -> None:
    if level != state.current_level:
        names = {lv.level: lv.display_name for lv in policy.review_chain}
        for rt in policy.relief_types:
            names.update({lv.level: lv.display_name for lv in rt.review_chain or ()})
        raise TransitionError(f"当前应由{names.get(state.current_level or '', state.current_level)}审核，"
                              f"不是{names.get(level, level)}")


def _check_one_level_each(state: RequestState, actor: str, policy: Policy) -> None:
    if actor in state.deciders and not policy.several_levels_per_reviewer_allowed:
        earlier = state.chain[state.deciders.index(actor)]
        raise TransitionError(f"您已审核过本申请的{_level_name(policy, earlier)}一级，同一人不能审核同一申请的两个层级"
                              "（本政策未允许；请由本级其他审核人审核）")


def _level_name(policy: Policy, level: str) -> str:
    for lv in policy.review_chain:
        if lv.level == level:
            return lv.display_name
    for rt in policy.relief_types:
        for lv in rt.review_chain or ():
            if lv.level == level:
                return lv.display_name
    return level


def approve(state: RequestState, actor: str, *, level: str, policy: Policy, amount_fen: int | None = None,
            justification: str = "", comment: str = "") -> Transition:
    """Pass the current level, optionally lowering the amount."""
    _require(state, "approve")
    _check_level(state, level, policy)
    _check_one_level_each(state, actor, policy)
    self_approved = actor == state.creator
    if self_approved and not policy.self_approval_allowed:
        raise TransitionError("经办人不能审批自己录入的申请（本政策未允许一人办公室自审）")
    amount = state.amount_fen if amount_fen is None else amount_fen
    justification = (justification or "").strip()
    if amount <= 0:
        raise TransitionError("核定金额应大于零")
    if amount > state.amount_fen:
        raise TransitionError(f"审核只能核减金额（当前 {yuan_text(state.amount_fen)} 元）；"
                              "如需提高，请退回经办人修改后重新提交")
    if amount < state.amount_fen and state.standard_min_fen is not None \
            and amount < state.standard_min_fen and not justification:
        raise TransitionError(f"核减后金额 {yuan_text(amount)} 元低于标准下限 "
                              f"{yuan_text(state.standard_min_fen)} 元，须书面说明理由")
    last = state.level_index == len(state.chain) - 1
    new = replace(state, status=APPROVED if last else IN_REVIEW, amount_fen=amount,
                  level_index=None if last else state.level_index + 1,
                  self_approved=state.self_approved or self_approved, deciders=state.deciders + (actor,))
    return _decision(state, new, "approve", actor, comment=comment, justification=justification,
                     self_approved=self_approved)


def reject(state: RequestState, actor: str, *, level: str, policy: Policy, comment: str) -> Transition:
    _require(state, "reject")
    _check_level(state, level, policy)
    _check_one_level_each(state, actor, policy)
    if not (comment or "").strip():
        raise TransitionError("不予通过须填写理由")
    new = replace(state, status=REJECTED, level_index=None)
    return _decision(state, new, "reject", actor, comment=comment.strip())


def return_to_clerk(state: RequestState, actor: str, *, level: str, policy: Policy, comment: str) -> Transition:
    _require(state, "return")
    _check_level(state, level, policy)
    _check_one_level_each(state, actor, policy)
    if not (comment or "").strip():
        raise TransitionError("退回须填写理由")
    new = replace(state, status=RETURNED, level_index=None)
    return _decision(state, new, "return", actor, comment=comment.strip())


def withdraw(state: RequestState, actor: str, *, comment: str = "") -> Transition:
    _require(state, "withdraw")
    if actor != state.creator:
        raise TransitionError("只有经办人本人可以撤回申请")
    new = replace(state, status=WITHDRAWN, level_index=None)
    return _decision(state, new, "withdraw", actor, comment=(comment or "").strip())


_DISPATCH = {"submit": submit, "approve": approve, "reject": reject,
             "return": return_to_clerk, "withdraw": withdraw}


def next_state(state: RequestState, action: str, actor: str, **kwargs) -> Transition:
    """Generic entry point: ``next_state(s, 'approve', 'li', level='street', policy=p)``."""
    fn = _DISPATCH.get(action)
    if fn is None:
        raise TransitionError(f"未知操作“{action}”")
    return fn(state, actor, **kwargs)
