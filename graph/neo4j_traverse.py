"""Lineage and shortest paths on Neo4j, with the shared level query of ``queries.traversal``.

Same algorithm as the embedded store (a level-by-level walk with a node budget,
one query per frontier type and direction), so both backends return the same
lineage for the same graph; only the Cypher spelling comes from the dialect.
"""

from __future__ import annotations

from collections.abc import Sequence

from opencase.ontology import ObjectType

from .lineage_walk import _REL_TO_API, Found, LevelWalk, level_statements
from .neo4j_conn import DIALECT, Neo4jConnection
from .store import LineageNode, Path, PathStep


class Neo4jTraversal(LevelWalk):
    """Traversal methods of :class:`~opencase.graph.neo4j_store.Neo4jStore`."""

    _conn: Neo4jConnection

    def _level(
        self, frontier: dict[str, str], sides: list[bool], link_types: Sequence[str] | None
    ) -> list[Found]:
        statements = level_statements(frontier, sides, link_types, DIALECT)

        def work(tx: object) -> list[Found]:
            out = []
            for query, ids, outgoing in statements:
                for rec in tx.run(query, {"ids": ids}):  # type: ignore[attr-defined]
                    src, rel, oid, label, title = rec.values()
                    if oid is not None:  # OPTIONAL MATCH: a dead end comes back as nulls
                        out.append((src, rel, outgoing, oid, label, title))
            return out

        found = self._conn.read(work)  # one read transaction per level
        found.sort(key=lambda r: (r[0], r[1], r[3]))
        return found

    def _shortest(
        self, a: ObjectType, b: ObjectType, from_id: str, to_id: str, max_depth: int
    ) -> Path | None:
        query = DIALECT.shortest_path(a.name, b.name, max(1, max_depth), "x.sys_deleted_at IS NULL")
        rows = self._conn.rows(query, {"source": from_id, "target": to_id})
        if not rows:
            return None
        raw_nodes, raw_rels = rows[0]
        by_element = {n["_ID"]: n for n in raw_nodes}
        nodes = [
            LineageNode(n["id"], n["_LABEL"], n.get("sys_title") or "", i)
            for i, n in enumerate(raw_nodes)
        ]
        steps = [
            PathStep(
                _REL_TO_API[r["_LABEL"]], by_element[r["_SRC"]]["id"], by_element[r["_DST"]]["id"]
            )
            for r in raw_rels
        ]
        return Path(nodes=nodes, steps=steps)
