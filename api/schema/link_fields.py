"""Resolvers of link fields, generated per link end, all going through dataloaders.

A many-valued end is a connection with ``where``, ``orderBy``, ``first`` and
``after``; paging is an offset into the parent's neighbours (cursors are
positions in one parent's list). When ``totalCount`` is not asked for, the
loader fetches only ``offset + first + 1`` neighbours per parent.

The resolvers are synchronous when their dataloader future is already done
(prefetch.py loaded the level ahead) and return an awaitable otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opencase.graph.store import OrderBy, StoredObject
from strawberry.types import Info

from ..dataloaders import NeighbourQuery
from .build import arg, param, resolver
from .connections import DEFAULT_PAGE, ConnectionValue, check_first, connection
from .links import LinkSide
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


def many_field(
    side: LinkSide, where_cls: type, order_cls: type, conn_cls: type
) -> Callable[..., Any]:
    def resolve(root: ObjectView, info: Info, **kw: Any) -> Any:
        first = check_first(kw["first"])
        args = {"where": plain(kw["where"]), "order_by": kw["order_by"], "first": first}
        query, offset, first = side_query(
            side, args | {"after": kw["after"]}, info._raw_info.field_nodes
        )
        future = info.context.loaders.neighbours(query).load(root.id)
        if future.done():
            return _page(future.result(), offset, first)
        return _later(future, lambda items: _page(items, offset, first))

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


def single_field(side: LinkSide, target_cls: Any) -> Callable[..., Any]:
    query = NeighbourQuery(link_type=side.link.api_name, direction=side.direction)

    def resolve(root: ObjectView, info: Info) -> Any:
        future = info.context.loaders.neighbours(query).load(root.id)
        if future.done():
            return _first(future.result())
        return _later(future, _first)

    return resolver(resolve, [], target_cls | None, name=f"resolve_{side.field}", with_root=True)
