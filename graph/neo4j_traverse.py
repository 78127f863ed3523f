"""Lineage and shortest paths on Neo4j, with the shared level query of ``queries.traversal``.

Same algorithms as the embedded store (a level-by-level walk with a node budget,
one query per frontier type and direction; shortest paths by a bidirectional
search over the same levels), so both backends return the same lineage and the
same path for the same graph; only the Cypher spelling comes from the dialect.
Which links each level follows comes from the shared plan (``lineage_scope``).
"""

from __future__ import annotations

from .lineage_scope import Plan
from .lineage_walk import Found, Frontier, LevelWalk, level_statements
from .neo4j_conn import DIALECT, Neo4jConnection


class Neo4jTraversal(LevelWalk):
    """Traversal methods of :class:`~opencase.graph.neo4j_store.Neo4jStore`."""

    _conn: Neo4jConnection

    def _level(self, frontier: Frontier, plan: Plan) -> list[Found]:
        statements = level_statements(frontier, plan, DIALECT)

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
