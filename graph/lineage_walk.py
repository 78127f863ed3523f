"""The lineage walk both backends share: level by level, with a node budget.

Breadth-first by level rather than one variable-length pattern: a pattern
``-[*1..4]-`` enumerates paths, which explodes on hub nodes, while a level walk
touches each reached node once and can stop exactly at the node budget
(``partial=True`` tells the caller the picture is cut). A backend supplies
``_level``: the links leaving one frontier, in as few round trips as it can.
"""

from __future__ import annotations

import abc
import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY
from opencase.queries import traversal
from opencase.queries.dialect import Dialect
from opencase.queries.objects import rel_types_touching

from .store import Direction, Lineage, LineageEdge, LineageNode, Path, PathStep

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

    def shortest_path(self, from_id: str, to_id: str, *, max_depth: int = 6) -> Path | None:
        try:
            ONTOLOGY.type_of_id(from_id), ONTOLOGY.type_of_id(to_id)
        except Exception as exc:
            raise ValidationError(str(exc)) from exc
        ends = self.get([from_id, to_id])  # type: ignore[attr-defined]
        if from_id not in ends or to_id not in ends:
            return None
        if from_id == to_id:
            node = ends[from_id]
            return Path(nodes=[LineageNode(node.id, node.object_type, node.title, 0)], steps=[])
        return self._shortest_by_levels(ends, from_id, to_id, max(1, max_depth))

    def _shortest_by_levels(
        self, ends: dict[str, Any], from_id: str, to_id: str, max_depth: int
    ) -> Path | None:
        """Bidirectional breadth-first search with :meth:`_level`, the smaller side first.

        Not the engines' own shortest-path patterns: Ladybug 0.22 crashes the
        process (SIGSEGV) on ``-[* SHORTEST ..]-`` for some pairs (e.g. an Action
        to its ModelWork), and one search on both backends gives the same path
        for the same graph. The level expansion already skips deleted objects and reads each link
        once, and meeting in the middle keeps the search to the square root of
        what one side alone would touch. The first level at which the sides
        meet holds a shortest path: of its meeting objects, the one nearest the
        other side wins (ties: the level's sorted order, so answers are stable).
        """
        sides = (_Side(from_id, ends[from_id].object_type), _Side(to_id, ends[to_id].object_type))
        hops = 0
        while hops < max_depth and sides[0].frontier and sides[1].frontier:
            near, far = sorted(sides, key=lambda s: len(s.frontier))
            meets = near.expand(self._level(near.frontier, [True, False], None), far)
            hops += 1
            if meets:
                meet = min(meets, key=lambda oid: far.depth[oid])
                if near is sides[1]:
                    near, far = far, near
                return _joined(near, far, meet, ends)
        return None

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


class _Side:
    """One end of a bidirectional search: what it reached, how, and its open frontier."""

    def __init__(self, start: str, type_name: str) -> None:
        self.frontier = {start: type_name}
        self.depth = {start: 0}
        #: reached object -> (the object it was reached from, rel type, link points outward?)
        self.parent: dict[str, tuple[str, str, bool]] = {}
        self.found: dict[str, tuple[str, str]] = {}  # id -> (type name, title)

    def expand(self, links: list[Found], other: _Side) -> list[str]:
        """Take one level of links; return the newly reached objects the other side holds."""
        level: dict[str, str] = {}
        meets = []
        for src, rel, outgoing, oid, label, title in links:
            if oid in self.depth:
                continue
            self.depth[oid] = self.depth[src] + 1
            self.parent[oid] = (src, rel, outgoing)
            self.found[oid] = (label, title or "")
            level[oid] = label
            if oid in other.depth:
                meets.append(oid)
        self.frontier = level
        return meets


def _joined(start: _Side, end: _Side, meet: str, ends: dict[str, Any]) -> Path:
    """The path start -> meet (``start``'s parents) -> end (``end``'s parents)."""
    chain = [meet]
    while chain[0] in start.parent:
        chain.insert(0, start.parent[chain[0]][0])
    while chain[-1] in end.parent:
        chain.append(end.parent[chain[-1]][0])
    steps = []
    for a, b in itertools.pairwise(chain):
        if b in start.parent and start.parent[b][0] == a:
            _, rel, outward = start.parent[b]  # found from a: outward means a -> b
            source, target = (a, b) if outward else (b, a)
        else:
            _, rel, outward = end.parent[a]  # found from b: outward means b -> a
            source, target = (b, a) if outward else (a, b)
        steps.append(PathStep(_REL_TO_API[rel], source, target))
    nodes = []
    for i, oid in enumerate(chain):
        if oid in ends:
            type_name, title = ends[oid].object_type, ends[oid].title
        else:
            type_name, title = start.found.get(oid) or end.found[oid]
        nodes.append(LineageNode(oid, type_name, title, i))
    return Path(nodes=nodes, steps=steps)


def check_link_types(link_types: Sequence[str] | None) -> None:
    """Unknown link type names fail loudly, not as an empty lineage."""
    for api in link_types or ():
        ONTOLOGY.link_type(api)
