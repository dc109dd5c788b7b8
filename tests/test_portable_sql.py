"""Issue 16: no engine-specific SQL outside the engine set-up. Raw SQL (`sqlalchemy.text`,
`exec_driver_sql`), FTS5 `MATCH` and branches on the engine's dialect are written only in
`storage/`, whose engine modules keep SQLite's pragmas, the search index and PostgreSQL's
catalogue queries; everything above it builds portable statements."""
from __future__ import annotations

import re
from pathlib import Path

import zhibang_desktop

PACKAGE = Path(zhibang_desktop.__file__).parent
ABOVE_STORAGE = ("services", "cli", "ui", "documents", "domain", "demo")
# raw SQL, SQLite's pragmas and FTS5 MATCH, and any branch on the engine's dialect
RAW_SQL = re.compile(r"from sqlalchemy import[^\n]*\btext\b|exec_driver_sql|sqlalchemy\.text\(|[\"']PRAGMA\b"
                     r"|\.dialect\.name\b|op\([\"']MATCH[\"']\)")


def raw_sql_above_storage(package: Path = PACKAGE) -> list[str]:
    found = []
    for layer in ABOVE_STORAGE:
        for path in sorted((package / layer).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if RAW_SQL.search(code):
                    found.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    return found


def test_no_raw_or_engine_specific_sql_above_storage():
    assert raw_sql_above_storage() == []


def test_the_check_finds_raw_sql(tmp_path):
    fake = tmp_path / "services"
    fake.mkdir()
    (fake / "bad.py").write_text('from sqlalchemy import select, text\nrows = s.execute(text("PRAGMA integrity_check"))\n'
                                 'if s.get_bind().dialect.name == "sqlite":\n'
                                 '    q = select(t.c.rowid).where(literal_column("fts").op("MATCH")("x"))\n')
    assert len(raw_sql_above_storage(tmp_path)) == 4
