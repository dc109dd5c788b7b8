"""Names a service package offers but loads when first used (PEP 562): for packages whose
parts bring reportlab or openpyxl, which a page that only reads does not need at its start."""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable


def lazy_exports(package: str, namespace: dict, where: dict[str, str]) -> Callable[[str], object]:
    """The package's module `__getattr__`: `where` maps a name to the submodule (".annual_check")
    that defines it; the name is imported on first use and kept in the package's `namespace`.

    A lazy name may not be a submodule's name too: importing that submodule (from anywhere) makes
    it the package's attribute, so the name would then be the module, never looked up here."""
    clashes = sorted(set(where) & {m.name for m in pkgutil.iter_modules(namespace["__path__"])})
    if clashes:
        raise ValueError(f"{package}: lazy names that are also submodules: {', '.join(clashes)}")

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value
    return __getattr__
