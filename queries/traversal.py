"""Parameterised Cypher for walking links: neighbours (batched) and lineage levels.

A level of a traversal is one query per (frontier type, direction): the
frontier's ids arrive as a list and each is looked up through the primary-key
index (``UNWIND $ids AS i MATCH (a:T {id: i})``), then expanded with
``OPTIONAL MATCH``. The plain ``UNWIND ... MATCH (a {id: i})-[e]->(b)`` form
is planned by the embedded engine as a hash join that scans both tables
(whatever the frontier size, and growing with the graph), while the OPTIONAL
MATCH form expands from the looked-up nodes. Rows without a neighbour come
back with nulls and are dropped by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from opencase.ontology import LinkType, ObjectType

from .dialect import LADYBUG, Dialect, ident
from .filters import Filter, Params
from .objects import order_clause, returned
from .where import WhereCompiler


def _arrow(rel: str | None, outgoing: bool) -> str:
    label = f":{rel}" if rel else ""
    return f"-[e{label}]->" if outgoing else f"<-[e{label}]-"


def neighbours(
    anchor: ObjectType,
    rel_type: str,
    outgoing: bool,
    other: ObjectType,
    ids: Sequence[str],
    where: Filter | None,
    order_by: Sequence[object],
    dialect: Dialect = LADYBUG,
    *,
    link_where: tuple[LinkType, Filter] | None = None,
    limit: int | None = None,
    link_properties: Sequence[str] = (),
) -> tuple[str, dict]:
    """Objects of type ``other`` one ``rel_type`` link away from each id.

    Each row is the id, the neighbour's :func:`~opencase.queries.objects.returned`
    fields, then the values of ``link_properties`` (the link's declared
    properties); the neighbour's fields are null on the row of an id without
    one (several ids), or the id has no row (one id). ``link_where`` filters on
    the link's own properties (checked against its link type).
    ``limit`` caps the rows of the whole statement: a per-id limit only for one id.
    """
    params = Params()
    params.values["ids"] = list(ids)
    cond = WhereCompiler(params, dialect).compile(other, where, "n")
    if link_where is not None:
        lt, link_filter = link_where
        cond += " AND " + WhereCompiler(params, dialect).compile(
            link_properties_type(lt), link_filter, "e"
        )
    order = order_clause(other, order_by, "n")
    fields = ", ".join([returned(other), *(f"e.{ident(p)}" for p in link_properties)])
    step = f"{_arrow(ident(rel_type), outgoing)}(n:{ident(other.name)})"
    if len(params.values["ids"]) == 1:
        # One id (an action's lookup, a single parent): one pattern from the key,
        # several times cheaper in the embedded engine than the batched form below
        # (and than two MATCH clauses, which it plans badly under ORDER BY ... LIMIT);
        # an id without a neighbour simply has no row.
        params.values["id"] = params.values.pop("ids")[0]
        query = (
            f"MATCH (a:{ident(anchor.name)} {{id: $id}}){step} "
            f"WHERE n.sys_deleted_at IS NULL AND {cond} RETURN a.id AS i, {fields} {order}"
        )
    else:
        query = (
            f"UNWIND $ids AS i MATCH (a:{ident(anchor.name)} {{id: i}}) OPTIONAL MATCH (a){step} "
            f"WHERE n.sys_deleted_at IS NULL AND {cond} RETURN i, {fields} "
            + order.replace("ORDER BY ", "ORDER BY i, ")
        )
    if limit is not None:
        params.values["limit"] = int(limit)
        query += " LIMIT $limit"
    return query, params.values


def neighbour_ids(anchor: ObjectType, rel_type: str, outgoing: bool, other: ObjectType) -> str:
    """The ids of ``other`` objects one ``rel_type`` link from each of ``$ids``; returns i, b.

    Ids only: materialising whole nodes costs the engine several times more than
    the lookup, and a walk that only needs to know where links lead (the audit
    trail's hubs) reads nothing else.
    """
    return (
        f"UNWIND $ids AS i MATCH (a:{ident(anchor.name)} {{id: i}}) "
        f"OPTIONAL MATCH (a){_arrow(ident(rel_type), outgoing)}(n:{ident(other.name)}) "
        "WHERE n.sys_deleted_at IS NULL RETURN i, n.id"
    )


@cache
def link_properties_type(lt: LinkType) -> ObjectType:
    """A link type's declared properties seen as an object type, so one compiler checks
    and coerces filters on links as it does on objects (the link is ``e``)."""
    return ObjectType(
        name=lt.api_name,
        api_name=lt.api_name,
        primary_key="",
        title_property="",
        description=lt.description,
        properties=lt.properties,
    )


def lineage_level(
    anchor: ObjectType,
    rel_types: Sequence[str] | None,
    outgoing: bool,
    dialect: Dialect = LADYBUG,
) -> str:
    """One breadth-first level from ``$ids`` of one type; ``b.id`` is null for a dead end.

    ``rel_types=None`` follows every link type: an unlabelled pattern, which the
    embedded engine plans several times faster than a long ``A|B|C`` alternation.
    """
    rels = "|".join(ident(r) for r in rel_types) if rel_types is not None else None
    return (
        f"UNWIND $ids AS i MATCH (a:{ident(anchor.name)} {{id: i}}) "
        f"OPTIONAL MATCH (a){_arrow(rels, outgoing)}(b) WHERE b.sys_deleted_at IS NULL "
        f"RETURN i, {dialect.rel_type('e')}, b.id, {dialect.label('b')}, b.sys_title"
    )
