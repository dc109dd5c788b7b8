"""关于's facts: one version source, the build date, the bundled parts and their licences, all read
from the installed packages (zhibang_desktop/build_info.py)."""
from __future__ import annotations

import json
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import zhibang_desktop
from zhibang_desktop import build_info
from zhibang_desktop.domain import clock

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_written_once_and_pyproject_reads_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "zhibang_desktop.__version__"}
    assert build_info.version() == zhibang_desktop.__version__


def test_the_runtime_parts_are_the_requirements_followed_down_without_extras():
    names = {build_info.metadata_key(n) for n in build_info.runtime_distributions(["zhibang-desktop"])}
    assert {"pyside6-essentials", "shiboken6", "sqlalchemy", "alembic", "reportlab", "openpyxl", "argon2-cffi",
            "cffi", "pypdfium2", "pypinyin"} <= names
    assert not names & {"pytest", "pytest-qt", "hypothesis", "pyinstaller", "import-linter"}  # extras only


@pytest.mark.parametrize("line, name", [
    ("reportlab>=4.0", "reportlab"), ("cffi>=1.0.1; python_version >= '3.9'", "cffi"),
    ("pytest>=8.0; extra == 'test'", None), ("PySide6_Essentials==6.11.3", "PySide6_Essentials"),
])
def test_a_requirement_line_names_its_distribution_unless_it_belongs_to_an_extra(line, name):
    assert build_info.requirement_name(line) == name


def test_every_part_has_a_licence_read_from_its_metadata():
    parts = {p.name: p for p in build_info.components()}
    for name in ("PySide6_Essentials", "SQLAlchemy", "reportlab", "uming.ttc", "wqy-microhei.ttc"):
        assert name in parts, name
    assert "LGPL" in parts["PySide6_Essentials"].licence
    assert parts["SQLAlchemy"].licence == metadata.metadata("SQLAlchemy")["License-Expression"]
    assert "Permission is hereby granted" in parts["SQLAlchemy"].licence_text()
    assert all(p.licence for p in parts.values())


def test_the_fonts_are_listed_with_the_licence_files_beside_them():
    fonts = {p.name: p for p in build_info.font_components()}
    assert fonts["uming.ttc"].licence == "ARPHIC PUBLIC LICENSE"
    assert fonts["uming.ttc"].licence_files == ("ARPHIC-UMING-COPYRIGHT.txt", "ARPHIC-UMING-LICENSE-zh_CN.txt")
    assert "文鼎公众授权书" in fonts["uming.ttc"].licence_text()
    assert "GPL-3+ with Font exception" in fonts["wqy-microhei.ttc"].licence


def test_a_licence_file_in_latin_1_is_read(tmp_path, monkeypatch):
    dist_info = tmp_path / "oldpkg-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: oldpkg\nVersion: 1.0\nLicense-File: LICENSE\n"
                                        "Classifier: License :: OSI Approved :: MIT License\n", encoding="utf-8")
    (dist_info / "LICENSE").write_bytes("Copyright \u00a9 1999 Someone".encode("latin-1"))
    (dist_info / "RECORD").write_text("oldpkg-1.0.dist-info/METADATA,,\noldpkg-1.0.dist-info/LICENSE,,\n",
                                      encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    part = build_info.Component("oldpkg", "1.0", build_info._licence_of(metadata.metadata("oldpkg")),
                                build_info._licence_files(metadata.distribution("oldpkg")))
    assert part.licence == "MIT License"
    assert part.licence_text() == "Copyright \u00a9 1999 Someone"


def test_the_build_date_comes_from_the_bundle_and_is_empty_from_source(tmp_path, monkeypatch):
    assert build_info.build_date() == ""  # this checkout has no build.json
    built = clock.today().isoformat()
    (tmp_path / build_info.BUILD_FILE).write_text(json.dumps({"built": built}), encoding="utf-8")
    monkeypatch.setattr(build_info.resources, "files", lambda package: tmp_path)
    assert build_info.build_date() == built
