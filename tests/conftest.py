"""Shared fixtures: a real embedded graph store on disk, schema installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from opencase.graph import GraphStore, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh embedded store in ``tmp_path`` with the ontology's schema installed."""
    with open_store(str(tmp_path / "graph")) as s:
        s.install_schema()
        yield s
