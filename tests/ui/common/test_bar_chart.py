"""The horizontal bar chart's labels: a long union level is wrapped onto the lines its bar's band
has room for, and elided in the middle only when even those are too few."""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

from zhibang_desktop.ui.common.widgets.bar_chart import BarChart, Series, fitted_label

LONG = "镇（街）或区直局（系统）工会"


def test_a_long_label_is_wrapped_when_the_band_has_room_for_two_lines(qtbot):
    chart = BarChart(horizontal=True)
    qtbot.addWidget(chart)
    fm = QFontMetrics(chart.font())
    half = fm.horizontalAdvance(LONG) * 0.6
    assert fitted_label(fm, LONG, QRectF(0, 0, half, fm.height() * 2.5)) == LONG
    squeezed = fitted_label(fm, LONG, QRectF(0, 0, half, fm.height() * 1.2))
    assert squeezed != LONG and "…" in squeezed and fm.horizontalAdvance(squeezed) <= half
    assert fitted_label(fm, "基层工会", QRectF(0, 0, half, fm.height())) == "基层工会"


def test_the_dashboard_sized_chart_paints_with_the_long_label(qtbot):
    chart = BarChart(horizontal=True)
    qtbot.addWidget(chart)
    chart.set_data(["基层工会", LONG, "增城区总工会"], [Series("超期", (2, 2, 1))])
    chart.resize(390, 300)
    chart.show()
    qtbot.waitExposed(chart)
    assert not chart.grab().isNull()
