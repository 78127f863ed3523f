"""Which cases and models an action's log belongs to, found through the graph at write time.

``integrationCase { actionLogs }`` must show the logs of the case's tasks,
gates and push requests too, and ``modelWork { actionLogs }`` those of its
versions, releases and deployments. So each log also links (``action-log-about``
with ``via`` set) to the :data:`AUDIT_HUBS` of every object it touched.

The chains of links to follow are worked out once per object type from the
declarations: the shortest chains (in either link direction) from the type to
each hub type, never passing through :data:`AUDIT_NOT_THROUGH` or :data:`AUDIT_LEAVES`. The executor
walks them from the touched objects, over the store and over the links the
action itself is about to write, so a task created in the same action finds its
case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from opencase.errors import OntologyError
from opencase.graph.store import Direction, GraphStore, LinkRecord
from opencase.ontology import AUDIT_HUBS, AUDIT_LEAVES, AUDIT_NOT_THROUGH, ONTOLOGY

from .log import ABOUT_LINK

#: One step of a chain: link type API name, True when followed in its declared direction,
#: and the object type it reaches (a polymorphic link reaches several).
Step = tuple[str, bool, str]
#: Chains longer than this are not worth an audit link (nothing that far "belongs" to a hub).
MAX_STEPS = 3

for _name in (*AUDIT_HUBS, *AUDIT_NOT_THROUGH, *AUDIT_LEAVES):
    if not ONTOLOGY.has_object_type(_name):
        raise OntologyError(f"the audit trail names unknown object type {_name!r}")


_NOT_THROUGH = frozenset((*AUDIT_NOT_THROUGH, *AUDIT_LEAVES))


def _steps_from(type_name: str) -> list[tuple[Step, str]]:
    """Every link step out of ``type_name`` (both directions) and the type it reaches."""
    out: list[tuple[Step, str]] = []
    for lt in ONTOLOGY.link_types:
        if lt.api_name == ABOUT_LINK:
            continue
        if lt.source == type_name:
            out += [((lt.api_name, True, t), t) for t in lt.targets]
        if type_name in lt.targets:
            out.append(((lt.api_name, False, lt.source), lt.source))
    return out


@cache
def chains(type_name: str, hub: str) -> tuple[tuple[Step, ...], ...]:
    """The shortest chains of steps from ``type_name`` to ``hub`` (none: the type is the hub)."""
    if type_name == hub or type_name in AUDIT_NOT_THROUGH:
        return ()
    frontier: list[tuple[str, tuple[Step, ...]]] = [(type_name, ())]
    seen = {type_name}
    for _ in range(MAX_STEPS):
        found: list[tuple[Step, ...]] = []
        nxt: list[tuple[str, tuple[Step, ...]]] = []
        reached: set[str] = set()
        for at, path in frontier:
            for step, other in _steps_from(at):
                if other == hub:
                    found.append((*path, step))
                elif other not in seen and other not in _NOT_THROUGH:
                    nxt.append((other, (*path, step)))
                    reached.add(other)
        if found:
            return tuple(found)
        seen |= reached
        frontier = nxt
    return ()


def hubs_of(
    store: GraphStore,
    touched: Sequence[str],
    staged: Iterable[LinkRecord],
    created: Iterable[str] = (),
) -> dict[str, str]:
    """Hub id -> the touched id it was reached from, for hubs the action did not touch itself.

    Objects the action ``created`` have no stored links yet: only the staged
    ones are followed from them, and the store is not asked.
    """
    pending = list(staged)
    direct = set(touched)
    out: dict[str, str] = {}
    seen: _Seen = {}  # chains share their first steps: each step is asked once
    fresh = set(created)
    for object_id in touched:
        kind = ONTOLOGY.type_of_id(object_id).name
        for hub in AUDIT_HUBS:
            for chain in chains(kind, hub):
                for reached in _walk(store, object_id, chain, pending, seen, fresh):
                    if reached not in direct:
                        out.setdefault(reached, object_id)
    return out


#: (link type, forward, id) -> the stored ids that link leads to
_Seen = dict[tuple[str, bool, str], list[str]]


def _walk(
    store: GraphStore,
    start: str,
    chain: tuple[Step, ...],
    staged: list[LinkRecord],
    seen: _Seen,
    fresh: set[str],
) -> set[str]:
    """The ids at the end of ``chain`` from ``start``, over stored and staged links."""
    frontier = {start}
    for link_type, forward, kind in chain:
        if not frontier:
            break
        prefix = ONTOLOGY.object_type(kind).api_name + ":"
        ask = sorted(i for i in frontier - fresh if (link_type, forward, i) not in seen)
        if ask:
            direction = Direction.OUT if forward else Direction.IN
            found = store.neighbour_ids(ask, link_type=link_type, direction=direction)
            for oid in ask:
                seen[(link_type, forward, oid)] = found.get(oid, [])
        nxt = {oid for i in frontier for oid in seen.get((link_type, forward, i), ())}
        for rec in staged:
            if rec.link_type != link_type:
                continue
            if forward and rec.source_id in frontier:
                nxt.add(rec.target_id)
            elif not forward and rec.target_id in frontier:
                nxt.add(rec.source_id)
        frontier = {i for i in nxt if i.startswith(prefix)}
    return frontier
