"""Lineage levels (and so shortest paths, see ``lineage_walk``) on the embedded store.

The walk itself is shared with Neo4j (:mod:`opencase.graph.lineage_walk`); this
module runs each level as one indexed statement per frontier type and direction.
When the store has not changed since an in-memory snapshot of its links was
taken (:mod:`opencase.graph.ladybug_adjacency`), ``lineage`` walks that snapshot
instead: same result, without a statement per level or a hub's links row by row.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from opencase.ontology import ONTOLOGY
from opencase.queries.dialect import LADYBUG, ident
from opencase.queries.objects import returned

from .cypher_reads import object_from_row
from .ladybug_adjacency import AdjacencyCache
from .ladybug_conn import LadybugConnection
from .lineage_scope import Plan, lineage_plan
from .lineage_walk import Found, Frontier, LevelWalk, level_statements
from .store import Direction, Lineage, LineageColumns


class LadybugTraversal(LevelWalk):
    """Traversal methods of :class:`~opencase.graph.embedded.EmbeddedStore`."""

    _conn: LadybugConnection
    path: str

    def _adjacency(self) -> AdjacencyCache:
        cache = self.__dict__.get("_adjacency_cache")
        if cache is None:
            cache = self.__dict__["_adjacency_cache"] = AdjacencyCache()
        return cache

    def invalidate_lineage_cache(self) -> None:
        """Drop the link snapshot; the write path may call this after each commit.

        Not required for correctness (the snapshot is keyed on the store's files,
        which every commit changes), but it makes invalidation explicit and free.
        """
        self._adjacency().invalidate()

    def lineage(
        self,
        object_id: str,
        *,
        direction: Direction = Direction.BOTH,
        depth: int = 3,
        link_types: Sequence[str] | None = None,
        max_nodes: int = 500,
        include: Sequence[str] | None = None,
    ) -> Lineage:
        found = self._walk(object_id, direction, depth, link_types, max_nodes, include)
        return found.to_lineage() if isinstance(found, LineageColumns) else found

    def lineage_columns(
        self,
        object_id: str,
        *,
        direction: Direction = Direction.BOTH,
        depth: int = 3,
        link_types: Sequence[str] | None = None,
        max_nodes: int = 500,
        include: Sequence[str] | None = None,
    ) -> LineageColumns:
        """:meth:`lineage` as columns: from the snapshot without a record per node or link."""
        found = self._walk(object_id, direction, depth, link_types, max_nodes, include)
        return found if isinstance(found, LineageColumns) else LineageColumns.from_lineage(found)

    def _walk(
        self,
        object_id: str,
        direction: Direction,
        depth: int,
        link_types: Sequence[str] | None,
        max_nodes: int,
        include: Sequence[str] | None,
    ) -> Lineage | LineageColumns:
        """The lineage from the snapshot (as columns) or, without a valid one, through Cypher."""
        plan = lineage_plan(direction, include, link_types)
        with self._conn.lock:
            cache = self._adjacency()
            # Inside an open transaction only statements see its rows: never the snapshot.
            snapshot = None if self._conn.in_transaction else cache.current(self._conn, self.path)
            if snapshot is None:
                t0 = time.perf_counter()
                found = super().lineage(
                    object_id,
                    direction=direction,
                    depth=depth,
                    link_types=link_types,
                    max_nodes=max_nodes,
                    include=include,
                )
                if not self._conn.in_transaction:
                    cache.spent_uncached(time.perf_counter() - t0)
                return found
            try:
                ot = ONTOLOGY.type_of_id(object_id)
            except Exception:  # not an OpenCase id: it cannot be in the store
                return Lineage(nodes=[], edges=[], partial=False)
            rows = self._conn.rows(
                f"MATCH (n:{ident(ot.name)} {{id: $id}}) WHERE n.sys_deleted_at IS NULL "
                f"RETURN offset(id(n)), {returned(ot)}",
                {"id": object_id},
            )
            if not rows:
                return Lineage(nodes=[], edges=[], partial=False)
            start = object_from_row(rows[0][1:], ot)
            columns = snapshot.lineage(snapshot.locate(ot.name, rows[0][0]), plan, depth, max_nodes)
            # The start's title as ``get`` computes it (a fallback when sys_title is empty).
            columns.node_titles[0] = start.title
            return columns

    def _level(self, frontier: Frontier, plan: Plan) -> list[Found]:
        out = []
        for query, ids, outgoing in level_statements(frontier, plan, LADYBUG):
            for src, rel, oid, label, title in self._conn.rows(query, {"ids": ids}):
                if oid is not None:  # OPTIONAL MATCH: a dead end comes back as nulls
                    out.append((src, rel, outgoing, oid, label, title))
        out.sort(key=lambda r: (r[0], r[1], r[3]))
        return out
