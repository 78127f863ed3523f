"""Parameterised Cypher for walking links: neighbours (batched) and lineage levels.

A level of a traversal is one query per (frontier type, direction): the
frontier's ids arrive as a list and each is looked up through the primary-key
index (``UNWIND $ids AS i MATCH (a:T {id: i})``), which keeps lineage cost
proportional to what it reaches rather than to the size of the graph.
"""

from __future__ import annotations

from collections.abc import Sequence

from opencase.ontology import ObjectType

from .dialect import LADYBUG, Dialect, ident
from .filters import Filter, Params
from .objects import order_clause
from .where import WhereCompiler


def _arrow(rel: str, outgoing: bool) -> str:
    return f"-[e:{rel}]->" if outgoing else f"<-[e:{rel}]-"


def neighbours(
    anchor: ObjectType,
    rel_type: str,
    outgoing: bool,
    other: ObjectType,
    ids: Sequence[str],
    where: Filter | None,
    order_by: Sequence[object],
    dialect: Dialect = LADYBUG,
) -> tuple[str, dict]:
    """Objects of type ``other`` one ``rel_type`` link away from each id; returns i, n, e."""
    params = Params()
    params.values["ids"] = list(ids)
    cond = WhereCompiler(params, dialect).compile(other, where, "n")
    order = order_clause(other, order_by, "n").replace("ORDER BY ", "ORDER BY i, ")
    query = (
        f"UNWIND $ids AS i MATCH (a:{ident(anchor.name)} {{id: i}})"
        f"{_arrow(ident(rel_type), outgoing)}(n:{ident(other.name)}) "
        f"WHERE n.sys_deleted_at IS NULL AND {cond} "
        f"RETURN i, n, e {order}"
    )
    return query, params.values


def lineage_level(
    anchor: ObjectType,
    rel_types: Sequence[str],
    outgoing: bool,
    dialect: Dialect = LADYBUG,
) -> str:
    """One breadth-first level from ``$ids`` of one type over the given relationship types."""
    rels = "|".join(ident(r) for r in rel_types)
    return (
        f"UNWIND $ids AS i MATCH (a:{ident(anchor.name)} {{id: i}}){_arrow(rels, outgoing)}(b) "
        "WHERE b.sys_deleted_at IS NULL "
        f"RETURN i, {dialect.rel_type('e')}, b.id, {dialect.label('b')}, b.sys_title"
    )
