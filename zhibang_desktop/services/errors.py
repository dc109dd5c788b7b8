"""Errors every service may raise. Messages are Chinese and say what to do."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.idnumber import mask_numbers_in_text


class ServiceError(Exception):
    """Base: `str(exc)` is a message for the user."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class Ambiguous(ServiceError):
    """A number names several records — in a city union's database an ID or archive number may
    be on file in two counties; the message names them."""


class Conflict(ServiceError):
    """The record changed since it was read (another window saved first)."""


@dataclass(frozen=True)
class FieldProblem:
    field: str  # code name, e.g. "id_number" or "members[2].id_number"
    label: str  # 中文 label
    message: str

    def __post_init__(self) -> None:
        # a message never echoes a full ID or card number (issue 10)
        object.__setattr__(self, "message", mask_numbers_in_text(self.message))

    def __str__(self) -> str:
        return f"{self.label}：{self.message}"


class StorageError(ServiceError):
    """The disk refused a write (I/O error, damaged file); the transaction was rolled back."""


class StorageFull(StorageError):
    """The disk (or the database size limit) is full; the transaction was rolled back."""


class ConnectionLost(StorageError):
    """The database server went away mid-transaction; nothing of it was saved, retrying is safe."""


class ValidationFailed(ServiceError):
    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("；".join(str(p) for p in problems))


class Cancelled(ServiceError):
    """The user cancelled a long operation (import, export, demo data); nothing was changed."""

    def __init__(self, message: str = "操作已取消，未做任何更改"):
        super().__init__(message)
