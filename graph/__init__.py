"""The graph store: one interface (:class:`GraphStore`), two backends.

``open_store()`` picks the backend from the store setting (``--store`` /
``OPENCASE_STORE``): a path opens the embedded Ladybug store, a ``bolt://`` or
``neo4j://`` URI the Neo4j store (imported only then, so the embedded path
never needs the driver).
"""

from __future__ import annotations

from opencase.config import is_neo4j, store_uri

from .store import (
    Direction,
    GraphStore,
    LinkKey,
    LinkRecord,
    ObjectRecord,
    OrderBy,
    StoredObject,
    WriteBatch,
    WriteResult,
)


def open_store(uri: str | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the configured store; the caller closes it (or uses ``with``)."""
    target = store_uri(uri)
    if is_neo4j(target):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(target)
    from .embedded import EmbeddedStore

    return EmbeddedStore(target, read_only=read_only)


__all__ = [
    "Direction",
    "GraphStore",
    "LinkKey",
    "LinkRecord",
    "ObjectRecord",
    "OrderBy",
    "StoredObject",
    "WriteBatch",
    "WriteResult",
    "open_store",
]
