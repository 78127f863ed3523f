"""Lineage levels and shortest paths on the embedded store.

The walk itself is shared with Neo4j (:mod:`opencase.graph.lineage_walk`); this
module runs each level as one indexed statement per frontier type and direction.
"""

from __future__ import annotations

from collections.abc import Sequence

from opencase.ontology import ONTOLOGY, ObjectType
from opencase.queries.dialect import LADYBUG

from .ladybug_conn import LadybugConnection
from .lineage_walk import _REL_TO_API, Found, LevelWalk, level_statements
from .store import LineageNode, Path, PathStep


class LadybugTraversal(LevelWalk):
    """Traversal methods of :class:`~opencase.graph.embedded.EmbeddedStore`."""

    _conn: LadybugConnection

    def _level(
        self, frontier: dict[str, str], sides: list[bool], link_types: Sequence[str] | None
    ) -> list[Found]:
        out = []
        for query, ids, outgoing in level_statements(frontier, sides, link_types, LADYBUG):
            for src, rel, oid, label, title in self._conn.rows(query, {"ids": ids}):
                if oid is not None:  # OPTIONAL MATCH: a dead end comes back as nulls
                    out.append((src, rel, outgoing, oid, label, title))
        out.sort(key=lambda r: (r[0], r[1], r[3]))
        return out

    def _shortest(
        self, a: ObjectType, b: ObjectType, from_id: str, to_id: str, max_depth: int
    ) -> Path | None:
        query = LADYBUG.shortest_path(a.name, b.name, max(1, max_depth), "x.sys_deleted_at IS NULL")
        rows = self._conn.rows(query, {"source": from_id, "target": to_id})
        if not rows:
            return None
        node_ids, titles, iids, rel_types, rel_sources = rows[0]
        position = {_key(iid): i for i, iid in enumerate(iids)}
        nodes = [
            LineageNode(oid, ONTOLOGY.type_of_id(oid).name, title or "", i)
            for i, (oid, title) in enumerate(zip(node_ids, titles, strict=True))
        ]
        steps = []
        for i, (rel, src) in enumerate(zip(rel_types, rel_sources, strict=True)):
            forward = position[_key(src)] == i  # the link points along the path
            a, b = node_ids[i], node_ids[i + 1]
            steps.append(PathStep(_REL_TO_API[rel], a if forward else b, b if forward else a))
        return Path(nodes=nodes, steps=steps)


def _key(internal: dict[str, int]) -> tuple[int, int]:
    return (internal["table"], internal["offset"])
