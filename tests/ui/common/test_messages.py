"""The message boxes: a list of problems under a short first line is not broken mid-word."""
from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QMessageBox

from zhibang_desktop.ui.common import messages


def test_a_problem_line_is_not_squeezed_to_the_first_lines_width(qtbot):
    line = "• 联系电话：“020-827123”不像电话号码（如 020-82712345 或 13800138000）"
    box = messages._box(None, QMessageBox.Warning, "未保存", "请修改以下内容后重试：", line)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    label = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert label.text() == line
    assert label.width() >= messages.DETAIL_WIDTH
    # the field's name and its value stay on the first line (before: 联系电 / 话)
    assert label.width() >= QFontMetrics(label.font()).horizontalAdvance("• 联系电话：“020-827123”不像电话号码")
    box.close()
