"""Reads only the embedded store has: get by id, and paged scans by row number.

Everything else a reader needs is shared with Neo4j in
:mod:`opencase.graph.cypher_reads`; traversals (lineage, shortest path) live in
:mod:`opencase.graph.ladybug_traverse`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from opencase.ontology import ONTOLOGY
from opencase.queries import objects as q

from .columns import from_storage
from .cypher_reads import CypherReads, _by_type, object_from_row
from .ladybug_conn import LadybugConnection
from .ladybug_scan import link_pages
from .store import LinkRecord, StoredObject


class LadybugReads(CypherReads):
    """Read methods of :class:`~opencase.graph.embedded.EmbeddedStore`."""

    _conn: LadybugConnection

    def get(self, ids: Sequence[str], *, include_deleted: bool = False) -> dict[str, StoredObject]:
        out: dict[str, StoredObject] = {}
        for type_name, group in _by_type(ids).items():
            ot = ONTOLOGY.object_type(type_name)
            query, params = q.get_by_ids(ot, group, include_deleted)
            for row in self._conn.rows(query, params):
                out[row[0]] = object_from_row(row, ot)
        return out

    def scan_links(self, link_type: str, *, batch_size: int = 10_000) -> Iterator[list[LinkRecord]]:
        lt = ONTOLOGY.link_type(link_type)
        for table in link_pages(self._conn, lt, batch_size):
            yield [
                LinkRecord(
                    lt.api_name,
                    r["source"],
                    r["target"],
                    {p.name: from_storage(p, r[p.name]) for p in lt.properties},
                )
                for r in table.to_pylist()
            ]
