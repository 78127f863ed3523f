"""Fixtures: the demo graph in a real embedded store, exported once per test session."""

from __future__ import annotations

import pytest
from export_demo import DemoExport, build_demo_export


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> DemoExport:
    """The exported files of the demo graph; the store is closed again (tests may reopen it)."""
    return build_demo_export(tmp_path_factory.mktemp("demo-export"))
