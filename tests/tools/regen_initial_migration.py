"""Regenerate the initial migration from the models (only while nothing has shipped).

Usage: python tests/tools/regen_initial_migration.py
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from zhibang_desktop.storage.migrate import alembic_config

VERSIONS = Path(__file__).resolve().parents[2] / "zhibang_desktop" / "storage" / "migrations" / "versions"

for old in VERSIONS.glob("0001_*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine(f"sqlite:///{tmp}/empty.sqlite3")
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001",
                         version_path=str(VERSIONS))
for new in VERSIONS.glob("0001_*.py"):
    new.rename(VERSIONS / "0001_initial.py")
print("written", VERSIONS / "0001_initial.py")
