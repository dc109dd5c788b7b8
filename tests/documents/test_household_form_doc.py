"""Forms printed one household after another (档案表, 走访表): each form is made when the one
before it is on its pages, so a print of thousands holds one household's flowables; the pages
still say 第 N 页 共 M 页 of the whole document."""
from __future__ import annotations

import gc
import io
import weakref

import pytest

from zhibang_desktop.documents.household_form_doc import BatchForm, FormBatch
from zhibang_desktop.documents.output import Cancelled
from zhibang_desktop.documents.pdf_form import Field

from .pdf_tools import assert_all_fonts_embedded, pdftotext

FORMS = 12


def one(doc: BatchForm, n: int) -> None:
    doc.next_form("石滩恒昌纸品厂工会", f"档案编号：ZC2026{n:05d}", "建档日期：2026年3月1日")
    doc.add_fields([Field("姓名", f"户主{n}"), Field("家庭住址", "增城区荔城街" * 30, span=2)], heading="户主基本情况")
    doc.keep_space(200)  # a new page: forms of two pages


def test_a_form_is_made_after_the_one_before_is_laid_out_and_let_go(tmp_path):
    made: list[list[weakref.ref]] = []
    alive_when_made: list[int] = []

    def tracked(doc: BatchForm, n: int) -> None:
        gc.collect()
        alive_when_made.append(sum(1 for refs in made for ref in refs if ref() is not None))
        one(doc, n)
        made.append([weakref.ref(f) for f in doc._story])

    out = tmp_path / "forms.pdf"
    doc = BatchForm("困难职工家庭档案表", office="增城区总工会", banner=None, footer="内部存档")
    pages = FormBatch(doc, tracked).write(list(range(1, FORMS + 1)), out)

    assert pages > FORMS
    assert max(alive_when_made) <= len(made[0])  # at most the form before, never the whole print
    assert_all_fonts_embedded(out)
    texts = ["".join(p.split()) for p in pdftotext(out)]
    assert len(texts) == pages
    starts = [t for t in texts if "档案编号：" in t]
    assert [f"户主{n}" in t for n, t in enumerate(starts, start=1)] == [True] * FORMS  # each from a new page
    assert all(f"第{i}页共{pages}页" in t for i, t in enumerate(texts, start=1))


def test_progress_counts_the_forms_and_cancel_stops_between_them():
    seen: list[tuple[int, int]] = []
    doc = BatchForm("入户走访表", office="增城区总工会", banner=None, footer="")
    FormBatch(doc, one).write(list(range(5)), io.BytesIO(), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(i, 5) for i in range(6)]

    asked = []
    doc = BatchForm("入户走访表", office="增城区总工会", banner=None, footer="")
    with pytest.raises(Cancelled):
        FormBatch(doc, one).write(list(range(5)), io.BytesIO(), cancelled=lambda: asked.append(1) or len(asked) > 3)


def test_a_print_goes_into_a_file_beside_its_target_and_replaces_it_only_when_complete(tmp_path):
    """The PDF is written as it is made (no second copy of it in memory), into a temporary file in
    the same folder; the clerk's earlier file at the target stays as it was until the new one is
    complete, and a cancelled print leaves it and nothing else."""
    out = tmp_path / "档案表.pdf"
    out.write_bytes(b"the earlier print")
    during = []

    def watched(doc: BatchForm, n: int) -> None:
        during.append((out.read_bytes(), sorted(p.name for p in tmp_path.iterdir())))
        one(doc, n)

    doc = BatchForm("困难职工家庭档案表", office="增城区总工会", banner=None, footer="内部存档")
    pages = FormBatch(doc, watched).write(list(range(1, 4)), out)

    assert all(old == b"the earlier print" and len(names) == 2 for old, names in during)
    assert any(name.startswith(".~档案表.") for name in during[0][1])
    assert [p.name for p in tmp_path.iterdir()] == ["档案表.pdf"] and len(pdftotext(out)) == pages

    doc = BatchForm("困难职工家庭档案表", office="增城区总工会", banner=None, footer="内部存档")
    out.write_bytes(b"the earlier print")
    with pytest.raises(Cancelled):
        FormBatch(doc, one).write(list(range(1, 4)), out, cancelled=lambda: True)
    assert out.read_bytes() == b"the earlier print" and [p.name for p in tmp_path.iterdir()] == ["档案表.pdf"]
