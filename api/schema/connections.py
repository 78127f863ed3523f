"""Relay-style connections and the cursors that page them.

The store pages with its own opaque ``end_cursor``; edges in the middle of a
page need cursors too, so an API cursor is the store cursor the page started
from plus an offset into it. Resuming mid-page costs at most one page of
extra rows, never a wrong result.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry

from opencase.errors import ValidationError

from ..limits import default_limits
from .views import ObjectView

MAX_PAGE = default_limits().max_page_size
DEFAULT_PAGE = min(100, MAX_PAGE)


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    hasNextPage: bool = strawberry.field(name="hasNextPage")
    endCursor: str | None = strawberry.field(name="endCursor")


class PageInfoValue:
    """A ``PageInfo``; the end cursor is encoded only when a query asks for it.

    Nested connections return hundreds of these per request, and most
    queries never select ``pageInfo``.
    """

    __slots__ = ("_end", "_last", "hasNextPage")

    def __init__(self, has_next: bool, end: str | None, last: EdgeValue | None) -> None:
        self.hasNextPage = has_next
        self._end = end
        self._last = last

    @property
    def endCursor(self) -> str | None:
        if self._end is None and self._last is not None:
            self._end = self._last.cursor
        return self._end


class EdgeValue:
    """An edge; its cursor is encoded only when a query asks for it."""

    __slots__ = ("_offset", "_start", "link", "node")

    def __init__(
        self,
        start: str | None,
        offset: int,
        node: ObjectView,
        link: Mapping[str, Any] | None = None,
    ) -> None:
        self._start = start
        self._offset = offset
        self.node = node
        #: the properties of the link that leads to ``node`` (link fields only)
        self.link = link or {}

    @property
    def cursor(self) -> str:
        return encode_cursor(self._start, self._offset)


@dataclass
class ConnectionValue:
    """What connection resolvers return; the generated connection types read it."""

    totalCount: int | None  # None only when the query did not select it (not counted)
    edges: list[EdgeValue]
    pageInfo: PageInfoValue


def encode_cursor(store_cursor: str | None, offset: int) -> str:
    raw = json.dumps([store_cursor, offset], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str | None, int]:
    """(store cursor, offset) of an API cursor; a bad cursor is the caller's error."""
    if not cursor:
        return None, 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        store_cursor, offset = json.loads(base64.urlsafe_b64decode(padded))
        if (store_cursor is None or isinstance(store_cursor, str)) and isinstance(offset, int):
            return store_cursor, max(offset, 0)
    except (ValueError, TypeError, binascii.Error):
        pass
    raise ValidationError(
        "'after' is not a cursor this API issued",
        suggestion="pass an endCursor or an edge cursor from a previous page",
    )


def check_first(first: int) -> int:
    """``first`` if it is a page size the server serves (``OPENCASE_MAX_PAGE_SIZE``)."""
    if first > MAX_PAGE:
        raise default_limits().refuse(
            "max_page_size", f"first is {first:,} (page through with 'after')", field="first"
        )
    if first < 0:
        raise ValidationError(
            f"first must be between 0 and {MAX_PAGE}, got {first}",
            suggestion=f"page through larger results with 'after' ({MAX_PAGE} at a time)",
        )
    return first


def connection(
    items: list[Any],
    *,
    start_cursor: str | None,
    offset: int,
    total_count: int | None,
    has_next: bool,
    end_store_cursor: str | None = None,
    links: list[Mapping[str, Any]] | None = None,
) -> ConnectionValue:
    """Edges for ``items``, which sit at ``offset``+i after ``start_cursor``; ``links``
    are the properties of the link to each item (for a link field's connection)."""
    edges = [
        EdgeValue(start_cursor, offset + i + 1, ObjectView(item), links[i] if links else None)
        for i, item in enumerate(items)
    ]
    end = encode_cursor(end_store_cursor, 0) if end_store_cursor is not None else None
    last = edges[-1] if edges and end is None else None
    return ConnectionValue(total_count, edges, PageInfoValue(has_next, end, last))
