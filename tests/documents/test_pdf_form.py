"""FormDocument: embedded fonts, Chinese text, opinion blocks, page numbering."""

from __future__ import annotations

import io

import pytest

from zhibang_desktop.documents.output import Cancelled
from zhibang_desktop.documents.pdf_form import Cell, Field, FormDocument

from .pdf_tools import assert_all_fonts_embedded, pdftotext

CASE = "申请人因膝关节手术，医疗费用较大，家庭生活困难。"


def approval_form(case_text: str = CASE) -> FormDocument:
    form = FormDocument(
        "困难职工救助申请审批表",
        ["（紧急救助）"],
        meta_left="编号：ZC-2026-0001",
        meta_right="填表日期：2026年3月5日",
        page_footer_text="审计链头 abc123",
    )
    form.add_fields(
        [
            Field("姓名", "张三"),
            Field("性别", "男"),
            Field("家庭人口", 4),
            Field("身份证号", "440183199001011234", span=2),
            Field("联系电话", "13800138000"),
            Field("家庭住址", "广州市增城区荔城街某某路12号", span=3),
        ],
        heading="申请人基本情况",
    )
    form.add_table(
        ["姓名", "关系", "年龄", "身份/单位", "月收入（元）"],
        [["李四", "配偶", 40, "无业", "0.00"]],
        [25, 20, 15, 60, 30],
        heading="家庭成员",
        min_rows=3,
    )
    form.add_grid(
        [[Cell("以往救助", label=True, rowspan=2), Cell("日期", label=True),
          Cell("金额（元）", label=True)],
         ["2025-06-01", "500.00"]],
        [24, 73, 73],
    )
    form.add_text_block("困难情况", case_text)
    form.add_opinion("基层工会意见", "情况属实，建议救助 2,000 元。")
    form.add_opinion("区总工会意见", date_text="2026年3月12日")
    form.add_paragraph("附件：1. 身份证复印件；2. 病历及费用清单；3. 公示结果。")
    return form


def test_form_fonts_embedded_and_text(tmp_path):
    path = tmp_path / "form.pdf"
    pages = approval_form().write(path)
    assert pages == 1
    assert_all_fonts_embedded(path)
    (text,) = pdftotext(path)
    for expected in ["困难职工救助申请审批表", "编号：ZC-2026-0001", "申请人基本情况",
                     "440183199001011234", "家庭成员", "以往救助", "困难情况",
                     "情况属实，建议救助 2,000 元。", "基层工会意见", "（盖章）",
                     "2026年3月12日", "第 1 页 共 1 页", "审计链头 abc123"]:
        assert expected in text, expected
    assert text.count("负责人：") == 2
    assert "年 月 日" in " ".join(text.split())  # blank date of the first opinion


def test_long_case_text_continues_on_next_page(tmp_path):
    path = tmp_path / "long.pdf"
    long_text = "申请人长期患病，家庭收入微薄，子女上学负担重。" * 120
    count = approval_form(long_text).write(path)
    assert count >= 2
    pages = pdftotext(path)
    assert len(pages) == count
    for n, page in enumerate(pages, 1):
        assert f"第 {n} 页 共 {count} 页" in page
    assert_all_fonts_embedded(path)


def test_form_to_file_object_and_cancel(tmp_path):
    buffer = io.BytesIO()
    approval_form().write(buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        approval_form().write(target, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_grid_rejects_rows_wider_than_columns():
    form = FormDocument("表")
    with pytest.raises(ValueError):
        form.add_grid([[Cell("a", colspan=3)]], [10, 10])
