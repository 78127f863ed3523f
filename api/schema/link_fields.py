"""Resolvers of link fields, generated per link end, all going through dataloaders.

A many-valued end is a connection with ``where``, ``orderBy``, ``first`` and
``after``; paging is an offset into the parent's neighbours (cursors are
positions in one parent's list). When ``totalCount`` is not asked for, the
loader fetches only ``offset + first + 1`` neighbours per parent.

Every parent of one level asks the same loader (same link, same arguments),
so a level costs one store call however many parents it has. The loader key
(arguments checked and compiled, whether ``totalCount`` is selected) is worked
out once per field of the query, not once per parent. A resolver returns its
value at once when the loader already holds it, and an awaitable otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from opencase.graph.store import Neighbour, OrderBy
from opencase.queries.filters import And, Filter

from ..dataloaders import NeighbourQuery
from .build import arg, param, resolver
from .connections import DEFAULT_PAGE, ConnectionValue, check_first, connection, decode_cursor
from .links import LinkSide
from .views import ObjectView, view
from .where import comparisons, compile_where, plain


def sort_keys(value: Any) -> tuple[OrderBy, ...]:
    """``orderBy`` input objects -> the store's sort keys (their enum values are snake_case)."""
    return tuple(
        OrderBy(item.field.value, descending=item.direction.value == "desc") for item in value or ()
    )


def asks_total(info: Info) -> bool:
    """Whether the connection's ``totalCount`` is selected (a fragment: assume it is)."""
    for selected in info.selected_fields:
        for sel in selected.selections:
            if not isinstance(sel, SelectedField) or sel.name == "totalCount":
                return True
    return False


def _location(info: Info) -> tuple[object, ...]:
    """Where the field sits in the response, list positions left out: every parent
    of one level (of one type) shares it, and with it the field's arguments and selection."""
    keys = []
    path = info.path
    while path is not None:
        if not isinstance(path.key, int):
            keys.append(path.key)
        path = path.prev
    return tuple(keys)


def _page(found: list[Neighbour], offset: int, first: int) -> ConnectionValue:
    page = found[offset : offset + first]
    return connection(
        [n.object for n in page],
        start_cursor=None,
        offset=offset,
        total_count=len(found),
        has_next=len(found) > offset + first,
        links=[n.link_properties for n in page],
    )


def split_where(side: LinkSide, where: Any) -> tuple[Filter | None, Filter | None]:
    """A link field's ``where`` as (filter on the linked objects, filter on the links):
    the link type's declared properties are where fields of their own."""
    raw = plain(where)
    if not raw or not side.link.properties:
        return compile_where(side.target_type, raw), None
    declared = {p.camel_name: p for p in side.link.properties}
    on_link: list[Filter] = []
    for name in [k for k in raw if k in declared]:
        value = raw.pop(name)
        if value is not None:
            on_link += comparisons(declared[name], value, f"where.{name}")
    link_filter = None if not on_link else on_link[0] if len(on_link) == 1 else And(tuple(on_link))
    return compile_where(side.target_type, raw), link_filter


def _then(future: Any, shape: Callable[[list[Neighbour]], Any]) -> Any:
    """``shape`` of the loaded neighbours: now if loaded, else once they are."""
    if future.done():
        return shape(future.result())

    async def later() -> Any:
        return shape(await future)

    return later()


def many_field(
    side: LinkSide, where_cls: type, order_cls: type, conn_cls: type
) -> Callable[..., Any]:
    def resolve(
        root: ObjectView,
        info: Info,
        where: Any = None,
        order_by: Any = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> ConnectionValue | Awaitable[ConnectionValue]:
        def plan() -> tuple[NeighbourQuery, int, int]:
            size = check_first(first)
            _, offset = decode_cursor(after)
            on_objects, on_links = split_where(side, where)
            query = NeighbourQuery(
                link_type=side.link.api_name,
                direction=side.direction,
                where=on_objects,
                order_by=sort_keys(order_by),
                limit_per_id=None if asks_total(info) else offset + size + 1,
                link_where=on_links,
            )
            return query, offset, size

        loaders = info.context.loaders
        # the parent's type too: fragments on two types may give one response key two meanings
        query, offset, size = loaders.once((root._type_name, *_location(info)), plan)
        future = loaders.neighbours(query).load(root.id)
        return _then(future, lambda items: _page(items, offset, size))

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


def _first(found: list[Neighbour]) -> ObjectView | None:
    return view(found[0].object) if found else None


def single_field(side: LinkSide, target_cls: Any) -> Callable[..., Any]:
    query = NeighbourQuery(link_type=side.link.api_name, direction=side.direction)

    def resolve(root: ObjectView, info: Info) -> Any:
        return _then(info.context.loaders.neighbours(query).load(root.id), _first)

    return resolver(resolve, [], target_cls | None, name=f"resolve_{side.field}", with_root=True)
