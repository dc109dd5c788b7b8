"""Names a service package offers but loads when first used (PEP 562): for packages whose
parts bring reportlab or openpyxl, which a page that only reads does not need at its start."""
from __future__ import annotations

import importlib
from typing import Callable


def lazy_exports(package: str, namespace: dict, where: dict[str, str]) -> Callable[[str], object]:
    """The package's module `__getattr__`: `where` maps a name to the submodule (".annual_check")
    that defines it; the name is imported on first use and kept in the package's `namespace`."""
    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value
    return __getattr__

