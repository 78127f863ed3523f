"""Bulk scans of the embedded store, paged by the engine's internal row offset.

A relationship table's rows have dense internal offsets (``offset(ID(x))``),
so ``offset >= lo AND offset < hi`` pages a table without sorting it and without
a keyset that makes every page rescan and re-sort the rest of the table. Each
page comes back as one Arrow table; nothing holds more than a page, which is what
lets an export of any size stay in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from opencase.ontology import LinkType
from opencase.queries.dialect import ident

from .ladybug_conn import LadybugConnection


def _last_offset(conn: LadybugConnection, pattern: str, var: str) -> int:
    rows = conn.rows(f"MATCH {pattern} RETURN max(offset(ID({var})))")
    value = rows[0][0] if rows else None
    return -1 if value is None else int(value)


def _pages(last: int, batch_size: int) -> Iterator[dict[str, int]]:
    step = max(1, batch_size)
    for lo in range(0, last + 1, step):
        yield {"lo": lo, "hi": lo + step}


def link_pages(conn: LadybugConnection, lt: LinkType, batch_size: int) -> Iterator[pa.Table]:
    """Pages of one relationship table: ``source``, ``target``, then the link properties."""
    pattern = f"()-[e:{ident(lt.rel_type)}]->()"
    props = "".join(f", e.{ident(p.name)} AS {ident(p.name)}" for p in lt.properties)
    query = (
        f"MATCH (a)-[e:{ident(lt.rel_type)}]->(b) "
        "WHERE offset(ID(e)) >= $lo AND offset(ID(e)) < $hi "
        f"RETURN a.id AS source, b.id AS target{props}"
    )
    for params in _pages(_last_offset(conn, pattern, "e"), batch_size):
        table = conn.arrow(query, params)
        if table.num_rows:
            yield table
