"""Small writes as plain parameterised statements; large ones keep Arrow (COPY, LOAD FROM).

Why two paths: every statement that scans a Python Arrow table (``COPY ...
FROM $rows``, ``LOAD FROM $rows``) leaves engine memory behind for as long as
the process lives, even when the table holds one row. A bulk load runs a few
such statements over millions of rows and does not notice; a server that
takes thousands of one-object actions ran out of its buffer pool. A statement
with scalar parameters (``CREATE (n:T {id: $p0, ...})``, one per row) leaves
nothing behind and costs about as much as one engine round trip, so every
write and every lookup over a few rows goes this way; the question "small or
bulk?" is asked only through :func:`opencase.graph.small.is_small`.

Every value goes through ``CAST($p AS <column type>)``: a ``None`` or an empty
list then still has the column's type, which a bare parameter would not. The
statement text depends only on the table and its columns, so the engine
prepares it once and reuses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from opencase.ontology import Property
from opencase.queries.dialect import ident

from .columns import DDL_TYPES
from .ladybug_conn import LadybugConnection
from .small import is_small


def ids_source(ids: Sequence[str]) -> tuple[str, Any]:
    """The clause that binds each id to ``i``, and its parameter: a list, or an Arrow column.

    An Arrow column costs one conversion for the lot where a Python list costs
    one per element, so large lookups keep it; small ones must not (module doc).
    """
    if is_small(len(ids)):
        return "UNWIND $ids AS i", list(ids)
    return "LOAD FROM $ids", pa.table({"i": pa.array(list(ids), pa.string())})


def _cast(prop: Property, param: str) -> str:
    return f"CAST(${param} AS {DDL_TYPES[prop.type]})"


def create_nodes(
    conn: LadybugConnection,
    type_name: str,
    props: Sequence[Property],
    rows: Iterable[Sequence[Any]],
) -> None:
    """One ``CREATE`` per row; ``rows`` hold storage values in the order of ``props``."""
    fields = ", ".join(f"{ident(p.name)}: {_cast(p, f'p{i}')}" for i, p in enumerate(props))
    query = f"CREATE (n:{ident(type_name)} {{{fields}}})"
    for row in rows:
        conn.execute(query, {f"p{i}": v for i, v in enumerate(row)})


def set_nodes(
    conn: LadybugConnection,
    type_name: str,
    props: Sequence[Property],
    rows: Iterable[Sequence[Any]],
) -> None:
    """One ``MATCH ... SET`` per row: ``rows`` start with the id, then ``props``' values."""
    sets = ", ".join(f"n.{ident(p.name)} = {_cast(p, f'p{i}')}" for i, p in enumerate(props))
    query = f"MATCH (n:{ident(type_name)} {{id: $id}}) SET {sets}"
    for oid, *values in rows:
        conn.execute(query, {"id": oid, **{f"p{i}": v for i, v in enumerate(values)}})


def create_links(
    conn: LadybugConnection,
    rel: str,
    ends: tuple[str, str],
    props: Sequence[Property],
    rows: Iterable[Sequence[Any]],
) -> None:
    """One ``MATCH ... CREATE`` per link; ``rows`` are (source, target, *property values)."""
    fields = ", ".join(f"{ident(p.name)}: {_cast(p, f'p{i}')}" for i, p in enumerate(props))
    query = (
        f"MATCH (a:{ident(ends[0])} {{id: $s}}), (b:{ident(ends[1])} {{id: $t}}) "
        f"CREATE (a)-[:{ident(rel)}{f' {{{fields}}}' if fields else ''}]->(b)"
    )
    for s, t, *values in rows:
        conn.execute(query, {"s": s, "t": t, **{f"p{i}": v for i, v in enumerate(values)}})


def set_links(
    conn: LadybugConnection,
    rel: str,
    ends: tuple[str, str],
    props: Sequence[Property],
    rows: Iterable[Sequence[Any]],
) -> None:
    """One ``MATCH ... SET`` per link; ``rows`` are (source, target, *property values)."""
    sets = ", ".join(f"e.{ident(p.name)} = {_cast(p, f'p{i}')}" for i, p in enumerate(props))
    query = (
        f"MATCH (a:{ident(ends[0])} {{id: $s}})-[e:{ident(rel)}]->"
        f"(b:{ident(ends[1])} {{id: $t}}) SET {sets}"
    )
    for s, t, *values in rows:
        conn.execute(query, {"s": s, "t": t, **{f"p{i}": v for i, v in enumerate(values)}})
