"""The lineage walk both backends share: level by level, with a node budget.

Breadth-first by level rather than one variable-length pattern: a pattern
``-[*1..4]-`` enumerates paths, which explodes on hub nodes, while a level walk
touches each reached node once and can stop exactly at the node budget
(``partial=True`` tells the caller the picture is cut). Which links each node
may follow comes from the link types' roles (:mod:`.lineage_scope`): a node
remembers how it was reached (upstream, downstream, through context) and the
plan says where it may go next. A backend supplies ``_level``: the links
leaving one frontier, in as few round trips as it can.
"""

from __future__ import annotations

import abc
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY
from opencase.queries import traversal
from opencase.queries.dialect import Dialect

from .lineage_scope import LEAF, Plan, lineage_plan, path_plan
from .store import (
    NO_PROPERTIES,
    Direction,
    Lineage,
    LineageEdge,
    LineageNode,
    Path,
    PathStep,
)

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}

#: One link found from the frontier: (frontier id, rel type, outgoing?, id, type, title).
Found = tuple[str, str, bool, str, str, str]

#: The frontier of a level: id -> (type name, walk mode).
Frontier = dict[str, tuple[str, int]]


def level_statements(
    frontier: Frontier, plan: Plan, dialect: Dialect
) -> list[tuple[str, list[str], bool]]:
    """One (query, ids, outgoing) per frontier type, mode and side that has links to follow."""
    by_group: dict[tuple[str, int], list[str]] = defaultdict(list)
    for oid, (type_name, mode) in frontier.items():
        by_group[(type_name, mode)].append(oid)
    out = []
    for (type_name, mode), ids in sorted(by_group.items()):
        anchor = ONTOLOGY.object_type(type_name)
        for outgoing in (True, False):
            rels = plan.rels(type_name, mode, outgoing)
            if rels:
                # every link type on that side: unlabelled, which the embedded engine
                # plans several times faster than a long ``A|B|C`` alternation
                every = len(rels) == len(_touching(type_name, outgoing))
                query = traversal.lineage_level(anchor, None if every else rels, outgoing, dialect)
                out.append((query, sorted(ids), outgoing))
    return out


def _touching(type_name: str, outgoing: bool) -> set[str]:
    links = ONTOLOGY.links_from(type_name) if outgoing else ONTOLOGY.links_to(type_name)
    return {lt.rel_type for lt in links}


def pick_new(found: list[Found], seen: Mapping[str, Any], plan: Plan) -> dict[str, Found]:
    """The row that reaches each new object, in order of first appearance.

    A flow row wins over a context row of the same level, so an object on the
    chain is never demoted to a context leaf because a context link sorts first.
    """
    chosen: dict[str, Found] = {}
    for row in found:
        oid = row[3]
        if oid in seen:
            continue
        held = chosen.get(oid)
        if held is None or (not plan.is_flow(held[1]) and plan.is_flow(row[1])):
            chosen[oid] = row
    return chosen


class LevelWalk(abc.ABC):
    """``lineage`` and ``shortest_path`` for any backend that can expand a level and find a path."""

    def shortest_path(
        self,
        from_id: str,
        to_id: str,
        *,
        max_depth: int = 6,
        link_types: Sequence[str] | None = None,
        include: Sequence[str] | None = None,
    ) -> Path | None:
        plan = path_plan(include, link_types)
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
        path = self._shortest_by_levels(ends, from_id, to_id, max(1, max_depth), plan)
        if path is None:
            return None
        found = self._link_properties([(s.source, s.target, s.link_type) for s in path.steps])
        steps = [
            PathStep(s.link_type, s.source, s.target, found.get((s.source, s.target, s.link_type)))
            if (s.source, s.target, s.link_type) in found
            else s
            for s in path.steps
        ]
        return Path(nodes=path.nodes, steps=steps)

    def _shortest_by_levels(
        self, ends: dict[str, Any], from_id: str, to_id: str, max_depth: int, plan: Plan
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
        sides = (
            _Side(from_id, ends[from_id].object_type, plan.start),
            _Side(to_id, ends[to_id].object_type, plan.start),
        )
        hops = 0
        while hops < max_depth and sides[0].frontier and sides[1].frontier:
            near, far = sorted(sides, key=lambda s: len(s.frontier))
            meets = near.expand(self._level(near.frontier, plan), far)
            hops += 1
            if meets:
                meet = min(meets, key=lambda oid: far.depth[oid])
                if near is sides[1]:
                    near, far = far, near
                return _joined(near, far, meet, ends)
        return None

    @abc.abstractmethod
    def _level(self, frontier: Frontier, plan: Plan) -> list[Found]:
        """Links the plan lets the frontier follow, sorted by (frontier id, rel type, id)."""

    def _link_properties(
        self, links: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], Mapping[str, Any]]:
        """Stored properties of the given links (source, target, link type) that have any.

        One ``neighbours`` call per link type that declares properties; link
        types without declared properties cost nothing.
        """
        by_type: dict[str, set[str]] = defaultdict(set)
        wanted = set(links)
        for source, _, api in links:
            if ONTOLOGY.link_type(api).properties:
                by_type[api].add(source)
        out: dict[tuple[str, str, str], Mapping[str, Any]] = {}
        for api, sources in by_type.items():
            found = self.neighbours(  # type: ignore[attr-defined]
                sorted(sources), link_type=api, direction=Direction.OUT
            )
            for source, items in found.items():
                for n in items:
                    key = (source, n.object.id, api)
                    if key in wanted and n.link_properties:
                        out[key] = {k: v for k, v in n.link_properties.items() if v is not None}
        return out

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
        plan = lineage_plan(direction, include, link_types)
        start = self.get([object_id]).get(object_id)  # type: ignore[attr-defined]
        if start is None:
            return Lineage(nodes=[], edges=[], partial=False)
        nodes = {start.id: LineageNode(start.id, start.object_type, start.title, 0)}
        modes = {start.id: plan.start}
        edges: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        frontier: Frontier = {start.id: (start.object_type, plan.start)}
        partial = False
        for level in range(1, depth + 1):
            if not frontier or partial:
                break
            found = self._level(frontier, plan)
            chosen = pick_new(found, nodes, plan)
            fresh = list(chosen)
            room = max(0, max_nodes - len(nodes))
            if len(fresh) > room:
                partial, fresh = True, fresh[:room]
            frontier = {}
            for oid in fresh:
                src, rel, outgoing, _, label, title = chosen[oid]
                nodes[oid] = LineageNode(oid, label, title or "", level, _REL_TO_API[rel], src)
                mode = modes[oid] = plan.mode_after(modes[src], rel, outgoing)
                if mode != LEAF:
                    frontier[oid] = (label, mode)
            for src, rel, outgoing, oid, _, _ in found:
                if oid in nodes:
                    source, target = (src, oid) if outgoing else (oid, src)
                    edges.setdefault((source, target, rel), (source, target, _REL_TO_API[rel]))
        props = self._link_properties(list(edges.values()))
        return Lineage(
            nodes=list(nodes.values()),
            edges=[LineageEdge(*key, props.get(key, NO_PROPERTIES)) for key in edges.values()],
            partial=partial,
        )


class _Side:
    """One end of a bidirectional search: what it reached, how, and its open frontier."""

    def __init__(self, start: str, type_name: str, mode: int) -> None:
        self.frontier: Frontier = {start: (type_name, mode)}
        self.depth = {start: 0}
        #: reached object -> (the object it was reached from, rel type, link points outward?)
        self.parent: dict[str, tuple[str, str, bool]] = {}
        self.found: dict[str, tuple[str, str]] = {}  # id -> (type name, title)

    def expand(self, links: list[Found], other: _Side) -> list[str]:
        """Take one level of links; return the newly reached objects the other side holds."""
        level: Frontier = {}
        meets = []
        for src, rel, outgoing, oid, label, title in links:
            if oid in self.depth:
                continue
            self.depth[oid] = self.depth[src] + 1
            self.parent[oid] = (src, rel, outgoing)
            self.found[oid] = (label, title or "")
            level[oid] = (label, self.frontier[src][1])
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
