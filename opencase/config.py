"""Where the graph lives: one setting, ``--store`` / ``OPENCASE_STORE``.

A filesystem path means the embedded store (default ``./.opencase/graph``); a
``bolt://``/``neo4j://`` URI (and their ``+s``/``+ssc`` variants) means Neo4j,
with credentials from ``NEO4J_USER`` / ``NEO4J_PASSWORD``.
"""

from __future__ import annotations

import os

DEFAULT_STORE = os.path.join(".opencase", "graph")
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def store_uri(explicit: str | None = None) -> str:
    """The store to use: the explicit value, else ``OPENCASE_STORE``, else the default path."""
    return explicit or os.environ.get("OPENCASE_STORE") or DEFAULT_STORE


def is_neo4j(uri: str) -> bool:
    return uri.startswith(NEO4J_SCHEMES)
