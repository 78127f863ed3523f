"""Lineage (level-by-level breadth-first walk with a node budget) and shortest paths.

Breadth-first by level rather than one variable-length pattern: a pattern
``-[*1..4]-`` enumerates paths, which explodes on hub nodes, while a level walk
touches each reached node once and can stop exactly at the node budget
(``partial=True`` tells the caller the picture is cut).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY
from opencase.queries import traversal
from opencase.queries.dialect import LADYBUG
from opencase.queries.objects import rel_types_touching

from .ladybug_conn import LadybugConnection
from .store import Direction, Lineage, LineageEdge, LineageNode, Path, PathStep

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}


class LadybugTraversal:
    """Traversal methods of :class:`~opencase.graph.embedded.EmbeddedStore`."""

    _conn: LadybugConnection

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
            ONTOLOGY.link_type(api)  # unknown names fail loudly, not as an empty lineage
        start = self.get_one(object_id)  # type: ignore[attr-defined]
        if start is None:
            return Lineage(nodes=[], edges=[], partial=False)
        nodes = {start.id: LineageNode(start.id, start.object_type, start.title, 0)}
        edges: dict[tuple[str, str, str], LineageEdge] = {}
        frontier = {start.id: start.object_type}
        sides = [d == Direction.OUT for d in (Direction.OUT, Direction.IN)]
        if direction != Direction.BOTH:
            sides = [direction == Direction.OUT]
        partial = False
        for level in range(1, depth + 1):
            if not frontier or partial:
                break
            found = self._level(frontier, sides, link_types)
            next_frontier: dict[str, str] = {}
            for src, rel, outgoing, oid, label, title in found:
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
    ) -> list[tuple[str, str, bool, str, str, str]]:
        by_type: dict[str, list[str]] = defaultdict(list)
        for oid, type_name in frontier.items():
            by_type[type_name].append(oid)
        out = []
        for type_name, ids in sorted(by_type.items()):
            anchor = ONTOLOGY.object_type(type_name)
            for outgoing in sides:
                rels = rel_types_touching(type_name, outgoing, link_types)
                if not rels:
                    continue
                chosen = sorted(set(rels)) if link_types is not None else None
                query = traversal.lineage_level(anchor, chosen, outgoing, LADYBUG)
                for src, rel, oid, label, title in self._conn.rows(query, {"ids": sorted(ids)}):
                    if oid is not None:
                        out.append((src, rel, outgoing, oid, label, title))
        out.sort(key=lambda r: (r[0], r[1], r[3]))
        return out

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
