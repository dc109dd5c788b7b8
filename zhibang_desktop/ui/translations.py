"""Qt's own texts (standard buttons, file and print dialogs, context menus) in Chinese.

PySide6 ships qtbase_zh_CN, but its QFileDialog entries predate the dialog's current
labels ("&Look in:", "Files of &type:" are missing): a small translator fills those in.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

# (context, source text) → Chinese, for texts qtbase_zh_CN does not translate.
MISSING_IN_QTBASE = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class _MissingTexts(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):
        return MISSING_IN_QTBASE.get((context, source_text))  # None: ask the next translator

    def isEmpty(self) -> bool:
        return False


def install_translations(app: QCoreApplication) -> bool:
    """Install the Chinese Qt translations once per application; False if Qt's file is absent."""
    if app.property("zhibang_translations"):
        return True
    qtbase = QTranslator(app)
    loaded = qtbase.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.TranslationsPath))
    if loaded:
        app.installTranslator(qtbase)
    app.installTranslator(_MissingTexts(app))  # installed last: asked first, declines the rest
    app.setProperty("zhibang_translations", True)
    return loaded
