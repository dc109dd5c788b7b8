"""Follow-ups, complaints and cross-check lists (issue 18).

    zhibang followup list [--due] [--json]
    zhibang followup add LINE --date D --by NAME [--method phone|visit] [--not-reached]
                         [--arrived 是|否] [--satisfaction 满意|基本满意|不满意] [--needs TEXT]
    zhibang complaint add --received D --channel 电话 --complainant NAME --content TEXT
                          [--contact C] [--household ARCHIVE_NO_OR_ID] [--request NO]
    zhibang complaint handle NUMBER --handling TEXT [--result TEXT --fault 是|否 --close]
    zhibang complaint list [--open] [--overdue] [--json]
    zhibang import crosscheck FILE.xlsx --source 民政 [--date D] [--json]
"""
from __future__ import annotations

from ..domain import clock
from ..domain.casework import COMPLAINT_CHANNELS, COMPLAINT_STATUSES, FOLLOWUP_METHODS, SATISFACTION
from ..domain.money import format_yuan
from .env import InvalidInput, arg, command, group, parse_date

YES_NO = {"是": True, "否": False, "yes": True, "no": False}


def register(sub) -> None:
    follow = group(sub, "followup", "发放后回访")
    command(follow, "list", "应回访的已发放明细（--due：尚未回访的）", run_followup_list,
            arg("--due", action="store_true", help="只列尚未联系上本人回访的"))
    command(follow, "add", "登记一次回访", run_followup_add,
            arg("line", type=int, help="发放明细号（followup list 的“明细”列）"),
            arg("--date", required=True, help="回访日期，如 2026-03-25"), arg("--by", required=True, help="回访人"),
            arg("--method", default="phone", choices=sorted(FOLLOWUP_METHODS), help="phone 电话、visit 上门"),
            arg("--not-reached", action="store_true", help="未联系上本人"),
            arg("--arrived", choices=sorted(YES_NO), help="资金是否到账"),
            arg("--satisfaction", choices=list(SATISFACTION.values()), help="满意度"),
            arg("--needs", default="", help="后续需求"))
    comp = group(sub, "complaint", "信访与投诉")
    command(comp, "add", "登记投诉（办理期限按工作日计）", run_complaint_add,
            arg("--received", required=True, help="收到日期"),
            arg("--channel", required=True, choices=list(COMPLAINT_CHANNELS.values()), help="来源方式"),
            arg("--complainant", required=True, help="投诉人（不愿留名写“匿名”）"),
            arg("--content", required=True, help="投诉内容"), arg("--contact", default="", help="联系方式"),
            arg("--household", help="涉及的档案：档案编号或户主身份证号"), arg("--request", default="", help="涉及的救助申请编号"))
    command(comp, "handle", "登记办理情况；--close 办结", run_complaint_handle,
            arg("number", help="投诉编号，如 TS2026-001"), arg("--handling", required=True, help="办理情况"),
            arg("--result", default="", help="办理结果"), arg("--fault", choices=sorted(YES_NO), help="本单位是否有责"),
            arg("--close", action="store_true", help="办结"))
    command(comp, "list", "投诉列表", run_complaint_list,
            arg("--open", action="store_true", help="只列办理中的"),
            arg("--overdue", action="store_true", help="只列已超过办理期限仍未办结的"))
    imports = group(sub, "import", "从 Excel 导入")
    command(imports, "crosscheck", "导入部门比对名单，与档案户主及家庭成员按身份证号比对", run_import_crosscheck,
            arg("file", help="名单文件 .xlsx（身份证号及名单所说的情况）"),
            arg("--source", required=True, help="名单来源：民政、人社、残联、医保、住建、公安"),
            arg("--date", help="名单日期（默认今天）"))


def _followup_json(d) -> dict:
    return {"line": d.line_id, "batch": d.batch_number, "name": d.name, "unit": d.unit_name,
            "relief_type": d.relief_type_label, "amount_fen": d.amount_fen, "paid_on": d.paid_on, "due_on": d.due_on,
            "sample_percent": d.sample_percent, "done": d.done,
            "followups": [{"date": f.followup_date, "method": f.method, "by": f.by_name, "reached": f.reached,
                           "money_arrived": f.money_arrived, "satisfaction": f.satisfaction, "needs": f.needs}
                          for f in d.followups]}


def run_followup_list(args, env) -> int:
    from ..services import casework

    rows = env.run(casework.followup_list, env.context(), due_only=args.due)
    today = clock.today()
    lines = [f"明细 {d.line_id}｜{d.batch_number}｜{d.name}｜{d.unit_name}｜{format_yuan(d.amount_fen)} 元｜"
             f"{d.paid_on.isoformat()} 发放｜{d.due_on.isoformat()} 前回访｜"
             + ("已回访" if d.done else (f"逾期 {d.overdue_days(today)} 天" if d.overdue_days(today) else "待回访"))
             for d in rows]
    env.out([_followup_json(d) for d in rows], "\n".join(lines) or "没有应回访的明细")
    return 0


def run_followup_add(args, env) -> int:
    from ..services import casework

    satisfaction = next((k for k, v in SATISFACTION.items() if v == args.satisfaction), None)
    data = casework.FollowUpInput(args.line, args.method, parse_date(args.date), args.by, not args.not_reached,
                                  YES_NO.get(args.arrived) if args.arrived else None, satisfaction, args.needs)
    d = env.run(casework.record_followup, env.context(), data)
    env.out(_followup_json(d), f"已登记回访：{d.name}（{'已联系上' if d.done else '尚未联系上本人'}）")
    return 0


def _household_id(env, ctx, ref: str | None) -> int | None:
    """The household an archive number or a head's ID number names (within the user's scope; in a
    city's database a number on file in two counties is refused naming them)."""
    if not ref:
        return None
    from ..services.archive import printing

    return env.run(printing.find_household, ctx, ref)


def _complaint_json(c) -> dict:
    return {"number": c.number, "received_on": c.received_on, "channel": COMPLAINT_CHANNELS.get(c.channel, c.channel),
            "complainant": c.complainant, "unit": c.unit_name, "household": c.household_name,
            "request": c.request_number, "content": c.content, "due_date": c.due_date, "due_warning": c.due_warning,
            "status": COMPLAINT_STATUSES.get(c.status, c.status), "handling": c.handling, "result": c.result,
            "at_fault": c.at_fault, "closed_on": c.closed_on}


def _complaint_line(c, today) -> str:
    late = c.overdue_days(today)
    state = COMPLAINT_STATUSES[c.status] + (f"，超期 {late} 天" if late else "")
    fault = "" if c.at_fault is None else ("，有责" if c.at_fault else "，无责")
    return (f"{c.number}｜{c.received_on.isoformat()} {COMPLAINT_CHANNELS.get(c.channel, c.channel)}｜{c.complainant}｜"
            f"{c.household_name or c.unit_name}｜期限 {c.due_date.isoformat()}｜{state}{fault}｜{c.content}")


def run_complaint_add(args, env) -> int:
    from ..services import casework

    ctx = env.context()
    channel = next(k for k, v in COMPLAINT_CHANNELS.items() if v == args.channel)
    data = casework.ComplaintInput(parse_date(args.received), channel, args.complainant, args.content, args.contact,
                                   _household_id(env, ctx, args.household), args.request)
    c = env.run(casework.add_complaint, ctx, data)
    text = f"已登记投诉 {c.number}，办理期限 {c.due_date.isoformat()}" + (f"（{c.due_warning}）" if c.due_warning else "")
    env.out(_complaint_json(c), text)
    return 0


def run_complaint_handle(args, env) -> int:
    from ..services import casework

    ctx = env.context()
    found = [c for c in env.run(casework.list_complaints, ctx) if c.number == args.number.strip()]
    if not found:
        raise InvalidInput(f"找不到投诉 {args.number}")
    c = found[0]
    fault = YES_NO[args.fault] if args.fault else None
    c = env.run(casework.handle_complaint, ctx, c.id, c.version, args.handling, args.result, fault, args.close)
    env.out(_complaint_json(c), _complaint_line(c, clock.today()))
    return 0


def run_complaint_list(args, env) -> int:
    from ..services import casework

    rows = env.run(casework.list_complaints, env.context(), status="open" if args.open else None,
                   overdue_only=args.overdue)
    today = clock.today()
    env.out([_complaint_json(c) for c in rows], "\n".join(_complaint_line(c, today) for c in rows) or "没有投诉记录")
    return 0


def finding_json(f) -> dict:
    return {"id_number": f.id_number, "name": f.name, "household": f"{f.archive_no} {f.household_name}",
            "finding": f.finding, "list_says": f.list_says}


def run_import_crosscheck(args, env) -> int:
    from ..services import casework

    res = env.run(casework.import_crosscheck, env.context(), args.file, args.source, parse_date(args.date))
    if not res.ok:
        details = [f"{f'第 {p.row} 行' if p.row else '文件'}{f'〔{p.column}〕' if p.column else ''}：{p.reason}"
                   + (f"（原值：{p.value}）" if p.value and p.row else "") for p in res.problems]
        raise InvalidInput(f"名单有 {len(res.problems)} 处问题，未导入任何数据", details[:200])
    head = (f"已导入{res.source}名单（{res.list_date.isoformat()}，{res.rows} 行，SHA-256 {res.sha256[:16]}…）"
            + ("，替换了此前导入的同一名单" if res.replaced else "")
            + f"；与档案匹配 {res.matched} 人，发现 {len(res.findings)} 条需核实：")
    lines = [f"  {f.archive_no} {f.household_name}｜{f.name}｜{f.finding}｜名单：{f.list_says}" for f in res.findings]
    env.out([finding_json(f) for f in res.findings], "\n".join([head, *lines]))
    return 0
