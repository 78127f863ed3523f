"""The lineage walk both backends share: level by level, with a node budget.

Breadth-first by level rather than one variable-length pattern: a pattern
``-[*1..4]-`` enumerates paths, which explodes on hub nodes, while a level walk
touches each reached node once and can stop exactly at the node budget
(``partial=True`` tells the caller the picture is cut). A backend supplies
``_level``: the links leaving one frontier, in as few round trips as it can.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from opencase.ontology import ONTOLOGY

from .store import Direction, Lineage, LineageEdge, LineageNode

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}

#: One link found from the frontier: (frontier id, rel type, outgoing?, id, type, title).
Found = tuple[str, str, bool, str, str, str]


class LevelWalk(abc.ABC):
    """``lineage`` for any backend that can expand one frontier level."""

    @abc.abstractmethod
    def _level(
        self, frontier: dict[str, str], sides: list[bool], link_types: Sequence[str] | None
    ) -> list[Found]:
        """Links from the frontier ({id: type name}) on the given sides (True = outgoing)."""

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
        start = self.get([object_id]).get(object_id)  # type: ignore[attr-defined]
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
