"""Which links a lineage walk or a path search may take, from the link types' roles.

One rule, used by both backends and by the in-memory snapshot:

* a **flow** link is a step *upstream* (towards the input end the ontology
  declares) or *downstream* (away from it), whatever its declared direction;
* an UPSTREAM walk takes only upstream steps, a DOWNSTREAM walk only downstream
  steps, and BOTH walks each way from the start without ever turning round, so
  a dataset version's downstream never reaches its siblings through the dataset;
* a **context** link (owner, partner, programme, ...) is taken only when asked
  for (``include`` has CONTEXT), one hop from a node the flow walk reached: the
  node it leads to is a leaf, so context decorates the chain without the org
  chart pulling in other models' chains;
* a path search (``ANY``) takes every link in scope either way.

Every node of a walk is in one *mode* (how it was reached), and a step's
permission and the mode it leads to depend only on (mode, link type, side):
the :class:`Plan` is that table, built once per (direction, scope, link types).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache

import numpy as np

from opencase.errors import Problem, ValidationError
from opencase.ontology import ONTOLOGY

from .store import Direction

#: Walk modes: reached by an upstream step, a downstream step, the start, a context
#: link (a leaf), or by a path search that may go anywhere.
UP, DOWN, START, LEAF, ANY = range(5)
MODES = 5

#: Every relationship type of the ontology, sorted (the order both backends sort rows by).
REL_NAMES: tuple[str, ...] = tuple(sorted(lt.rel_type for lt in ONTOLOGY.link_types))
_LINK_OF_REL = {lt.rel_type: lt for lt in ONTOLOGY.link_types}


class Scope(StrEnum):
    """What kinds of links a traversal follows: provenance (FLOW), and optionally CONTEXT."""

    FLOW = "flow"
    CONTEXT = "context"


class Plan:
    """Permitted steps: ``allow[mode, rel, side]`` and the mode each leads to.

    ``side`` 0 is outgoing (source -> target), 1 incoming. Rel indexes are those
    of :data:`REL_NAMES`; :meth:`tables` re-indexes them for a snapshot that
    holds a subset.
    """

    def __init__(self, allow: np.ndarray, next_mode: np.ndarray, start: int) -> None:
        self.allow = allow
        self.next_mode = next_mode
        self.start = start
        self._tables: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._rels: dict[tuple[str, int, bool], list[str]] = {}

    def tables(self, rel_names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``allow`` and ``next_mode`` with the rel axis in the order of ``rel_names``."""
        key = tuple(rel_names)
        found = self._tables.get(key)
        if found is None:
            idx = np.array([REL_NAMES.index(name) for name in key], dtype=np.int64)
            found = self._tables[key] = (self.allow[:, idx, :], self.next_mode[:, idx, :])
        return found

    def rels(self, type_name: str, mode: int, outgoing: bool) -> list[str]:
        """Relationship types a node of ``type_name`` in ``mode`` may follow on one side."""
        key = (type_name, mode, outgoing)
        found = self._rels.get(key)
        if found is None:
            links = ONTOLOGY.links_from(type_name) if outgoing else ONTOLOGY.links_to(type_name)
            side = 0 if outgoing else 1
            found = sorted(
                {
                    lt.rel_type
                    for lt in links
                    if self.allow[mode, REL_NAMES.index(lt.rel_type), side]
                }
            )
            self._rels[key] = found
        return found

    def mode_after(self, mode: int, rel_type: str, outgoing: bool) -> int:
        return int(self.next_mode[mode, REL_NAMES.index(rel_type), 0 if outgoing else 1])

    def is_flow(self, rel_type: str) -> bool:
        return _LINK_OF_REL[rel_type].is_flow


def lineage_plan(
    direction: Direction,
    include: Sequence[Scope | str] | None = None,
    link_types: Sequence[str] | None = None,
) -> Plan:
    """The plan of a lineage walk (see the module doc); bad arguments fail clearly."""
    scopes, chosen = _scope(include, link_types)
    return _lineage_plan(Direction(direction), scopes, chosen)


def path_plan(
    include: Sequence[Scope | str] | None = None, link_types: Sequence[str] | None = None
) -> Plan:
    """The plan of a path search: every link in scope, either way."""
    scopes, chosen = _scope(include, link_types)
    return _path_plan(scopes, chosen)


def _scope(
    include: Sequence[Scope | str] | None, link_types: Sequence[str] | None
) -> tuple[frozenset[Scope], frozenset[str] | None]:
    scopes = frozenset(Scope(s) for s in include) if include else frozenset({Scope.FLOW})
    if link_types is None:
        return scopes, None
    rels = set()
    for i, api in enumerate(link_types):
        if not ONTOLOGY.has_link_type(api):
            raise ValidationError(
                Problem(f"unknown link type {api!r}", field=f"linkTypes[{i}]"),
                suggestion="use link type API names from ontology { linkTypes { apiName } }",
            )
        lt = ONTOLOGY.link_type(api)
        if Scope(str(lt.role)) not in scopes:
            raise ValidationError(
                Problem(
                    f"link type {api!r} is a {lt.role} link, outside include "
                    f"[{', '.join(sorted(s.value.upper() for s in scopes))}]",
                    field=f"linkTypes[{i}]",
                ),
                suggestion="add CONTEXT to include to follow context links",
            )
        rels.add(lt.rel_type)
    return scopes, frozenset(rels)


@lru_cache(maxsize=64)
def _lineage_plan(
    direction: Direction, scopes: frozenset[Scope], chosen: frozenset[str] | None
) -> Plan:
    allow = np.zeros((MODES, len(REL_NAMES), 2), dtype=bool)
    next_mode = np.full((MODES, len(REL_NAMES), 2), LEAF, dtype=np.int8)
    wanted = {Direction.IN: {UP}, Direction.OUT: {DOWN}, Direction.BOTH: {UP, DOWN}}[direction]
    for r, name in enumerate(REL_NAMES):
        lt = _LINK_OF_REL[name]
        if chosen is not None and name not in chosen:
            continue
        if Scope(str(lt.role)) not in scopes:
            continue
        for side, outgoing in enumerate((True, False)):
            if lt.is_flow:
                kind = DOWN if outgoing == lt.downstream_is_outgoing else UP
                next_mode[:, r, side] = kind
                allow[kind, r, side] = kind in wanted
                allow[START, r, side] = kind in wanted
            else:
                allow[[UP, DOWN, START], r, side] = True
    return Plan(allow, next_mode, START)


@lru_cache(maxsize=64)
def _path_plan(scopes: frozenset[Scope], chosen: frozenset[str] | None) -> Plan:
    allow = np.zeros((MODES, len(REL_NAMES), 2), dtype=bool)
    next_mode = np.full((MODES, len(REL_NAMES), 2), ANY, dtype=np.int8)
    for r, name in enumerate(REL_NAMES):
        lt = _LINK_OF_REL[name]
        if (chosen is None or name in chosen) and Scope(str(lt.role)) in scopes:
            allow[ANY, r, :] = True
    return Plan(allow, next_mode, ANY)
