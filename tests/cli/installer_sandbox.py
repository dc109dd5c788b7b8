"""A copy of the installer scripts in a temporary checkout whose .venv is already set up
(a `zhibang` that runs this tree's package), and fake system tools that record being called:
the scripts run for real without touching apt, pip or the network."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAKE_TOOLS = ("python3", "apt-get", "dpkg-query", "sudo", "pip")


@dataclass
class Sandbox:
    root: Path
    calls: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "ZHIBANG_VENV", "ZHIBANG_DB",
                            "ZHIBANG_USER", "ZHIBANG_PASSWORD")}
        env["PATH"] = f"{self.root / 'fake-bin'}:{env.get('PATH', '')}"
        env.update(extra)
        return env

    def run(self, command: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", command], cwd=self.root, env=self.env(**extra), capture_output=True,
                              text=True, timeout=120)

    def tool_calls(self) -> list[str]:
        return self.calls.read_text(encoding="utf-8").splitlines() if self.calls.exists() else []

    def stamp(self) -> None:
        """What a finished set-up leaves behind."""
        digest = subprocess.run(["bash", "-c", "source installer/linux-common.sh; setup_hash"], cwd=self.root,
                                capture_output=True, text=True, check=True).stdout.strip()
        (self.root / ".venv" / ".zhibang-setup-app").write_text(digest + "\n", encoding="utf-8")


def make_sandbox(folder: Path) -> Sandbox:
    root = folder / "checkout"
    shutil.copytree(REPO / "installer", root / "installer")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "README.md", root / "README.md")
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    for name, module in (("zhibang", "zhibang_desktop"), ("python", None)):
        target = venv_bin / name
        run = f'exec "{sys.executable}" -m {module} "$@"' if module else f'exec "{sys.executable}" "$@"'
        target.write_text(f'#!/bin/sh\nPYTHONPATH="{REPO}" {run}\n', encoding="utf-8")
        target.chmod(0o755)
    calls = folder / "tool-calls.txt"
    fake = root / "fake-bin"
    fake.mkdir()
    for tool in FAKE_TOOLS:
        path = fake / tool
        path.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\nexit 1\n', encoding="utf-8")
        path.chmod(0o755)
    return Sandbox(root, calls)
