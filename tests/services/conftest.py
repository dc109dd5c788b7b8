"""Fixtures shared by the services tests."""
from __future__ import annotations

import pytest

from .city_counties import build_counties


@pytest.fixture(scope="session")
def counties(tmp_path_factory):
    """Three small demo counties and their annual exchange files (city mode, issue 14)."""
    return build_counties(tmp_path_factory.mktemp("counties"))
