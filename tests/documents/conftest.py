"""Fixtures for document tests: LibreOffice as a real spreadsheet client."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1"


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """A private LibreOffice profile and HOME so parallel test runs do not clash."""
    return tmp_path_factory.mktemp("lo_profile")


@pytest.fixture
def soffice_csv(lo_profile, tmp_path):
    """Convert an .xlsx with headless LibreOffice; return the rows of its first sheet as
    LibreOffice shows them (formatted text, formulas evaluated)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-calc-nogui"

    def convert(xlsx: Path) -> list[list[str]]:
        outdir = tmp_path / f"lo_out_{xlsx.stem}"
        outdir.mkdir(exist_ok=True)
        env = dict(os.environ, HOME=str(lo_profile / "home"))
        subprocess.run(
            [soffice, f"-env:UserInstallation={lo_profile.as_uri()}/user", "--headless",
             "--norestore", "--convert-to", CSV_FILTER, "--outdir", str(outdir), str(xlsx)],
            check=True, capture_output=True, timeout=240, env=env,
        )
        out = outdir / (xlsx.stem + ".csv")
        assert out.is_file(), f"LibreOffice produced no CSV for {xlsx.name}"
        with out.open(newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))

    return convert
