"""Message boxes in Chinese, and a guard that turns service errors into them."""
from __future__ import annotations

from typing import Callable, TypeVar

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ...services.errors import ServiceError, ValidationFailed

T = TypeVar("T")
DETAIL_WIDTH = 440


def _box(parent, icon, title: str, text: str, detail: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.button(QMessageBox.Ok).setText("确定")
    if detail:
        box.setInformativeText(detail)
        # The box is as wide as its first line; Chinese breaks anywhere, so a list of problems
        # under a short line came out broken mid-word (联系电 / 话).
        box.findChild(QLabel, "qt_msgbox_informativelabel").setMinimumWidth(DETAIL_WIDTH)
    return box


def info(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Information, title, text, detail).exec()


def warn(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Warning, title, text, detail).exec()


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Critical, title, text, detail).exec()


def ask(parent: QWidget | None, title: str, text: str, yes: str = "是", no: str = "否",
        default_yes: bool = False) -> bool:
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
    box.button(QMessageBox.Yes).setText(yes)
    box.button(QMessageBox.No).setText(no)
    box.setDefaultButton(QMessageBox.Yes if default_yes else QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def problems_text(exc: ValidationFailed) -> str:
    return "\n".join(f"• {p.label}：{p.message}" for p in exc.problems)


def show_service_error(parent: QWidget | None, exc: ServiceError, title: str = "无法完成") -> None:
    if isinstance(exc, ValidationFailed) and exc.problems:
        warn(parent, title, "请修改以下内容后重试：", problems_text(exc))
    else:
        warn(parent, title, str(exc))


def guarded(parent: QWidget | None, fn: Callable[..., T], *args, title: str = "无法完成", **kwargs) -> T | None:
    """Call a service function; on a ServiceError show it and return None."""
    try:
        return fn(*args, **kwargs)
    except ServiceError as exc:
        show_service_error(parent, exc, title)
        return None
