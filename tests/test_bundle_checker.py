"""installer/check_bundle.py runs every `print …` and `export …` sub-command of the built program:
its lists must follow the CLI's. Its file checks must catch a bad output."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from zhibang_desktop.cli import build_parser

CHECKER = Path(__file__).resolve().parent.parent / "installer" / "check_bundle.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_bundle", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sub_commands(parser, *path: str) -> set[str]:
    for name in path:
        action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        parser = action.choices[name]
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(action.choices)


def test_every_print_and_export_command_is_run_on_the_built_program(checker):
    parser = build_parser()
    assert set(checker.PRINT_COMMANDS) == _sub_commands(parser, "print")
    assert set(checker.EXPORT_COMMANDS) == _sub_commands(parser, "export")


def test_the_version_the_bundle_must_report_is_the_package_version(checker):
    from zhibang_desktop import __version__

    assert checker.Checker.expected_version() == __version__


def test_a_broken_output_file_is_a_failure(checker, tmp_path):
    not_a_book = tmp_path / "x.xlsx"
    not_a_book.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    with pytest.raises(checker.Failed):
        checker.Checker.output_is_sound(not_a_book)
    with pytest.raises(checker.Failed):
        checker.Checker.output_is_sound(tmp_path / "missing.pdf")
    not_a_pdf = tmp_path / "y.pdf"
    not_a_pdf.write_bytes(b"hello")
    with pytest.raises(checker.Failed):
        checker.Checker.output_is_sound(not_a_pdf)
