"""Reads both backends share: listings, counts, aggregates, neighbours, search, scans.

The Cypher comes from :mod:`opencase.queries` in the backend's dialect; the
Python around it (paging cursors, sorting, "neighbours in one round trip per
link table") is written once here so it cannot drift between Ladybug and Neo4j.
A backend subclass sets ``_dialect`` and ``_conn`` (anything with
``rows(query, params)``) and adds what only it can do.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY, LinkType, ObjectType
from opencase.ontology.validation import title_of
from opencase.queries import objects as q
from opencase.queries import traversal
from opencase.queries.dialect import LADYBUG, Dialect
from opencase.queries.filters import Filter

from .columns import column, from_storage
from .store import (
    Direction,
    GroupCount,
    Neighbour,
    OrderBy,
    Page,
    StoredObject,
)


class _Rows(Protocol):
    def rows(self, query: str, params: Any = None) -> list[list[Any]]: ...


def _sides(lt: LinkType, type_name: str, direction: Direction) -> list[tuple[bool, str]]:
    """(outgoing, the other end's type) for each way ``lt`` leaves ``type_name``."""
    sides = []
    if direction in (Direction.OUT, Direction.BOTH) and lt.source == type_name:
        sides += [(True, t) for t in lt.targets]
    if direction in (Direction.IN, Direction.BOTH) and type_name in lt.targets:
        sides.append((False, lt.source))
    return sides


def object_from_row(values: Sequence[Any], ot: ObjectType) -> StoredObject:
    """An object from the fields a read returned (``queries.objects.returned``), in order."""
    return to_object(dict(zip(q.object_fields(ot), values, strict=True)), ot.name)


def to_object(node: dict[str, Any], type_name: str) -> StoredObject:
    """An object's stored fields (a dict of columns) as a :class:`StoredObject`."""
    ot = ONTOLOGY.object_type(type_name)
    props = {p.name: from_storage(p, node.get(p.name)) for p in ot.properties}
    sysc = {
        k: from_storage(column(ot.name, k), node.get(k))
        for k in ("sys_created_at", "sys_updated_at", "sys_deleted_at")
    }
    return StoredObject(
        id=node["id"],
        object_type=ot.name,
        title=node.get("sys_title") or title_of(ot, props),
        properties=props,
        created_at=sysc["sys_created_at"],
        updated_at=sysc["sys_updated_at"],
        deleted_at=sysc["sys_deleted_at"],
        deleted_by=node.get("sys_deleted_by"),
    )


def _cursor(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def _uncursor(text: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(text.encode()))
        if isinstance(data, dict):
            return data
    except ValueError:
        pass
    raise ValidationError("the cursor is not one this store gave out", suggestion="start again")


def _by_type(ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for oid in dict.fromkeys(ids):
        try:
            out[ONTOLOGY.type_of_id(oid).name].append(oid)
        except Exception:  # not an OpenCase id: it cannot be in the store
            continue
    return out


class CypherReads:
    """Read methods shared by the embedded and the Neo4j store."""

    _conn: _Rows
    _dialect: Dialect = LADYBUG

    def list(
        self,
        object_type: str,
        *,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        first: int = 100,
        after: str | None = None,
        include_deleted: bool = False,
        count_total: bool = True,
    ) -> Page:
        ot = ONTOLOGY.object_type(object_type)
        state = _uncursor(after) if after else {}
        keyset = not order_by
        query, params = q.list_objects(
            ot,
            where,
            order_by,
            after_id=state.get("id") if keyset else None,
            skip=0 if keyset else int(state.get("offset", 0)),
            limit=max(first, 0) + 1,
            include_deleted=include_deleted,
            dialect=self._dialect,
        )
        rows = self._conn.rows(query, params)
        has_next = len(rows) > first
        items = [object_from_row(row, ot) for row in rows[:first]]
        end = None
        if items:
            offset = int(state.get("offset", 0)) + len(items)
            end = _cursor({"id": items[-1].id} if keyset else {"offset": offset})
        total = self._count(ot, where, include_deleted) if count_total else None
        return Page(items=items, total_count=total, has_next_page=has_next, end_cursor=end)

    def _count(self, ot: ObjectType, where: Filter | None, include_deleted: bool) -> int:
        query, params = q.count_objects(ot, where, include_deleted, self._dialect)
        return int(self._conn.rows(query, params)[0][0])

    def count(self, object_type: str, *, where: Filter | None = None) -> int:
        return self._count(ONTOLOGY.object_type(object_type), where, False)

    def aggregate(
        self, object_type: str, group_by: Sequence[str], *, where: Filter | None = None
    ) -> list[GroupCount]:
        ot = ONTOLOGY.object_type(object_type)
        if not group_by:
            return [GroupCount(group={}, count=self._count(ot, where, False))]
        query, params = q.aggregate(ot, group_by, where, self._dialect)
        out = []
        for row in self._conn.rows(query, params):
            group = {}
            for name, value in zip(group_by, row[:-1], strict=True):
                prop = column(ot.name, "sys_title" if name == "title" else name)
                group[name] = from_storage(prop, value)
            out.append(GroupCount(group=group, count=int(row[-1])))
        return out

    def neighbour_ids(
        self, ids: Sequence[str], *, link_type: str, direction: Direction
    ) -> dict[str, list[str]]:
        if direction is Direction.BOTH:
            raise ValidationError("neighbour_ids walks one direction: OUT or IN")
        lt = ONTOLOGY.link_type(link_type)
        out: dict[str, list[str]] = defaultdict(list)
        for type_name, group in _by_type(ids).items():
            for outgoing, other in _sides(lt, type_name, direction):
                query = traversal.neighbour_ids(
                    ONTOLOGY.object_type(type_name),
                    lt.rel_type,
                    outgoing,
                    ONTOLOGY.object_type(other),
                )
                for src, found in self._conn.rows(query, {"ids": group}):
                    if found is not None:
                        out[src].append(found)
        return dict(out)

    def neighbours(
        self,
        ids: Sequence[str],
        *,
        link_type: str | None = None,
        direction: Direction = Direction.BOTH,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        limit_per_id: int | None = None,
        link_where: Filter | None = None,
    ) -> dict[str, list[Neighbour]]:
        out: dict[str, list[Neighbour]] = {oid: [] for oid in dict.fromkeys(ids)}
        if link_where is not None and not link_type:
            raise ValidationError(
                "a filter on link properties needs one link type",
                suggestion="pass link_type with link_where",
            )
        links = [ONTOLOGY.link_type(link_type)] if link_type else list(ONTOLOGY.link_types)
        for type_name, group in _by_type(ids).items():
            anchor = ONTOLOGY.object_type(type_name)
            for lt in links:
                for outgoing, other_name in _sides(lt, anchor.name, direction):
                    other = ONTOLOGY.object_type(other_name)
                    try:
                        query, params = traversal.neighbours(
                            anchor,
                            lt.rel_type,
                            outgoing,
                            other,
                            group,
                            where,
                            order_by,
                            self._dialect,
                            link_where=(lt, link_where) if link_where is not None else None,
                            # one id: its limit is the statement's, so a long list is not read
                            limit=limit_per_id if len(group) == 1 else None,
                            link_properties=[p.name for p in lt.properties],
                        )
                    except ValidationError:
                        if link_type:
                            raise
                        continue  # the filter names a property this neighbour type lacks
                    d = Direction.OUT if outgoing else Direction.IN
                    width = len(q.object_fields(other))
                    for src, *values in self._conn.rows(query, params):
                        if values[0] is None:  # the id has no such neighbour
                            continue
                        found = object_from_row(values[:width], other)
                        lprops = {
                            p.name: from_storage(p, v)
                            for p, v in zip(lt.properties, values[width:], strict=True)
                        }
                        out[src].append(Neighbour(src, lt.api_name, d, found, lprops))
        if limit_per_id is not None or len(links) > 1:
            for oid, items in out.items():
                if len(links) > 1 and order_by:
                    items.sort(key=lambda n: _sort_key(n.object, order_by))
                if limit_per_id is not None:
                    out[oid] = items[:limit_per_id]
        return out

    def search(
        self, text: str, *, object_types: Sequence[str] | None = None, first: int = 20
    ) -> list[StoredObject]:
        needle = text.strip()
        if not needle:
            return []
        types = [ONTOLOGY.object_type(t) for t in object_types] if object_types else None
        found: list[StoredObject] = []
        for ot in types or ONTOLOGY.object_types:
            query, params = q.search(ot, needle, first, self._dialect)
            found += [object_from_row(row, ot) for row in self._conn.rows(query, params)]
        low = needle.lower()
        found.sort(
            key=lambda o: (
                o.title.lower() != low,
                not o.title.lower().startswith(low),
                low not in o.title.lower(),
                len(o.title),
                o.id,
            )
        )
        return found[:first]

    def scan_objects(
        self, object_type: str, *, batch_size: int = 10_000, include_deleted: bool = False
    ) -> Iterator[list[StoredObject]]:
        ot = ONTOLOGY.object_type(object_type)
        after: str | None = None
        while True:
            query, params = q.scan(ot, after, batch_size, include_deleted)
            batch = [object_from_row(row, ot) for row in self._conn.rows(query, params)]
            if not batch:
                return
            yield batch
            if len(batch) < batch_size:
                return
            after = batch[-1].id

    def stats(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for ot in ONTOLOGY.object_types:
            n = self._count(ot, None, False)
            if n:
                out[ot.name] = n
        for lt in ONTOLOGY.link_types:
            n = int(self._conn.rows(q.count_links(lt))[0][0])
            if n:
                out[lt.api_name] = n
        return out


def _sort_key(obj: StoredObject, order_by: Sequence[OrderBy]) -> tuple:
    key: list[Any] = []
    for o in order_by:
        value = obj.title if o.property == "title" else obj.properties.get(o.property)
        present = value is not None
        if o.descending:
            key.append((not present, _Reverse(value) if present else 0))
        else:
            key.append((not present, value if present else 0))
    key.append(obj.id)
    return tuple(key)


class _Reverse:
    """Inverts ordering for descending keys of any comparable type."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reverse) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reverse) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]
