"""Apply a validated write to Ladybug: COPY what is new, SET what changed.

``COPY`` from Arrow is the engine's fast bulk path, while ``UNWIND ... MERGE``
slows with every batch; so new nodes and new links are COPYed and only
existing rows are touched row by row, through ``LOAD FROM`` an Arrow table
(typed columns: a column of nulls keeps its type, which an UNWIND list of dicts
does not). COPY runs inside the caller's transaction, so a failure rolls the
whole batch back.

A statement over a few rows (an action, a small file) goes through
:mod:`opencase.graph.ladybug_small` instead: Arrow scans leave engine memory
behind per statement, which a long-running server cannot afford.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from opencase.errors import NotFoundError
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.queries.dialect import ident

from . import ladybug_small
from .columns import arrow_column, column, from_storage, node_columns, to_storage
from .ladybug_conn import LadybugConnection
from .planning import ObjectPlan
from .small import is_small
from .store import WriteResult

_CONVERTED = {PropertyType.DATETIME, PropertyType.JSON}
_UPDATE_SKIP = {"sys_created_at", "sys_deleted_at", "sys_deleted_by"}


def _table(props: Sequence[Property], rows: list[dict[str, Any]], names: Sequence[str]) -> pa.Table:
    arrays = [arrow_column(p, [r.get(p.name) for r in rows]) for p in props]
    return pa.Table.from_arrays(arrays, names=list(names))


def _props(type_name: str) -> tuple[Property, ...]:
    return node_columns(ONTOLOGY.object_type(type_name))


def _names(type_name: str) -> list[str]:
    return [p.name for p in _props(type_name)]


def fetch_rows(
    conn: LadybugConnection, ot: ObjectType, ids: list[str], columns: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Stored values (storage form converted back) of the ``ids`` that exist."""
    if not ids:
        return {}
    cols = ", ".join(f"n.{ident(c)} AS {ident(c)}" for c in columns)
    source, param = ladybug_small.ids_source(ids)
    query = f"{source} MATCH (n:{ident(ot.name)} {{id: i}}) RETURN n.id AS id, {cols}"
    table = conn.arrow(query, {"ids": param})
    values = []
    for c in columns:  # column-wise: only datetimes and JSON need converting back
        prop = column(ot.name, c)
        cells = table.column(c).to_pylist()
        if prop.type in _CONVERTED:
            cells = [from_storage(prop, v) for v in cells]
        values.append(cells)
    names = list(columns)
    return {
        oid: dict(zip(names, row, strict=True))
        for oid, *row in zip(table.column("id").to_pylist(), *values, strict=True)
    }


def existing_ids(conn: LadybugConnection, ot: ObjectType, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    source, param = ladybug_small.ids_source(ids)
    query = f"{source} MATCH (n:{ident(ot.name)} {{id: i}}) RETURN n.id AS id"
    return set(conn.arrow(query, {"ids": param}).column("id").to_pylist())


def apply_objects(conn: LadybugConnection, plan: ObjectPlan) -> None:
    """Write the plan: COPY the new objects, then rewrite the changed ones."""
    for type_name in dict.fromkeys([*plan.new, *plan.new_tables]):
        copy_new(conn, plan, type_name)
    apply_changed(conn, plan)


def copy_new(conn: LadybugConnection, plan: ObjectPlan, type_name: str) -> None:
    """COPY the type's new objects (planned rows and new-object tables alike)."""
    cols = ", ".join(ident(n) for n in _names(type_name))
    props = _props(type_name)
    tables = plan.take_tables(type_name)
    rows = plan.new.get(type_name)
    if rows and is_small(len(rows)):
        stored = ([to_storage(p, r.get(p.name)) for p in props] for r in rows)
        ladybug_small.create_nodes(conn, type_name, props, stored)
    elif rows:
        tables.append(_table(props, rows, _names(type_name)))
    for table in tables:
        if is_small(table.num_rows):  # new-object tables hold storage values already
            values = _table_rows(table, _names(type_name))
            ladybug_small.create_nodes(conn, type_name, props, values)
        else:
            conn.execute(f"COPY {ident(type_name)}({cols}) FROM $rows", {"rows": table})


def _table_rows(table: pa.Table, names: Sequence[str]) -> list[list[Any]]:
    columns = [table.column(n).to_pylist() for n in names]
    return [list(row) for row in zip(*columns, strict=True)]


def apply_changed(conn: LadybugConnection, plan: ObjectPlan) -> None:
    """Rewrite the objects that changed, one ``LOAD FROM ... SET`` per type.

    Objects found unchanged only by comparing values get their input hash first
    (``ObjectPlan.rehashed``), so the next re-load of the same input skips them.
    """
    for type_name, pairs in plan.rehashed.items():
        if is_small(len(pairs)):
            ladybug_small.set_nodes(conn, type_name, [column(type_name, "sys_input_hash")], pairs)
            continue
        table = pa.table(
            {
                "c0": pa.array([oid for oid, _ in pairs], pa.string()),
                "c1": pa.array([digest for _, digest in pairs], pa.int64()),
            }
        )
        conn.execute(
            f"LOAD FROM $rows MATCH (n:{ident(type_name)} {{id: c0}}) SET n.sys_input_hash = c1",
            {"rows": table},
        )
    for type_name, rows in plan.changed.items():
        ot = ONTOLOGY.object_type(type_name)
        props = [p for p in node_columns(ot) if p.name not in _UPDATE_SKIP]
        if is_small(len(rows)):
            values = [p for p in props if p.name != "id"]
            stored = ([r["id"], *(to_storage(p, r.get(p.name)) for p in values)] for r in rows)
            ladybug_small.set_nodes(conn, ot.name, values, stored)
            continue
        names = [f"c{i}" for i in range(len(props))]
        sets = ", ".join(
            f"n.{ident(p.name)} = {n}" for p, n in zip(props, names, strict=True) if p.name != "id"
        )
        table = _table(props, rows, names)
        conn.execute(
            f"LOAD FROM $rows MATCH (n:{ident(ot.name)} {{id: c0}}) SET {sets}", {"rows": table}
        )


def _ids_by_type(ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for oid in dict.fromkeys(ids):
        out[ONTOLOGY.type_of_id(oid).name].append(oid)
    return out


def check_exist(conn: LadybugConnection, ids: Sequence[str], what: str) -> None:
    missing = []
    for type_name, group in _ids_by_type(ids).items():
        found = existing_ids(conn, ONTOLOGY.object_type(type_name), group)
        missing += [i for i in group if i not in found]
    if missing:
        raise NotFoundError(
            f"cannot {what}: no object {', '.join(missing[:5])}"
            + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""),
            suggestion="check the ids (see `opencase store info` for what the store holds)",
        )


def apply_deletes(
    conn: LadybugConnection,
    soft: Sequence[str],
    hard: Sequence[str],
    restores: Sequence[str],
    actor: str | None,
    now: dt.datetime,
    result: WriteResult,
) -> None:
    stamp = to_storage(column(ONTOLOGY.object_types[0].name, "sys_deleted_at"), now)
    for type_name, ids in _ids_by_type(soft).items():
        rows = conn.rows(
            f"UNWIND $ids AS i MATCH (n:{ident(type_name)} {{id: i}}) "
            "WHERE n.sys_deleted_at IS NULL "
            "SET n.sys_deleted_at = $now, n.sys_deleted_by = CAST($actor AS STRING) "
            "RETURN n.id",
            {"ids": ids, "now": stamp, "actor": actor},
        )
        result.deleted += len(rows)
        result.changed_ids += [r[0] for r in rows]
    for type_name, ids in _ids_by_type(hard).items():
        conn.execute(
            f"UNWIND $ids AS i MATCH (n:{ident(type_name)} {{id: i}}) DETACH DELETE n",
            {"ids": ids},
        )
        result.deleted += len(ids)
        result.changed_ids += ids
    for type_name, ids in _ids_by_type(restores).items():
        rows = conn.rows(
            f"UNWIND $ids AS i MATCH (n:{ident(type_name)} {{id: i}}) "
            "WHERE n.sys_deleted_at IS NOT NULL "
            "SET n.sys_deleted_at = NULL, n.sys_deleted_by = NULL RETURN n.id",
            {"ids": ids},
        )
        result.restored += len(rows)
        result.changed_ids += [r[0] for r in rows]
