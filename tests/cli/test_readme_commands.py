"""The README's commands work when pasted into a fresh shell after the first one.

Every line of every ```bash block is checked: it starts with something a fresh Debian shell
has after `bash installer/run-linux.sh` (bash, .venv/bin/…, export, an env assignment — never
a bare `zhibang` or `python`), and every script or file it names exists. The safe ones run:
`--help`/`--version`, and the scripted set-up block on a temporary database (HOME is a
temporary folder, so `~/…` lands there).
"""
from __future__ import annotations

import re
import shlex

import pytest

from .installer_sandbox import REPO, make_sandbox

BLOCK = re.compile(r"```bash\n(.*?)```", re.S)
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
STARTERS = ("bash", ".venv/bin/zhibang", ".venv/bin/python", "export", "xvfb-run", "cd")


def bash_blocks() -> list[str]:
    return BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8"))


def command_lines(block: str) -> list[str]:
    """The block's commands: comments dropped, continuation lines joined."""
    out, pending = [], ""
    for raw in block.splitlines():
        line = pending + raw
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        words = shlex.split(line, comments=True)
        if words:
            out.append(line)
    return out


def program_words(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    while words and ASSIGNMENT.match(words[0]):
        words = words[1:]
    return words


ALL_LINES = [line for block in bash_blocks() for line in command_lines(block)]


def test_the_readme_has_commands_to_check():
    assert len(bash_blocks()) >= 3 and len(ALL_LINES) >= 8


@pytest.mark.parametrize("line", ALL_LINES)
def test_each_command_starts_with_what_a_fresh_shell_has_and_names_files_that_exist(line):
    words = program_words(line)
    if words[0] == "export":
        return
    if words[0] == "xvfb-run":
        words = [w for w in words[1:] if not w.startswith("-")]
    assert words[0] in STARTERS, f"`{words[0]}` is not on a fresh shell's PATH: {line}"
    if words[0] == "bash":
        assert (REPO / words[1]).is_file(), line
    if words[0] == ".venv/bin/python":
        script = next(w for w in words[1:] if not w.startswith("-"))
        assert script == "-m" or (REPO / script).is_file(), line


def scripted_setup_block() -> str:
    return next(b for b in bash_blocks() if " init " in b)


@pytest.fixture
def sandbox(tmp_path):
    box = make_sandbox(tmp_path)
    box.stamp()
    return box


def test_the_help_and_version_lines_run(sandbox):
    lines = [line for line in ALL_LINES if program_words(line)[-1] in ("--help", "--version")]
    assert lines, "the README shows how to see the commands"
    for line in lines:
        done = sandbox.run(line, HOME=str(sandbox.root / "home"))
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "zhibang" in done.stdout


def test_the_scripted_set_up_runs_as_written(sandbox):
    home = sandbox.root / "home"
    home.mkdir()
    done = sandbox.run("set -e\n" + scripted_setup_block(), HOME=str(home))
    assert done.returncode == 0, done.stdout + done.stderr
    databases = list(home.glob("*.sqlite3"))
    assert len(databases) == 1, "the set-up wrote its database under ~"
    listed = sandbox.run(f".venv/bin/zhibang --db {databases[0]} --user admin user list",
                         HOME=str(home), ZHIBANG_PASSWORD=_admin_password(scripted_setup_block()))
    assert listed.returncode == 0, listed.stderr
    assert "lihua" in listed.stdout or "lihua" in done.stdout


def _admin_password(block: str) -> str:
    match = re.search(r"ZHIBANG_PASSWORD='([^']+)'", block)
    assert match, "the set-up block sets the administrator's password"
    return match.group(1)
