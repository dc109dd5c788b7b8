"""services.reports and services.exchange offer every name they did, the document and workbook
parts loaded on first use (a page that only reads does not load reportlab or openpyxl)."""
from __future__ import annotations

import pytest

from tests.fresh_process import heavy_loaded, last_line_of


@pytest.mark.parametrize("package,light", [
    ("reports", "dashboard"),
    ("exchange", "IMPORT"),
])
def test_names_load_when_first_used(package, light):
    probe = ("import sys\n"
             f"from zhibang_desktop.services import {package} as p\n"
             f"p.{light}\n"
             f"before = {heavy_loaded(('openpyxl', 'reportlab'))}\n"
             "missing = [n for n in p.__all__ if getattr(p, n, None) is None]\n"
             f"print(before, missing, {heavy_loaded(('openpyxl',))})\n")
    assert last_line_of(probe) == "[] [] ['openpyxl']"


@pytest.mark.parametrize("package", ["reports", "exchange"])
def test_every_name_is_what_it_was_after_any_submodule_is_imported(package):
    """Importing a submodule makes it an attribute of its package: no offered name may be one."""
    probe = ("import importlib, inspect, pkgutil\n"
             f"from zhibang_desktop.services import {package} as p\n"
             "for m in pkgutil.iter_modules(p.__path__):\n"
             "    importlib.import_module(f'{p.__name__}.{m.name}')\n"
             "print([n for n in p.__all__ if inspect.ismodule(getattr(p, n))])\n")
    assert last_line_of(probe) == "[]"


def test_a_lazy_name_that_is_also_a_submodule_is_refused(tmp_path):
    from zhibang_desktop.services.lazy_exports import lazy_exports

    (tmp_path / "helpers.py").write_text("def helpers():\n    return 1\n")
    with pytest.raises(ValueError, match="helpers"):
        lazy_exports("pkg", {"__path__": [str(tmp_path)]}, {"helpers": ".helpers"})


def test_an_unknown_name_is_still_an_attribute_error():
    from zhibang_desktop.services import exchange, reports

    for package in (exchange, reports):
        with pytest.raises(AttributeError, match="no_such_name"):
            package.no_such_name  # noqa: B018
