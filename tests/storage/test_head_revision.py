"""A start on a database already at head reads both revisions without Alembic; Alembic's own
answer decides whenever the scripts are not a plain chain."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from zhibang_desktop.storage import migrate


def _script(folder: Path, name: str, revision: str, down) -> None:
    down_text = "None" if down is None else repr(down)
    (folder / f"{name}.py").write_text(textwrap.dedent(f'''
        """{name}"""
        revision = "{revision}"
        down_revision = {down_text}
        branch_labels = None
    '''), encoding="utf-8")


def test_the_shipped_scripts_give_alembics_head():
    location = migrate.script_location()
    assert migrate.plain_head(Path(location) / "versions") == migrate._scripts(location).get_current_head()


def test_a_chain_gives_its_last_revision(tmp_path):
    _script(tmp_path, "a", "0001", None)
    _script(tmp_path, "b", "0002", "0001")
    _script(tmp_path, "c", "0003", "0002")
    assert migrate.plain_head(tmp_path) == "0003"


def test_two_heads_a_merge_or_an_unknown_parent_are_left_to_alembic(tmp_path):
    branch = tmp_path / "branch"
    branch.mkdir()
    _script(branch, "a", "0001", None)
    _script(branch, "b", "0002", "0001")
    _script(branch, "c", "0003", "0001")
    assert migrate.plain_head(branch) is None

    merge = tmp_path / "merge"
    merge.mkdir()
    _script(merge, "a", "0001", None)
    _script(merge, "b", "0002", ("0001", "0000"))
    assert migrate.plain_head(merge) is None

    orphan = tmp_path / "orphan"
    orphan.mkdir()
    _script(orphan, "b", "0002", "0001")
    assert migrate.plain_head(orphan) is None


def test_a_script_without_plain_revision_lines_is_left_to_alembic(tmp_path):
    _script(tmp_path, "a", "0001", None)
    (tmp_path / "b.py").write_text('revision = make_id()\ndown_revision = "0001"\n', encoding="utf-8")
    assert migrate.plain_head(tmp_path) is None


def test_opening_a_database_at_head_does_not_import_alembic(db, db_path):
    db.close()  # migrated to head by the fixture
    probe = ("import sys\n"
             "from zhibang_desktop.storage.database import open_database\n"
             f"db = open_database({str(db_path)!r}, create=False)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
             "db.close()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.sqlite_only  # a server database needs the PostgreSQL dialect, of course
def test_an_office_on_sqlite_never_imports_the_postgresql_dialect(db, db_path):
    """Naming postgresql_* options on a model imports SQLAlchemy's PostgreSQL dialect at every
    start (30–50 ms, a few MB); opening, signing in and searching a SQLite file must not."""
    db.close()
    probe = ("import sys\n"
             "from zhibang_desktop.storage.database import open_database\n"
             "from zhibang_desktop.services.context import SYSTEM, AppContext\n"
             "from zhibang_desktop.services import archive\n"
             "from zhibang_desktop.services.archive.types import HouseholdFilter\n"
             f"db = open_database({str(db_path)!r}, create=False)\n"
             "archive.search_households(AppContext(db, SYSTEM), HouseholdFilter(text='zh'))\n"
             "print(sorted(m for m in sys.modules if 'postgresql' in m or m.startswith('psycopg')))\n"
             "db.close()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
