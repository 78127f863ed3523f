"""Lineage and shortest paths on Neo4j, with the shared level query of ``queries.traversal``.

Same algorithm as the embedded store (a level-by-level walk with a node budget,
one query per frontier type and direction), so both backends return the same
lineage for the same graph; only the Cypher spelling comes from the dialect.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY
from opencase.queries import traversal
from opencase.queries.objects import rel_types_touching

from .neo4j_conn import DIALECT, Neo4jConnection
from .store import Direction, Lineage, LineageEdge, LineageNode, Path, PathStep

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}

Found = tuple[str, str, bool, str, str, str]


class Neo4jTraversal:
    """Traversal methods of :class:`~opencase.graph.neo4j_store.Neo4jStore`."""

    _conn: Neo4jConnection

    def lineage(
        self,
        object_id: str,
        *,
        direction: Direction = Direction.BOTH,
        depth: int = 3,
        link_types: Sequence[str] | None = None,
        max_nodes: int = 500,
    ) -> Lineage:
        for api in link_types or ():
            ONTOLOGY.link_type(api)
        start = self.get([object_id]).get(object_id)  # type: ignore[attr-defined]
        if start is None:
            return Lineage(nodes=[], edges=[], partial=False)
        nodes = {start.id: LineageNode(start.id, start.object_type, start.title, 0)}
        edges: dict[tuple[str, str, str], LineageEdge] = {}
        frontier = {start.id: start.object_type}
        sides = [True, False] if direction == Direction.BOTH else [direction == Direction.OUT]
        partial = False
        for level in range(1, depth + 1):
            if not frontier or partial:
                break
            next_frontier: dict[str, str] = {}
            for src, rel, outgoing, oid, label, title in self._level(frontier, sides, link_types):
                if oid not in nodes:
                    if len(nodes) >= max_nodes:
                        partial = True
                        continue
                    nodes[oid] = LineageNode(oid, label, title or "", level)
                    next_frontier[oid] = label
                source, target = (src, oid) if outgoing else (oid, src)
                edges[(source, target, rel)] = LineageEdge(source, target, _REL_TO_API[rel])
            frontier = next_frontier
        return Lineage(nodes=list(nodes.values()), edges=list(edges.values()), partial=partial)

    def _level(
        self, frontier: dict[str, str], sides: list[bool], link_types: Sequence[str] | None
    ) -> list[Found]:
        by_type: dict[str, list[str]] = defaultdict(list)
        for oid, type_name in frontier.items():
            by_type[type_name].append(oid)
        statements = []
        for type_name, ids in sorted(by_type.items()):
            anchor = ONTOLOGY.object_type(type_name)
            for outgoing in sides:
                rels = rel_types_touching(type_name, outgoing, link_types)
                if rels:
                    query = traversal.lineage_level(anchor, sorted(set(rels)), outgoing, DIALECT)
                    statements.append((query, sorted(ids), outgoing))

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

    def shortest_path(self, from_id: str, to_id: str, *, max_depth: int = 6) -> Path | None:
        try:
            a, b = ONTOLOGY.type_of_id(from_id), ONTOLOGY.type_of_id(to_id)
        except Exception as exc:
            raise ValidationError(str(exc)) from exc
        ends = self.get([from_id, to_id])  # type: ignore[attr-defined]
        if from_id not in ends or to_id not in ends:
            return None
        if from_id == to_id:
            node = ends[from_id]
            return Path(nodes=[LineageNode(node.id, node.object_type, node.title, 0)], steps=[])
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
