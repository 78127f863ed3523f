"""Resolvers of link fields, generated per link end, all going through dataloaders.

A many-valued end is a connection with ``where``, ``orderBy``, ``first`` and
``after``; paging is an offset into the parent's neighbours (cursors are
positions in one parent's list). When ``totalCount`` is not asked for, the
loader fetches only ``offset + first + 1`` neighbours per parent.

The resolvers are synchronous when their dataloader future is already done
(prefetch.py loaded the level ahead) and return an awaitable otherwise.

Strawberry reads each field's signature to build the schema, but at run time
:func:`resolve_links_directly` hands graphql-core a resolver that takes its
arguments as they come: Strawberry's per-call conversion of four arguments
into input objects cost more than the link lookup itself in a nested listing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import FieldNode, GraphQLObjectType, GraphQLSchema
from strawberry.types import Info

from opencase.graph.store import OrderBy, StoredObject
from opencase.ontology import ONTOLOGY

from ..dataloaders import NeighbourQuery
from .build import arg, param, resolver
from .connections import DEFAULT_PAGE, ConnectionValue, check_first, connection
from .links import LinkSide, link_sides
from .prefetch import order_keys, side_query
from .views import ObjectView, view
from .where import plain


def order_by(value: Any) -> tuple[OrderBy, ...]:
    """``orderBy`` input objects -> the store's sort keys (their enum values are snake_case)."""
    return tuple(OrderBy(p, descending=d) for p, d in order_keys(value))


def _page(items: list[StoredObject], offset: int, first: int) -> ConnectionValue:
    return connection(
        items[offset : offset + first],
        start_cursor=None,
        offset=offset,
        total_count=len(items),
        has_next=len(items) > offset + first,
    )


async def _later(future: Any, then: Callable[[Any], Any]) -> Any:
    return then(await future)


#: What a prepared link resolver returns when its dataloader future is not done yet.
NOT_READY = object()


def _many_query(
    side: LinkSide, nodes: Any, args: dict[str, Any]
) -> tuple[NeighbourQuery, int, int]:
    """The loader key and (offset, first) of a connection field's arguments."""
    first = check_first(args["first"])
    args = args | {"where": plain(args["where"]), "first": first}
    return side_query(side, args, nodes)


def _many(side: LinkSide, root: ObjectView, context: Any, nodes: Any, args: dict[str, Any]) -> Any:
    """A page of ``root``'s neighbours; ``args`` as graphql-core or Strawberry gives them."""
    query, offset, first = _many_query(side, nodes, args)
    future = context.loaders.neighbours(query).load(root.id)
    if future.done():
        return _page(future.result(), offset, first)
    return _later(future, lambda items: _page(items, offset, first))


def many_field(
    side: LinkSide, where_cls: type, order_cls: type, conn_cls: type
) -> Callable[..., Any]:
    def resolve(root: ObjectView, info: Info, **kw: Any) -> Any:
        return _many(side, root, info.context, info._raw_info.field_nodes, kw)

    return resolver(
        resolve,
        [
            param("where", arg(where_cls | None, "Only linked objects that match."), None),
            param("order_by", arg(list[order_cls] | None, "Sort keys, in order."), None),
            param("first", arg(int, "Page size (at most 500)."), DEFAULT_PAGE),
            param("after", arg(str | None, "Cursor to continue after."), None),
        ],
        conn_cls,
        name=f"resolve_{side.field}",
        with_root=True,
    )


def _first(items: list[StoredObject]) -> ObjectView | None:
    return view(items[0]) if items else None


def _single(side: LinkSide) -> Callable[[ObjectView, Any], Any]:
    query = NeighbourQuery(link_type=side.link.api_name, direction=side.direction)

    def resolve(root: ObjectView, context: Any) -> Any:
        future = context.loaders.neighbours(query).load(root.id)
        if future.done():
            return _first(future.result())
        return _later(future, _first)

    return resolve


def single_field(side: LinkSide, target_cls: Any) -> Callable[..., Any]:
    one = _single(side)

    def resolve(root: ObjectView, info: Info) -> Any:
        return one(root, info.context)

    return resolver(resolve, [], target_cls | None, name=f"resolve_{side.field}", with_root=True)


#: (parent, request context) -> the field's value, or NOT_READY
Prepared = Callable[[ObjectView, Any], Any]


def _core_args(raw: dict[str, Any]) -> dict[str, Any]:
    args = {"where": raw.get("where"), "order_by": raw.get("orderBy")}
    return args | {"first": raw.get("first", DEFAULT_PAGE), "after": raw.get("after")}


def _prepare_single(side: LinkSide) -> Callable[[dict[str, Any], list[FieldNode]], Prepared]:
    query = NeighbourQuery(link_type=side.link.api_name, direction=side.direction)

    def prepare(raw: dict[str, Any], nodes: list[FieldNode]) -> Prepared:
        def resolve(root: ObjectView, context: Any) -> Any:
            future = context.loaders.neighbours(query).load(root.id)
            return _first(future.result()) if future.done() else NOT_READY

        return resolve

    return prepare


def _prepare_many(side: LinkSide) -> Callable[[dict[str, Any], list[FieldNode]], Prepared]:
    def prepare(raw: dict[str, Any], nodes: list[FieldNode]) -> Prepared:
        # the arguments are the same for every parent: checked and compiled once
        query, offset, first = _many_query(side, nodes, _core_args(raw))

        def resolve(root: ObjectView, context: Any) -> Any:
            future = context.loaders.neighbours(query).load(root.id)
            return _page(future.result(), offset, first) if future.done() else NOT_READY

        return resolve

    return prepare


def _core_resolver(side: LinkSide) -> Callable[..., Any]:
    """The same resolver, called by graphql-core with its own info and argument names.

    Its ``prepare(raw_args, field_nodes)`` attribute is the same resolver split
    in two for the executor's compiled subtrees (execution.py): the argument
    work once per field of the query, then one cheap call per parent that
    never returns an awaitable (``NOT_READY`` instead: the caller falls back).
    """
    resolve: Any
    if not side.many:
        one = _single(side)

        def resolve(root: ObjectView, info: Any) -> Any:
            return one(root, info.context)

        resolve.prepare = _prepare_single(side)
        return resolve

    def resolve(root: ObjectView, info: Any, **raw: Any) -> Any:
        return _many(side, root, info.context, info.field_nodes, _core_args(raw))

    resolve.prepare = _prepare_many(side)
    return resolve


def resolve_links_directly(schema: GraphQLSchema) -> None:
    """Point every generated link field of ``schema`` at its graphql-core resolver."""
    for ot in ONTOLOGY.object_types:
        gql_type = schema.get_type(ot.name)
        if not isinstance(gql_type, GraphQLObjectType):
            continue
        for name, side in link_sides(ot.name).items():
            field = gql_type.fields.get(name)
            if field is not None:
                field.resolve = _core_resolver(side)
