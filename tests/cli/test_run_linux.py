"""installer/run-linux.sh: set up once, then start at once (no apt, no pip); arguments go to
`zhibang`, so the CLI is there too; with no display the GUI says what is missing and exits 1
instead of Qt's abort (134) and its "reinstall" hint."""
from __future__ import annotations

import pytest

from zhibang_desktop.cli.display import display_missing

from .installer_sandbox import make_sandbox


@pytest.fixture
def sandbox(tmp_path):
    box = make_sandbox(tmp_path)
    box.stamp()
    return box


def test_a_set_up_checkout_starts_without_apt_or_pip_and_passes_arguments_to_zhibang(sandbox):
    done = sandbox.run("bash installer/run-linux.sh --version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("zhibang ")
    helped = sandbox.run("bash installer/run-linux.sh --help")
    assert helped.returncode == 0 and "init" in helped.stdout and "batch" in helped.stdout
    assert sandbox.tool_calls() == []


def test_a_changed_pyproject_sets_up_again(sandbox):
    with open(sandbox.root / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write("\n# a new dependency\n")
    done = sandbox.run("bash installer/run-linux.sh --version")
    assert done.returncode != 0  # the fake python3 fails the version check: set-up was attempted
    assert any(call.startswith("python3") for call in sandbox.tool_calls())


def test_without_a_display_the_gui_says_what_is_missing_in_chinese_and_english(sandbox):
    done = sandbox.run("bash installer/run-linux.sh")
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "没有图形桌面" in done.stderr and "no desktop session" in done.stderr
    assert "xvfb-run -a bash installer/run-linux.sh" in done.stderr
    assert "einstall" not in done.stderr + done.stdout
    again = sandbox.run("bash installer/run-linux.sh --db other.sqlite3")
    assert again.returncode == 1 and "DISPLAY" in again.stderr
    assert not (sandbox.root / "other.sqlite3").exists()


@pytest.mark.parametrize("environ, platform, missing", [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_display_check(environ, platform, missing):
    assert bool(display_missing(environ, platform)) is missing
