"""The 项目支出绩效自评表 on paper and in Excel, in seed 004's layout (documents.grid_form)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from pathlib import Path

from ...documents.output import CancelFn, ProgressFn
from ...documents.grid_form import Cell, GridForm, write_grid_pdf, write_grid_xlsx
from ..admin.settings import demo_banner
from ..errors import FieldProblem, ValidationFailed
from ..document_output import write_cancellable
from .common import READ
from .selfeval import SelfEvaluation, self_evaluation
from .selfeval_targets import Targets

WIDTHS = (16, 15, 16, 28, 18, 18, 11, 16, 36)  # mm, as the seed's nine columns


def _wan(fen: int | None) -> str:
    """Fen as 万元 with two decimals (the seed's 项目资金（万元）)."""
    if fen is None:
        return "—"
    return format((Decimal(fen) / 1000000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def _pts(x: Decimal | None) -> str:
    return "待填" if x is None else format(x.quantize(Decimal("0.01")), "f")


def _score(x: Decimal) -> str:
    text = format(x, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, label=True)


def selfeval_rows(ev: SelfEvaluation) -> tuple[tuple[Cell, ...], ...]:
    rows: list[tuple[Cell, ...]] = [
        (_label("项目名称", 2), Cell(ev.project, colspan=7)),
        (_label("主管部门", 2), Cell(ev.department, colspan=3), _label("实施单位"), Cell(ev.implementer, colspan=3)),
        (_label("项目资金（万元）", 1, len(ev.funds) + 1), Cell("", colspan=2), _label("年初预算数"), _label("全年预算数"),
         _label("全年执行数"), _label("分值"), _label("执行率"), _label("得分")),
    ]
    for n, f in enumerate(ev.funds):
        tail = (Cell(_score(ev.funds_score), align="right"), Cell(ev.execution_text, align="right"),
                Cell(_pts(ev.funds_points), align="right")) if n == 0 else (Cell("—"), Cell(""), Cell(""))
        rows.append((Cell(f.label, colspan=2), Cell(_wan(f.initial_fen), align="right"), Cell(_wan(f.annual_fen), align="right"),
                     Cell(_wan(f.executed_fen), align="right")) + tail)
    rows += [
        (_label("年度总体目标", 2, 2), _label("预期目标", 3), _label("实际完成情况", 4)),
        (Cell(ev.goal, colspan=3), Cell(ev.achieved, colspan=4)),
        (_label("绩效指标", 1, len(ev.lines) + 1), _label("一级指标"), _label("二级指标"), _label("三级指标"),
         _label("年度指标值"), _label("实际完成值"), _label("分值"), _label("得分"), _label("偏差原因分析及改进措施")),
    ]
    lines = list(ev.lines)
    level1_spans = {}
    i = 0
    for key, group in groupby(lines, key=lambda ln: ln.level1):
        n = len(list(group))
        level1_spans[i] = (key, n)
        i += n
    level2_spans = {}
    i = 0
    for key, group in groupby(lines, key=lambda ln: (ln.level1, ln.level2)):
        n = len(list(group))
        level2_spans[i] = (key[1], n)
        i += n
    for i, ln in enumerate(lines):
        cells: list[Cell] = []
        if i in level1_spans:
            name, n = level1_spans[i]
            total = sum((x.score for x in lines if x.level1 == name), Decimal(0))
            cells.append(Cell(f"{name}（{_score(total)}分）", rowspan=n, align="center"))
        if i in level2_spans:
            name, n = level2_spans[i]
            cells.append(Cell(name, rowspan=n, align="center"))
        cells += [Cell(ln.name), Cell(ln.target_text, align="center"), Cell(ln.actual_text or "待填", align="center"),
                  Cell(_score(ln.score), align="right"), Cell(_pts(ln.points), align="right"), Cell(ln.note)]
        rows.append(tuple(cells))
    rows.append((_label("总分", 6), Cell(_score(ev.total_score), align="right"),
                 Cell(_pts(ev.total_points), align="right"), Cell("")))
    return tuple(rows)


def selfeval_form(ev: SelfEvaluation, banner: str = "") -> GridForm:
    return GridForm("项目支出绩效自评表", f"（{ev.year}年度）", ev.office, WIDTHS, selfeval_rows(ev),
                    f"制表人：{ev.prepared_by}　　　审核人：____________　　　负责人：____________",
                    f"{ev.implementer}（盖章）　　　　年　　月　　日", banner or None)


def export_selfeval(ctx, year: int, targets: Targets | str | Path, path, unit_id: int | None = None, *,
                    progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> Path:
    """Write the filled-in 绩效自评表 (.xlsx or .pdf) and record the export or print; a cancel
    leaves no file and no record."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationFailed([FieldProblem("out", "输出文件", f"“{out.name}”应以 .pdf 或 .xlsx 结尾")])
    ev = self_evaluation(ctx, year, targets, unit_id)
    with ctx.tx(READ, read_only=True) as tx:
        form = selfeval_form(ev, demo_banner(tx.session))
    if suffix == ".pdf":
        pages = write_cancellable(write_grid_pdf, form, out, progress, cancelled)
        action, summary = "print", f"打印{year}年度项目支出绩效自评表（{ev.project}，{pages} 页）"
    else:
        write_cancellable(write_grid_xlsx, form, out, progress, cancelled)
        action, summary = "export", f"导出{year}年度项目支出绩效自评表（{ev.project}，Excel）"
    with ctx.tx(READ) as tx:
        tx.audit(action, "self_evaluation", year, summary=summary)
    return out
