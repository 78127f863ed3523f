"""Reads of the Neo4j store: listings, counts, neighbours, search, scans and stats.

The Cypher comes from the shared builders in :mod:`opencase.queries` with the
Neo4j dialect; the Python around them mirrors the embedded store's reads, so
paging cursors, sorting and "neighbours in one round trip per link table" mean
the same on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY, ObjectType
from opencase.queries import objects as q
from opencase.queries import traversal
from opencase.queries.filters import Filter

from .columns import column, from_storage
from .ladybug_reads import _by_type, _cursor, _sort_key, _uncursor, to_object
from .neo4j_conn import DIALECT, Neo4jConnection
from .store import (
    Direction,
    GroupCount,
    LinkRecord,
    Neighbour,
    OrderBy,
    Page,
    StoredObject,
)


class Neo4jReads:
    """Read methods of :class:`~opencase.graph.neo4j_store.Neo4jStore`."""

    _conn: Neo4jConnection

    def list(
        self,
        object_type: str,
        *,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        first: int = 100,
        after: str | None = None,
        include_deleted: bool = False,
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
            dialect=DIALECT,
        )
        nodes = [row[0] for row in self._conn.rows(query, params)]
        items = [to_object(n, ot.name) for n in nodes[:first]]
        end = None
        if items:
            offset = int(state.get("offset", 0)) + len(items)
            end = _cursor({"id": items[-1].id} if keyset else {"offset": offset})
        total = self._count(ot, where, include_deleted)
        more = len(nodes) > first
        return Page(items=items, total_count=total, has_next_page=more, end_cursor=end)

    def _count(self, ot: ObjectType, where: Filter | None, include_deleted: bool) -> int:
        query, params = q.count_objects(ot, where, include_deleted, DIALECT)
        return int(self._conn.rows(query, params)[0][0])

    def count(self, object_type: str, *, where: Filter | None = None) -> int:
        return self._count(ONTOLOGY.object_type(object_type), where, False)

    def aggregate(
        self, object_type: str, group_by: Sequence[str], *, where: Filter | None = None
    ) -> list[GroupCount]:
        ot = ONTOLOGY.object_type(object_type)
        if not group_by:
            return [GroupCount(group={}, count=self._count(ot, where, False))]
        query, params = q.aggregate(ot, group_by, where, DIALECT)
        out = []
        for row in self._conn.rows(query, params):
            group = {
                name: from_storage(column(ot.name, "sys_title" if name == "title" else name), v)
                for name, v in zip(group_by, row[:-1], strict=True)
            }
            out.append(GroupCount(group=group, count=int(row[-1])))
        return out

    def neighbours(
        self,
        ids: Sequence[str],
        *,
        link_type: str | None = None,
        direction: Direction = Direction.BOTH,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        limit_per_id: int | None = None,
    ) -> dict[str, list[Neighbour]]:
        out: dict[str, list[Neighbour]] = {oid: [] for oid in dict.fromkeys(ids)}
        links = [ONTOLOGY.link_type(link_type)] if link_type else list(ONTOLOGY.link_types)
        for type_name, group in _by_type(ids).items():
            anchor = ONTOLOGY.object_type(type_name)
            for lt in links:
                sides = []
                if direction in (Direction.OUT, Direction.BOTH) and lt.source == anchor.name:
                    sides += [(True, t) for t in lt.targets]
                if direction in (Direction.IN, Direction.BOTH) and anchor.name in lt.targets:
                    sides.append((False, lt.source))
                for outgoing, other_name in sides:
                    other = ONTOLOGY.object_type(other_name)
                    try:
                        query, params = traversal.neighbours(
                            anchor, lt.rel_type, outgoing, other, group, where, order_by, DIALECT
                        )
                    except ValidationError:
                        if link_type:
                            raise
                        continue  # the filter names a property this neighbour type lacks
                    d = Direction.OUT if outgoing else Direction.IN
                    for src, node, rel in self._conn.rows(query, params):
                        if node is None:  # OPTIONAL MATCH: no neighbour of that kind
                            continue
                        lprops = {p.name: from_storage(p, rel.get(p.name)) for p in lt.properties}
                        out[src].append(
                            Neighbour(src, lt.api_name, d, to_object(node, other.name), lprops)
                        )
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
            query, params = q.search(ot, needle, first, DIALECT)
            found += [to_object(row[0], ot.name) for row in self._conn.rows(query, params)]
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
            batch = [to_object(row[0], ot.name) for row in self._conn.rows(query, params)]
            if batch:
                yield batch
            if len(batch) < batch_size:
                return
            after = batch[-1].id

    def scan_links(self, link_type: str, *, batch_size: int = 10_000) -> Iterator[list[LinkRecord]]:
        lt = ONTOLOGY.link_type(link_type)
        query = q.scan_links(lt) + " SKIP $skip LIMIT $limit"
        skip = 0
        while True:
            rows = self._conn.rows(query, {"skip": skip, "limit": batch_size})
            if rows:
                yield [
                    LinkRecord(
                        lt.api_name,
                        r[0],
                        r[1],
                        {
                            p.name: from_storage(p, v)
                            for p, v in zip(lt.properties, r[2:], strict=True)
                        },
                    )
                    for r in rows
                ]
            if len(rows) < batch_size:
                return
            skip += batch_size

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
