"""The horizontal bar chart's labels: a long union level is wrapped onto the lines its bar's band
has room for, and elided in the middle only when even those are too few."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
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


def test_a_click_on_the_second_line_of_a_wrapped_label_opens_its_bar(qtbot):
    chart = BarChart(horizontal=True)
    qtbot.addWidget(chart)
    chart.set_data(["基层工会", LONG, "增城区总工会"], [Series("超期", (2, 2, 1))])
    fm = QFontMetrics(chart.font())
    # the label column (45 % of the width at most) about 0.7 of the label: two lines; three bands
    # 2.3 lines tall each, so the bar, 0.62 of its band, is thinner than the two lines
    chart.resize(int(fm.horizontalAdvance(LONG) * 0.7 / 0.45) + 14, int(3 * 2.3 * fm.lineSpacing()) + fm.height() + 16)
    chart.show()
    qtbot.waitExposed(chart)
    bar = chart.bar_rect(1, 0)
    band = bar.center().y() - chart.bar_rect(0, 0).center().y()
    assert fitted_label(fm, LONG, QRectF(0, 0, bar.left() - 8, band)) == LONG  # painted whole, not elided
    room = QRectF(0, bar.center().y() - 500, bar.left() - 8, 1000)  # centred on its bar, right of it 8 px
    drawn = fm.boundingRect(room.toRect(), Qt.AlignRight | Qt.AlignVCenter | Qt.TextWrapAnywhere, LONG)
    assert drawn.height() >= 2 * fm.height()  # wrapped onto two lines
    on_second_line = QPoint(drawn.right() - 2, drawn.bottom() - 2)
    assert on_second_line.y() > bar.bottom()  # below the bar's thickness
    with qtbot.waitSignal(chart.barClicked, timeout=1000) as clicked:
        qtbot.mouseClick(chart, Qt.LeftButton, pos=on_second_line)
    assert clicked.args == [1, -1]
