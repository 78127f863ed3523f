"""The contract suite runs every test against each available backend.

The embedded store always runs; Neo4j runs when ``NEO4J_URI`` points at a server
(its data is wiped before each test, so never point it at a database you keep).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from contract_records import SEED

from opencase.graph import GraphStore, open_store

BACKENDS = ["embedded", "neo4j"]


@pytest.fixture(params=BACKENDS)
def graph(request: pytest.FixtureRequest, store_path: str) -> Iterator[GraphStore]:
    """A fresh, empty store of one backend with the schema installed."""
    if request.param == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI not set: Neo4j backend not available on this machine")
        store = open_store(uri)
        store.clear()  # type: ignore[attr-defined]
    else:
        store = open_store(store_path)
    with store:
        store.install_schema()
        yield store


@pytest.fixture
def seeded(graph: GraphStore) -> GraphStore:
    graph.write(SEED)
    return graph
