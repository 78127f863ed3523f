"""Look-ahead for nested link fields: load a whole subtree's links before resolving it.

Dataloaders already make a nested query cost one store call per level; but each
parent's link field then still awaits its own future, and that per-object
async machinery is where GraphQL spent most of its time. So a listing first
walks its selection (``edges { node { <link field>(args) { ... } } }``), loads
each level for all parents through the very same dataloaders (same keys), and
only then returns: the nested resolvers find their futures done and complete
synchronously. Anything the walk does not understand (fragments, aliases with
other arguments) simply takes the normal path, so this is only ever faster.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from graphql import FieldNode, GraphQLObjectType
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types import Info

from opencase.graph.store import StoredObject

from ..dataloaders import NeighbourQuery
from .connections import decode_cursor
from .links import LinkSide, link_sides
from .where import compile_where


def _fields(node: FieldNode | None, name: str | None = None) -> Iterable[FieldNode]:
    selection_set = node.selection_set if node is not None else None
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, FieldNode) and (name is None or sel.name.value == name):
            yield sel


def node_fields(info: Info) -> list[FieldNode]:
    """The ``edges { node { ... } }`` selections of a connection field."""
    return [
        n
        for f in info._raw_info.field_nodes
        for e in _fields(f, "edges")
        for n in _fields(e, "node")
    ]


def order_keys(value: Any) -> tuple[tuple[str, bool], ...]:
    """orderBy items (Strawberry inputs or graphql-core dicts) as (snake_case, descending)."""
    out = []
    for item in value or ():
        field, direction = (
            (item["field"], item["direction"])
            if isinstance(item, dict)
            else (item.field, item.direction)
        )
        out.append((field.value, getattr(direction, "value", direction) == "desc"))
    return tuple(out)


def asks_total(nodes: Iterable[FieldNode]) -> bool:
    """Whether ``totalCount`` is selected (fragments: assume it is)."""
    for node in nodes:
        for sel in node.selection_set.selections if node.selection_set else ():
            if not isinstance(sel, FieldNode) or sel.name.value == "totalCount":
                return True
    return False


def side_query(
    side: LinkSide, args: dict[str, Any], nodes: list[FieldNode]
) -> tuple[NeighbourQuery, int, int]:
    """The dataloader key a link field's arguments mean, with (offset, first) for paging."""
    from opencase.graph.store import OrderBy

    if not side.many:
        return NeighbourQuery(side.link.api_name, side.direction), 0, 1
    first = args["first"]
    _, offset = decode_cursor(args["after"])
    query = NeighbourQuery(
        link_type=side.link.api_name,
        direction=side.direction,
        where=compile_where(side.target_type, args["where"]),
        order_by=tuple(OrderBy(p, descending=d) for p, d in order_keys(args["order_by"])),
        limit_per_id=None if asks_total(nodes) else offset + first + 1,
    )
    return query, offset, first


async def prefetch(
    info: Info, nodes: list[FieldNode], type_name: str, items: list[StoredObject]
) -> None:
    """Load the link fields selected under ``nodes`` for ``items``, level by level."""
    if not items:
        return
    schema = info._raw_info.schema
    gql_type = schema.get_type(type_name)
    if not isinstance(gql_type, GraphQLObjectType):
        return
    sides = link_sides(type_name)
    loaders = info.context.loaders
    ids = [o.id for o in items]
    # Strawberry's info holds the coerced dict; graphql-core wants its container
    # (a plain dict failed on the first link argument given by a variable)
    coerced = info.variable_values
    variables = coerced if isinstance(coerced, VariableValues) else VariableValues({}, coerced)
    pending = []
    for node in nodes:
        for child in _fields(node):
            side = sides.get(child.name.value)
            if side is None:
                continue
            raw = get_argument_values(gql_type.fields[child.name.value], child, variables)
            args = {"where": raw.get("where"), "order_by": raw.get("orderBy")}
            args |= {"first": raw.get("first"), "after": raw.get("after")}
            try:
                query, offset, first = side_query(side, args, [child])
            except Exception:
                continue
            pending.append((side, child, offset, first, loaders.neighbours(query).load_many(ids)))
    if not pending:
        return
    results = await asyncio.gather(*(p[-1] for p in pending))
    deeper = []
    for (side, child, offset, first, _), found in zip(pending, results, strict=True):
        target = side.target_name
        if target is None:
            continue  # polymorphic: the next level's types differ per object
        reached = [o for objs in found for o in objs[offset : offset + first]]
        next_nodes = (
            [n for e in _fields(child, "edges") for n in _fields(e, "node")]
            if side.many
            else [child]
        )
        deeper.append(prefetch(info, next_nodes, target, reached))
    await asyncio.gather(*deeper)
