"""Qt's standard buttons and dialogs speak Chinese once the application is set up."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QPushButton

from zhibang_desktop.ui.app import make_app


def test_standard_buttons_are_chinese(qtbot):
    make_app()
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])


def test_file_dialog_is_chinese(qtbot):
    make_app()
    dialog = QFileDialog(None, "导出")
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels == ["查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："]
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"保存(&S)", "取消"} <= buttons


def test_installing_twice_keeps_one_translation(qtbot):
    app = make_app()
    make_app()
    box = QDialogButtonBox(QDialogButtonBox.Yes | QDialogButtonBox.No | QDialogButtonBox.Close)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "关闭"])
    assert app.property("zhibang_translations") is True
