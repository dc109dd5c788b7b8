"""A year of demo work on top of the demo households: requests at every state with their
reviews, public notices (one objection upheld, one dismissed, one still open), disbursement
batches with paid, returned, reissued, renounced and paid-to-relative lines.

Everything goes through the real services (rules, review chain, notices, batches), acting
as the demo users (经办人陈晓, 审核人黄伟 at the 基层工会 level, 审核人林小红 at the 镇街
level, 负责人钟国强) when they exist, on the dates it
happened: the program's clock (``domain.clock``) is moved for the duration —
demo databases only, never while someone works in the same process.

The year is the four quarters ending with the current one; past quarters are fully
processed (seed 000: 公示 5 个工作日 → 发放 → 退票 → 三周后重新支付; 14 户放弃; 一人去世由
亲属领取), the current quarter is in progress: a first round noticed and being paid (a batch with
lines still to pay by bank and in cash), more requests at every state, a notice running.  Figures: 增城 quarterly relief 400–600 yuan,
emergency relief by sub-case (seed 001).
"""
from __future__ import annotations

import io
import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import clock
from ..domain.cards import luhn_ok
from ..storage.database import Database
from ..storage.models import Household, PolicyVersion, ReliefRequest, User, YearStandard
from . import budgets as demo_budgets
from .casework import create_casework
from .year_summary import YearSummary, year_summary
from .year_calendar import _Clock, _quarter_start, _window, _workday
from ..services.context import SYSTEM, Actor, AppContext
from ..services.errors import ServiceError
from ..services.admin.org import district_unit
from ..services.payout.types import BatchInput, LinePlan, NoticeFilter, NoticeInput, ObjectionInput

PER_QUARTER_MAX = 25
EARLY_ROUND = 6  # households of the current quarter's first round, paid now
EARLY_ROUND_DAYS = 30  # requests, 3 review levels, 5 working days of notice and the pay day fit in
AUDIT_PREFIX = "演示数据"


def _actor(session, username: str, fallback: Actor) -> Actor:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not getattr(user, "active", True):
        return fallback
    return Actor.make(user.id, user.username, user.display_name, user.roles or [], user.scope_unit_id)


class _Year:
    def __init__(self, db: Database, seed: int, today: date):
        self.db = db
        self.rnd = random.Random(seed * 7919 + 17)
        self.today = today
        self.clock = _Clock(today)
        self.sys = AppContext(db, SYSTEM)
        self.made: dict[str, int] = {}

    # ------------------------------------------------------------- set-up

    def prepare(self) -> bool:
        from ..services.relief import policies
        from ..services.admin import users

        quarters = _window(self.today)
        with self.db.session() as s:
            district = district_unit(s)
            if district is None:
                return False
            for year in sorted({y for y, _ in quarters}):
                if s.get(YearStandard, year) is None:
                    latest = s.execute(select(YearStandard).order_by(YearStandard.year.desc()).limit(1)).scalar_one_or_none()
                    dibao = latest.dibao_fen if latest else 124_000
                    s.add(YearStandard(year=year, dibao_fen=dibao, low_income_fen=dibao * 3 // 2))
            clerk = _actor(s, "clerk", Actor.make(None, "demo_clerk", "经办人（演示）", {"clerk"}))
            reviewer = _actor(s, "reviewer", Actor.make(None, "demo_reviewer", "审核人（演示）", {"reviewer"}))
            street = _actor(s, "reviewer2", Actor.make(None, "demo_reviewer2", "镇街审核人（演示）", {"reviewer"}))
            head = _actor(s, "head", Actor.make(None, "demo_head", "负责人（演示）", {"head"}))
            has_policy = {y: s.execute(select(PolicyVersion.id).where(PolicyVersion.year == y,
                                                                      PolicyVersion.in_force.is_(True))).first()
                          for y in {y for y, _ in quarters}}
            district_id = district.id
        for year, found in has_policy.items():
            if not found:
                policies.use_preset(self.sys, "增城", year)
        # one person per level: the policy does not let one reviewer sign two levels of a request
        if reviewer.user_id is not None:
            users.set_reviewer_scopes(self.sys, reviewer.user_id, [(district_id, "grassroots")])
        if street.user_id is not None:
            users.set_reviewer_scopes(self.sys, street.user_id, [(district_id, "street")])
        if head.user_id is not None:
            users.set_reviewer_scopes(self.sys, head.user_id, [(district_id, "district")])
        self.clerk, self.reviewer, self.street, self.head = (
            AppContext(self.db, a) for a in (clerk, reviewer, street, head))
        self.admin = self.sys
        self.quarters = quarters
        demo_budgets.set_budgets(self.head, quarters)
        return True

    def households(self) -> tuple[list[Household], list[Household], list[Household]]:
        # Only the ids of every household: 100,000 ORM rows with their members took about
        # a gigabyte. Shuffling the ids draws the same households as shuffling the rows did.
        with self.db.session() as s:
            ids = list(s.execute(select(Household.id).where(Household.status == "active",
                                                            Household.union_member.is_(True))
                                 .order_by(Household.id)).scalars())
        self.rnd.shuffle(ids)
        n = len(ids)
        per = max(3, min(PER_QUARTER_MAX, n // 12))
        self.per_quarter = per
        wanted = ids[: 4 * per + 40]
        with self.db.session() as s:
            by_id = {hh.id: hh for hh in s.execute(select(Household).where(Household.id.in_(wanted))
                                                   .options(selectinload(Household.members))).scalars()}
            s.expunge_all()
        rows = [by_id[i] for i in wanted]
        a = rows[: 2 * per + 10]
        b = rows[2 * per + 10: 4 * per + 20]
        c = rows[4 * per + 20: 4 * per + 40]
        return a, b, c

    # ------------------------------------------------------------- one request

    def _input(self, hh: Household, y: int, q: int | None, d: date, kind: str = "quarterly"):
        from ..services.relief.types import RequestInput

        if kind == "quarterly":
            dibao = hh.assistance_status in ("dibao", "low_income", "tekun")
            cond = ("dibao_low_income",) if dibao else ("serious_illness",)
            reason = ("低保家庭，" if dibao else "家庭成员患重病，") + self.rnd.choice(
                ("子女上学开支大，生活困难", "本人收入低且不稳定", "医疗费用负担重，入不敷出", "配偶无业，家庭负担重"))
            return RequestInput(relief_type="quarterly", year=y, quarter=q, household_id=hh.id,
                                requested_amount_fen=self.rnd.choice((40000, 50000, 50000, 60000)),
                                conditions=cond, reason=reason, request_date=d, fund_source="union",
                                attachment_kinds=("家庭收入证明", "工会会员身份或会费缴纳证明"))
        sub, amount, reason = self.rnd.choice((
            ("illness_surgery", 300000, "突发疾病住院手术，自付费用高，家庭非常困难"),
            ("house_damaged", 150000, "暴雨致住房部分损毁，家财受损"),
            ("bravery", 200000, "见义勇为受伤住院，家庭收入不高"),
        ))
        return RequestInput(relief_type="emergency", subcase=sub, year=y, household_id=hh.id,
                            requested_amount_fen=amount, reason=reason, request_date=d, fund_source="city",
                            attachment_kinds=("受灾、受伤或住院手术证明", "医疗费用单据（因病、因伤申请时）", "家庭收入证明"))

    def new_request(self, hh: Household, y: int, q: int | None, d: date, kind: str = "quarterly",
                    submit: bool = True) -> tuple[int | None, date]:
        from ..services.relief import requests as relief

        d = self.clock.day(d, 9)
        data = self._input(hh, y, q, d, kind)
        try:
            ev = relief.evaluate_draft(self.clerk, data)
            if ev.blocking:
                return None, d
            v = relief.create_request(self.clerk, data)
            if submit:
                relief.submit_request(self.clerk, v.id, "经入户核实，情况属实" if ev.needs_justification else None)
        except ServiceError:
            return None, d
        return v.id, d

    def review(self, rid: int, d: date, levels: int = 3, last: str = "approve", amount_fen: int | None = None,
               quick: bool = False) -> date:
        """Pass ``levels`` levels (the last one with ``last``); each level takes a few days."""
        from ..services.relief import review

        for level in range(levels):
            d = d + timedelta(days=self.rnd.choice((1, 2) if quick else (1, 2, 3, 3, 4, 6, 9)))
            d = self.clock.day(d, 15)
            who = (self.reviewer, self.street, self.head)[level]
            decision = last if level == levels - 1 else "approve"
            opinion = {
                "approve": ("经核实，情况属实，同意上报", "经调查核实，符合救助条件，同意", "同意救助")[min(level, 2)],
                "reject": "家庭收入超过低收入标准，不符合救助条件",
                "return": "缺少家庭收入证明，请补充后重新提交",
            }[decision]
            amount = amount_fen if decision == "approve" and level == 2 else None
            try:
                review.decide(who, rid, decision, opinion, amount_fen=amount)
            except ServiceError:
                return d
        return d

    # ------------------------------------------------------------- a past quarter

    def past_quarter(self, index: int, y: int, q: int, pool: list[Household], emergency: list[Household],
                     leave_open: bool = False) -> None:
        from ..services import payout
        from ..services.payout import notices
        from ..services.payout.reissue import ReissuePlan
        from ..services.payout import printing as payout_print

        start = _quarter_start(y, q)
        take = pool[: self.per_quarter]
        last = start
        for i, hh in enumerate(take):
            rid, d = self.new_request(hh, y, q, start + timedelta(days=self.rnd.randint(2, 18)))
            if rid is None:
                continue
            if i == 0:
                self.review(rid, d, levels=2, last="reject")
                continue
            last = max(last, self.review(rid, d))
        for hh in emergency[index * 2: index * 2 + 2]:
            rid, d = self.new_request(hh, y, None, start + timedelta(days=self.rnd.randint(5, 30)), "emergency")
            if rid is not None:
                last = max(last, self.review(rid, d))

        # 公示: all approved requests of the quarter
        n_start = self.clock.day(_workday(last + timedelta(days=3)), 9)
        try:
            v = notices.create_notice(self.clerk, NoticeInput(
                NoticeFilter((), y, None), start=n_start, place="区总工会一楼公示栏及各镇（街）工会公示栏",
                object_to="增城区总工会权益保障部",
                title=f"增城区总工会关于{y}年第{'一二三四'[q - 1]}季度困难职工救助对象名单的公示"))
            v = notices.publish_notice(self.clerk, v.summary.id)
        except ServiceError:
            return
        if index in (0, 1) and len(v.entries) > 2:
            entry = v.entries[1]
            self.clock.day(n_start + timedelta(days=2), 11)
            o = notices.record_objection(self.clerk, ObjectionInput(
                entry.id, "匿名", "反映其家庭新购置小汽车一辆，生活并不困难" if index == 1 else "怀疑其收入情况不实",
                self.clock.at.astimezone().date(), channel="电话"))
            self.clock.day(n_start + timedelta(days=4), 16)
            if index == 1:
                notices.handle_objection(self.clerk, o.id, "upheld",
                                         "经入户核查并查询车辆登记，其配偶名下确有小汽车一辆，异议成立，撤销救助并退回申请")
            else:
                notices.handle_objection(self.clerk, o.id, "dismissed",
                                         "经与民政部门数据比对，家庭收入与申报一致，异议不成立")
        end = v.summary.end
        self.clock.day(end + timedelta(days=1), 9)
        try:
            notices.close_notice(self.clerk, v.summary.id)
        except ServiceError:
            pass

        # the batch
        pay = self.clock.day(_workday(end + timedelta(days=4)), 9)
        cands = [c.request_id for c, p in payout.batch_candidates(self.clerk) if p.payable]
        if not cands:
            return
        try:
            b = payout.create_batch(self.clerk, BatchInput(pay, [LinePlan(r) for r in cands],
                                                                 title="困难职工救助金发放实名制签领表"))
        except ServiceError:
            return
        if leave_open:
            self.in_progress(b.summary.id, pay)
            return
        lines = list(b.lines)
        if len(lines) > 6 and not any(line.method == "cash" for line in lines):
            # seed 002: cash only in special cases, against signatures; some through the grassroots union
            for line, method in ((lines[2], "cash"), (lines[3], "via_grassroots")):
                try:
                    payout.set_line_method(self.clerk, line.id, method)
                except ServiceError:
                    pass
            lines = list(payout.get_batch(self.clerk, b.summary.id).lines)
        bank = [line for line in lines if line.method in ("bank_transfer", "social_security_card")]
        cash = [line for line in lines if line.method == "cash"]
        special: dict[int, str] = {}
        if bank:
            special[bank[0].id] = "return"
        if len(bank) > 2:
            special[bank[-1].id] = "renounce" if index != 1 else "relative"
        if index == 2 and len(bank) > 3:
            special[bank[1].id] = "return_open"
        if cash:
            c = cash[0]
            hh = self._household(c.household_id)
            relative = next((m for m in (hh.members if hh else []) if m.id_number), None)
            if relative is not None:
                try:
                    payout.set_line_proxy(self.clerk, c.id, relative.name, "139" + str(self.rnd.randint(10**7, 10**8 - 1)),
                                                relative.id_number, relative.relation)
                except ServiceError:
                    pass
        # cash is paid only against the printed real-name list the recipients signed (seed 002)
        payout_print.print_receipts(self.clerk, b.summary.id, io.BytesIO())
        for line_id, what in special.items():
            if what == "renounce":
                payout.mark_renounced(self.clerk, line_id, "本人书面声明放弃领取（担心影响低保待遇），资金退回")
            elif what == "relative":
                hh = self._household(next(x.household_id for x in lines if x.id == line_id))
                spouse = next((m for m in (hh.members if hh else []) if m.relation in ("配偶", "妻子", "丈夫")), None)
                payout.mark_paid_to_relative(self.clerk, line_id, spouse.name if spouse else "王秀英",
                                                   spouse.relation if spouse else "配偶", pay)
        payout.mark_batch_paid(self.clerk, b.summary.id, pay)

        # the bank's return file: wrong account numbers (seed 000)
        returns = [line for line in bank if special.get(line.id, "").startswith("return")]
        if returns:
            back = self.clock.day(pay + timedelta(days=2), 14)
            for line in returns:
                payout.mark_returned(self.clerk, line.id, self.rnd.choice(("账号有误", "户名与账号不符", "账户已销户")),
                                           back)
            again = [line for line in returns if special[line.id] == "return"]
            if again:
                re_day = self.clock.day(_workday(pay + timedelta(days=21)), 10)
                plans = []
                for line in again:
                    plans.append(ReissuePlan(line.id, account=self._corrected(line.account), update_archive=True))
                try:
                    rb = payout.create_reissue_batch(self.clerk, plans, re_day)
                    payout.mark_batch_paid(self.clerk, rb.summary.id, re_day)
                    payout.close_batch(self.clerk, rb.summary.id)
                except ServiceError:
                    pass
        if not any(v == "return_open" for v in special.values()):
            try:
                payout.close_batch(self.clerk, b.summary.id)
            except ServiceError:
                pass

    def _household(self, household_id: int | None) -> Household | None:
        if household_id is None:
            return None
        with self.db.session() as s:
            hh = s.get(Household, household_id)
            if hh is not None:
                _ = hh.members
                s.expunge_all()
            return hh

    def _corrected(self, account: str | None) -> str:
        base = (account or "6222020000000000000")[:-4]
        while True:
            candidate = base + f"{self.rnd.randint(0, 999):03d}"
            for check in "0123456789":
                if luhn_ok(candidate + check) and candidate + check != account:
                    return candidate + check

    # ------------------------------------------------------------- the current quarter

    def current_quarter(self, y: int, q: int, pool: list[Household]) -> None:
        from ..services.payout import notices
        from ..services.relief import requests as relief

        start = _quarter_start(y, q)
        span = max(0, (self.today - start).days)

        def when(lo: int, hi: int) -> date:
            return start + timedelta(days=min(span, self.rnd.randint(lo, hi)))

        plan = ["draft", "draft", "submitted", "submitted", "street", "street", "district", "returned",
                "rejected", "withdrawn"]
        plan += ["approved"] * max(3, self.per_quarter - len(plan))
        if (self.today - start).days >= EARLY_ROUND_DAYS:
            early, pool = pool[:EARLY_ROUND], pool[EARLY_ROUND:]
            self.early_round(y, q, start, early)
        approved_last = start
        for hh, state in zip(pool, plan):
            d0 = when(0, max(1, span // 3))
            if state == "draft":
                self.new_request(hh, y, q, d0, submit=False)
                continue
            rid, d = self.new_request(hh, y, q, d0)
            if rid is None:
                continue
            if state == "submitted":
                continue
            if state == "street":
                self.review(rid, d, levels=1)
            elif state == "district":
                self.review(rid, d, levels=2)
            elif state == "returned":
                self.review(rid, d, levels=1, last="return")
            elif state == "rejected":
                self.review(rid, d, levels=3, last="reject")
            elif state == "withdrawn":
                try:
                    self.clock.day(d + timedelta(days=1))
                    relief.withdraw(self.clerk, rid, "职工本人申请撤回（已获其他救助）")
                except ServiceError:
                    pass
            else:
                approved_last = max(approved_last, self.review(rid, d))
        # a notice that is running now, with an objection not yet handled
        n_start = self.clock.day(max(approved_last + timedelta(days=1), self.today - timedelta(days=2)), 9)
        try:
            v = notices.create_notice(self.clerk, NoticeInput(
                NoticeFilter(("quarterly",), y, q), start=n_start, place="区总工会一楼公示栏及各镇（街）工会公示栏",
                object_to="增城区总工会权益保障部"))
            v = notices.publish_notice(self.clerk, v.summary.id)
            if v.entries:
                self.clock.day(self.today, 11)
                notices.record_objection(self.clerk, ObjectionInput(
                    v.entries[0].id, "职工李某", "反映其在外经营小店，收入较高", self.today, contact="电话留言",
                    channel="电话"))
        except ServiceError:
            pass

    def early_round(self, y: int, q: int, start: date, pool: list[Household]) -> None:
        """Requests made in the quarter's first days, noticed and now being paid: a batch in
        progress (seed 002: 公示 before every payout), with lines still to pay by bank and in cash."""
        from ..services import payout
        from ..services.payout import notices

        last = start
        for hh in pool:
            rid, d = self.new_request(hh, y, q, start + timedelta(days=self.rnd.randint(0, 3)))
            if rid is not None:
                last = max(last, self.review(rid, d, quick=True))
        n_start = self.clock.day(_workday(last + timedelta(days=1)), 9)
        try:
            v = notices.create_notice(self.clerk, NoticeInput(
                NoticeFilter(("quarterly",), y, q), start=n_start, place="区总工会一楼公示栏及各镇（街）工会公示栏",
                object_to="增城区总工会权益保障部"))
            v = notices.publish_notice(self.clerk, v.summary.id)
            self.clock.day(v.summary.end + timedelta(days=1), 9)
            notices.close_notice(self.clerk, v.summary.id)
        except ServiceError:
            return
        pay = self.clock.day(_workday(v.summary.end + timedelta(days=3)), 9)
        cands = [c.request_id for c, p in payout.batch_candidates(self.clerk) if p.payable]
        if not cands:
            return
        try:
            b = payout.create_batch(self.clerk, BatchInput(pay, [LinePlan(r) for r in cands],
                                                                 title="困难职工救助金发放实名制签领表"))
        except ServiceError:
            return
        self.in_progress(b.summary.id, pay)

    def in_progress(self, batch_id: int, pay: date) -> None:
        """A batch being paid: one line in cash still to be signed for, one already paid, the
        bank lines still pending (so the bank file can be made)."""
        from ..services import payout

        lines = list(payout.get_batch(self.clerk, batch_id).lines)
        bank = [line for line in lines if line.method in ("bank_transfer", "social_security_card")]
        try:
            if len(bank) > 2:
                payout.set_line_method(self.clerk, bank[-1].id, "cash")
            if len(bank) > 3:
                payout.mark_paid(self.clerk, [bank[0].id], pay)
        except ServiceError:
            pass

    # ------------------------------------------------------------- all

    def run(self) -> None:
        a, b, c = self.households()
        pools = (a, b, a, b)  # a household gets at most two quarters a year, never consecutive
        with self.clock.installed():
            # the current quarter's batch is in progress; too early in the quarter for that,
            # the last quarter's batch is still being paid
            early = (self.today - _quarter_start(*self.quarters[-1])).days >= EARLY_ROUND_DAYS
            for index, (y, q) in enumerate(self.quarters):
                if index == len(self.quarters) - 1:
                    self.current_quarter(y, q, pools[index])
                else:
                    self.past_quarter(index, y, q, pools[index], c, leave_open=index == 2 and not early)
            self.clock.day(self.today, 12)


def create_year(db: Database, seed: int = 1, today: date | None = None) -> YearSummary | None:
    """Add a year of requests, reviews, notices and batches (once per database); None if skipped."""
    with db.session() as s:
        if s.execute(select(ReliefRequest.id).where(ReliefRequest.source == "entered").limit(1)).first():
            return None
    year = _Year(db, seed, today or clock.today())
    if not year.prepare():
        return None
    year.run()
    demo_budgets.cut_and_allocate(year.head, year.today.year, year.today)
    create_casework(year.clerk, year.clock, year.today, year.rnd)
    summary = year_summary(db)
    with AppContext(db, SYSTEM).tx(None) as tx:
        tx.audit("create", "relief_request",
                 summary=f"{AUDIT_PREFIX}：一年的救助申请 {summary.requests} 件、审核 {summary.reviews} 条、"
                         f"公示 {summary.notices} 次、发放批次 {summary.batches} 个")
    return summary
