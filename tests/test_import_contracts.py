"""The layers of DESIGN.md §4 hold: `lint-imports` checks the contracts in pyproject.toml
([tool.importlinter]): ui and cli above the demo, above the services, above documents and
storage, above domain; ui and cli never import storage; the service packages build on each
other in one direction; no import cycles among the services' modules."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> str:
    beside_python = Path(sys.executable).with_name("lint-imports")
    return str(beside_python) if beside_python.exists() else shutil.which("lint-imports") or "lint-imports"


def test_import_contracts_are_kept():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
