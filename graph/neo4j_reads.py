"""Reads only the Neo4j store has: link scans paged with SKIP/LIMIT.

Listings, counts, aggregates, neighbours, search, object scans and stats are
shared with the embedded store (:mod:`opencase.graph.cypher_reads`), here with
the Neo4j dialect, so cursors, sorting and "neighbours in one round trip per
link table" mean the same on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator

from opencase.ontology import ONTOLOGY
from opencase.queries import objects as q

from .columns import from_storage
from .cypher_reads import CypherReads
from .neo4j_conn import DIALECT, Neo4jConnection
from .store import LinkRecord


class Neo4jReads(CypherReads):
    """Read methods of :class:`~opencase.graph.neo4j_store.Neo4jStore`."""

    _conn: Neo4jConnection
    _dialect = DIALECT

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
