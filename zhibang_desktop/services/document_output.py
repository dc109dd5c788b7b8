"""Writing a document from a service: the writer's cancel and file errors in the services' terms."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..documents.output import Cancelled as DocCancelled
from ..documents.output import CancelFn, DocumentWriteError, ProgressFn, Target
from .errors import Cancelled, ServiceError


def write_cancellable(writer: Callable[..., Any], doc: Any, target: Target, progress: ProgressFn | None,
                      cancelled: CancelFn | None, cancelled_message: str = "已取消，未生成文件") -> Any:
    """``writer(doc, target, progress=, cancelled=)``; a cancel leaves nothing at ``target``."""
    try:
        return writer(doc, target, progress=progress, cancelled=cancelled)
    except DocCancelled as exc:
        raise Cancelled(cancelled_message) from exc
    except (OSError, DocumentWriteError) as exc:
        raise ServiceError(f"无法写入文件：{getattr(exc, 'strerror', None) or exc}") from exc
