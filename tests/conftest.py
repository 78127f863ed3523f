"""Shared fixtures: a real embedded graph store on disk, schema installed.

Installing the schema runs some eighty DDL statements (about a second); the
store file is created once per session and copied for each test instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opencase.graph import GraphStore, open_store


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty embedded store with the current schema, closed, to copy from."""
    path = tmp_path_factory.mktemp("template") / "graph"
    with open_store(str(path)) as s:
        s.install_schema()
    return path


@pytest.fixture
def store_path(tmp_path: Path, schema_template: Path) -> str:
    """Path of a fresh embedded store (schema installed, not opened) in ``tmp_path``."""
    target = tmp_path / "graph"
    shutil.copyfile(schema_template, target)
    return str(target)


@pytest.fixture
def store(store_path: str) -> Iterator[GraphStore]:
    """A fresh embedded store in ``tmp_path`` with the ontology's schema installed."""
    with open_store(store_path) as s:
        yield s
