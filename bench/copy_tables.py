"""The generator's records as per-table Arrow tables: the raw COPY baseline's input.

The baseline loads exactly what the store would write (global id, title,
timestamps, declared properties in storage form) straight into the engine's
tables with ``COPY``, skipping validation, hashing, planning and the existence
checks. The store's throughput is reported as a fraction of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from opencase.graph.columns import ARROW_TYPES, node_columns, to_storage
from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY
from opencase.ontology.validation import title_of


@dataclass(frozen=True)
class RelTable:
    """Rows of one link type between one source and one target type (one COPY each)."""

    rel_type: str
    source: str
    target: str
    table: pa.Table


def node_tables(objects: Iterable[ObjectRecord]) -> dict[str, pa.Table]:
    """One table per object type name, columns in the node table's order."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in objects:
        ot = ONTOLOGY.object_type(record.object_type)
        row = {
            p.name: to_storage(p, v)
            for p in ot.properties
            if (v := record.properties.get(p.name)) is not None
        }
        row["id"] = f"{ot.api_name}:{record.properties[ot.primary_key]}"
        row["sys_title"] = title_of(ot, record.properties)
        row["sys_created_at"] = row["sys_updated_at"] = now
        rows[ot.name].append(row)
    out = {}
    for name, group in rows.items():
        columns = node_columns(ONTOLOGY.object_type(name))
        arrays = [pa.array([r.get(p.name) for r in group], ARROW_TYPES[p.type]) for p in columns]
        out[name] = pa.Table.from_arrays(arrays, names=[p.name for p in columns])
    return out


def rel_tables(links: Iterable[LinkRecord]) -> list[RelTable]:
    """One table per (link type, source type, target type): ``from``, ``to``, then properties."""
    groups: dict[tuple[str, str, str], list[LinkRecord]] = defaultdict(list)
    for link in links:
        source = ONTOLOGY.type_of_id(link.source_id).name
        target = ONTOLOGY.type_of_id(link.target_id).name
        groups[(link.link_type, source, target)].append(link)
    out = []
    for (api, source, target), group in groups.items():
        lt = ONTOLOGY.link_type(api)
        arrays = [
            pa.array([lk.source_id for lk in group], pa.string()),
            pa.array([lk.target_id for lk in group], pa.string()),
        ]
        arrays += [
            pa.array(
                [to_storage(p, lk.properties.get(p.name)) for lk in group], ARROW_TYPES[p.type]
            )
            for p in lt.properties
        ]
        names = ["from", "to", *(p.name for p in lt.properties)]
        out.append(RelTable(lt.rel_type, source, target, pa.Table.from_arrays(arrays, names=names)))
    return out


def generate_tables(objects: int, seed: int = 7) -> tuple[dict[str, pa.Table], list[RelTable]]:
    """``generate(objects, seed)`` as per-table Arrow tables, ready for ``COPY ... FROM $rows``."""
    from bench.generate import generate

    records, links = generate(objects, seed)
    return node_tables(records), rel_tables(links)
