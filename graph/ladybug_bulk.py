"""The engine's own bulk load, as a yardstick for :meth:`EmbeddedStore.upsert`.

The benchmark compares our upsert (validation, merge, hashes, link checks, one
transaction per batch) with what Ladybug does alone: ``COPY`` of the same
records from Arrow with no checks at all. Only meaningful on an empty store: a
duplicate primary key aborts the whole COPY.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from opencase.ontology import ONTOLOGY, SYSTEM_PROPERTIES
from opencase.queries.dialect import ident

from .columns import arrow_column
from .ladybug_conn import LadybugConnection
from .store import LinkRecord, ObjectRecord

_ID = SYSTEM_PROPERTIES[0]


def copy_baseline(
    conn: LadybugConnection, objects: Iterable[ObjectRecord], links: Iterable[LinkRecord]
) -> dict[str, float]:
    """COPY the records as they are; returns seconds to build the Arrow tables and to COPY."""
    started = time.perf_counter()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    count = 0
    for rec in objects:
        ot = ONTOLOGY.object_type(rec.object_type)
        row = dict(rec.properties)
        row["id"] = f"{ot.api_name}:{row[ot.primary_key]}"
        rows[ot.name].append(row)
        count += 1
    pairs: dict[tuple[str, str, str], list[LinkRecord]] = defaultdict(list)
    for lk in links:
        lt = ONTOLOGY.link_type(lk.link_type)
        target = ONTOLOGY.type_of_id(lk.target_id).name
        pairs[(lt.api_name, lt.source, target)].append(lk)
        count += 1
    node_tables = []
    for type_name, group in rows.items():
        props = (_ID, *ONTOLOGY.object_type(type_name).properties)
        arrays = [arrow_column(p, [r.get(p.name) for r in group]) for p in props]
        node_tables.append(
            (type_name, props, pa.Table.from_arrays(arrays, [p.name for p in props]))
        )
    link_tables = []
    for (api, source, target), group in pairs.items():
        lt = ONTOLOGY.link_type(api)
        arrays = [
            pa.array([lk.source_id for lk in group], pa.string()),
            pa.array([lk.target_id for lk in group], pa.string()),
        ]
        arrays += [
            arrow_column(p, [lk.properties.get(p.name) for lk in group]) for p in lt.properties
        ]
        names = ["from", "to", *(p.name for p in lt.properties)]
        link_tables.append((lt.rel_type, source, target, pa.Table.from_arrays(arrays, names)))
    prepared = time.perf_counter()
    for type_name, props, table in node_tables:
        cols = ", ".join(ident(p.name) for p in props)
        conn.execute(f"COPY {ident(type_name)}({cols}) FROM $rows", {"rows": table})
    for rel, source, target, table in link_tables:
        conn.execute(
            f"COPY {ident(rel)} FROM $rows (from='{source}', to='{target}')", {"rows": table}
        )
    done = time.perf_counter()
    return {"elements": float(count), "prepare_s": prepared - started, "copy_s": done - prepared}
