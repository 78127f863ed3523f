"""Root query fields per object type: ``modelWork(id)`` and ``modelWorks(where, ...)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types import Info

from opencase.errors import NotFoundError
from opencase.ontology import ObjectType

from .build import arg, param, resolver
from .connections import DEFAULT_PAGE, check_first, connection, decode_cursor
from .link_fields import asks_total, sort_keys
from .views import view
from .where import compile_where, plain


def global_id(ot: ObjectType, given: str) -> str:
    """Accept a global id or, for convenience, the bare primary key of this type."""
    prefix = ot.api_name + ":"
    return given if given.startswith(prefix) else prefix + given


INCLUDE_DELETED_DOC = (
    "Also soft-deleted objects (their deletedAt, deletedBy and deleteReason say so). "
    "Needs an API key with audit scope, or an admin's write key."
)


async def load_object(info: Info, object_id: str, include_deleted: bool) -> Any:
    """One object by global id; a deleted one only for callers allowed to see it."""
    if not include_deleted:
        return await info.context.loaders.objects.load(object_id)
    info.context.require_scope("audit")
    found = await info.context.call("get", [object_id], include_deleted=True)
    return found.get(object_id)


def one(ot: ObjectType, node_cls: type) -> Callable[..., Any]:
    async def resolve(info: Info, id: str, include_deleted: bool = False) -> Any:
        found = await load_object(info, global_id(ot, id), include_deleted)
        if found is not None and found.object_type not in (ot.name, ot.api_name):
            return None
        return view(found)

    return resolver(
        resolve,
        [
            param("id", arg(strawberry.ID, f"Global id (or primary key) of the {ot.name}.")),
            param("include_deleted", arg(bool, INCLUDE_DELETED_DOC), False),
        ],
        node_cls | None,
        name=f"resolve_{ot.name}",
    )


def many(ot: ObjectType, where_cls: type, order_cls: type, conn_cls: type) -> Callable[..., Any]:
    async def resolve(info: Info, **kw: Any) -> Any:
        first = check_first(kw["first"])
        start, offset = decode_cursor(kw["after"])
        include_deleted = bool(kw.get("include_deleted"))
        if include_deleted:
            info.context.require_scope("audit")
        page = await info.context.call(
            "list",
            ot.name,
            where=compile_where(ot, plain(kw["where"])),
            order_by=sort_keys(kw["order_by"]),
            first=first + offset,
            after=start,
            include_deleted=include_deleted,
            count_total=asks_total(info),
        )
        items = page.items[offset:]
        return connection(
            items,
            start_cursor=start,
            offset=offset,
            total_count=page.total_count,
            has_next=page.has_next_page,
            end_store_cursor=page.end_cursor if items else None,
        )

    return resolver(
        resolve,
        [
            param("where", arg(where_cls | None, f"Only {ot.plural_name} that match."), None),
            param(
                "order_by", arg(list[order_cls] | None, "Sort keys, in order (then by id)."), None
            ),
            param("first", arg(int, "Page size (at most 500)."), DEFAULT_PAGE),
            param("after", arg(str | None, "Cursor to continue after."), None),
            param("include_deleted", arg(bool, INCLUDE_DELETED_DOC), False),
        ],
        conn_cls,
        name=f"resolve_{ot.plural_name}",
    )


def missing(object_id: str) -> NotFoundError:
    return NotFoundError(
        f"no object with id {object_id!r}",
        suggestion="ids look like '<object type API name>:<primary key>'; try search(text: ...)",
    )
