"""Resolvers of link fields, generated per link end, all going through dataloaders.

A many-valued end is a connection with ``where``, ``orderBy``, ``first`` and
``after``; paging is an offset into the parent's neighbours (cursors are
positions in one parent's list). When ``totalCount`` is not asked for, the
loader fetches only ``offset + first + 1`` neighbours per parent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opencase.graph.store import OrderBy
from strawberry.types import Info

from ..dataloaders import NeighbourQuery
from .build import arg, param, resolver
from .connections import DEFAULT_PAGE, check_first, connection, decode_cursor
from .links import LinkSide
from .views import ObjectView, view
from .where import compile_where, plain


def order_by(value: Any) -> tuple[OrderBy, ...]:
    """``orderBy`` input objects -> the store's sort keys (their enum values are snake_case)."""
    return tuple(
        OrderBy(item.field.value, descending=item.direction.value == "desc") for item in value or ()
    )


def _asks_total(info: Info) -> bool:
    """Whether the query selects ``totalCount`` here (read off the syntax tree, which is
    cheap; Strawberry's ``selected_fields`` would convert the whole subtree per parent)."""
    for node in info._raw_info.field_nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            name = getattr(selection, "name", None)
            if name is None or name.value == "totalCount":  # fragments: assume it is asked
                return True
    return False


def many_field(
    side: LinkSide, where_cls: type, order_cls: type, conn_cls: type
) -> Callable[..., Any]:
    async def resolve(root: ObjectView, info: Info, **kw: Any) -> Any:
        first = check_first(kw["first"])
        _, offset = decode_cursor(kw["after"])
        needs_total = _asks_total(info)
        query = NeighbourQuery(
            link_type=side.link.api_name,
            direction=side.direction,
            where=compile_where(side.target_type, plain(kw["where"])),
            order_by=order_by(kw["order_by"]),
            limit_per_id=None if needs_total else offset + first + 1,
        )
        items = await info.context.loaders.neighbours(query).load(root.id)
        page = items[offset : offset + first]
        return connection(
            page,
            start_cursor=None,
            offset=offset,
            total_count=len(items),
            has_next=len(items) > offset + first,
        )

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


def single_field(side: LinkSide, target_cls: Any) -> Callable[..., Any]:
    query = NeighbourQuery(link_type=side.link.api_name, direction=side.direction)

    async def resolve(root: ObjectView, info: Info) -> Any:
        items = await info.context.loaders.neighbours(query).load(root.id)
        return view(items[0]) if items else None

    return resolver(resolve, [], target_cls | None, name=f"resolve_{side.field}", with_root=True)
