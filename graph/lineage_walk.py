"""The lineage walk both backends share: level by level, with a node budget.

Breadth-first by level rather than one variable-length pattern: a pattern
``-[*1..4]-`` enumerates paths, which explodes on hub nodes, while a level walk
touches each reached node once and can stop exactly at the node budget
(``partial=True`` tells the caller the picture is cut). A backend supplies
``_level``: the links leaving one frontier, in as few round trips as it can.
"""

from __future__ import annotations

import abc
from collections import defaultdict
from collections.abc import Sequence

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY, ObjectType
from opencase.queries import traversal
from opencase.queries.dialect import Dialect
from opencase.queries.objects import rel_types_touching

from .store import Direction, Lineage, LineageEdge, LineageNode, Path

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}

#: One link found from the frontier: (frontier id, rel type, outgoing?, id, type, title).
Found = tuple[str, str, bool, str, str, str]


def level_statements(
    frontier: dict[str, str], sides: list[bool], link_types: Sequence[str] | None, dialect: Dialect
) -> list[tuple[str, list[str], bool]]:
    """One (query, ids, outgoing) per frontier type and side that has links to follow.

    Without a link-type filter the pattern is unlabelled: the embedded engine
    plans it several times faster than a long ``A|B|C`` alternation.
    """
    by_type: dict[str, list[str]] = defaultdict(list)
    for oid, type_name in frontier.items():
        by_type[type_name].append(oid)
    out = []
    for type_name, ids in sorted(by_type.items()):
        anchor = ONTOLOGY.object_type(type_name)
        for outgoing in sides:
            rels = rel_types_touching(type_name, outgoing, link_types)
            if rels:
                chosen = sorted(set(rels)) if link_types is not None else None
                query = traversal.lineage_level(anchor, chosen, outgoing, dialect)
                out.append((query, sorted(ids), outgoing))
    return out


class LevelWalk(abc.ABC):
    """``lineage`` and ``shortest_path`` for any backend that can expand a level and find a path."""

    @abc.abstractmethod
    def _shortest(
        self, a: ObjectType, b: ObjectType, from_id: str, to_id: str, max_depth: int
    ) -> Path | None:
        """The backend's shortest-path query between two distinct, existing objects."""

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
        return self._shortest(a, b, from_id, to_id, max_depth)

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
        check_link_types(link_types)
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


def check_link_types(link_types: Sequence[str] | None) -> None:
    """Unknown link type names fail loudly, not as an empty lineage."""
    for api in link_types or ():
        ONTOLOGY.link_type(api)
