"""What `zhibang check` reports: one item per check, and the whole report."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    detail: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    items: list[CheckItem] = field(default_factory=list)
