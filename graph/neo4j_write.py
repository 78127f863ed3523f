"""Apply a planned write inside one Neo4j write transaction.

The plan (validation, merge, hashing, link checks) is the backend-neutral
:mod:`opencase.graph.planning`; this module only turns it into batched
``UNWIND`` statements: one per object type for objects (``MERGE`` on the
unique ``id``), and per (link type, source type, target type) for links, with
the same "latest wins" replacement on single-valued link sides as the
embedded store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import neo4j

from opencase.errors import NotFoundError
from opencase.ontology import ONTOLOGY, LinkType, Property, PropertyType
from opencase.queries.dialect import ident

from .columns import column, from_storage
from .link_planning import LinkGroup
from .neo4j_conn import COMMON_LABEL, tx_rows
from .planning import ObjectPlan
from .store import LinkKey, WriteResult

Tx = neo4j.ManagedTransaction


def to_neo4j(prop: Property, value: Any) -> Any:
    """A validated value as Neo4j stores it: JSON as text, datetimes zoned in UTC."""
    if value is None:
        return None
    if prop.type is PropertyType.JSON:
        return json.dumps(value, sort_keys=True, default=str)
    if prop.type is PropertyType.DATETIME and isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value


def _row(type_name: str, row: dict[str, Any]) -> dict[str, Any]:
    return {k: to_neo4j(column(type_name, k), v) for k, v in row.items()}


def object_rows(plan: ObjectPlan) -> list[tuple[str, list[dict[str, Any]]]]:
    """(type name, rows as Neo4j stores them) for new and changed objects alike.

    The new-object tables (:mod:`opencase.graph.columnar`) hold storage forms (JSON
    as text, naive UTC datetimes): they are read back first, so JSON is encoded
    once either way.
    """
    tables = {
        name: [
            {k: from_storage(column(name, k), v) for k, v in row.items()}
            for table in group
            for row in table.to_pylist()
        ]
        for name, group in plan.new_tables.items()
    }
    return [
        (type_name, [_row(type_name, r) for r in rows])
        for group in (plan.new, tables, plan.changed)
        for type_name, rows in group.items()
    ]


def apply_objects(tx: Tx, plan: ObjectPlan) -> None:
    """New and changed rows alike: ``SET n += r`` sets given keys, and ``null`` clears one."""
    for type_name, rows in object_rows(plan):
        tx.run(
            f"UNWIND $rows AS r MERGE (n:{ident(type_name)} {{id: r.id}}) "
            f"ON CREATE SET n:{ident(COMMON_LABEL)} SET n += r",
            {"rows": rows},
        ).consume()
    for type_name, pairs in plan.rehashed.items():  # see ObjectPlan.rehashed
        tx.run(
            f"UNWIND $rows AS r MATCH (n:{ident(type_name)} {{id: r.id}}) "
            "SET n.sys_input_hash = r.h",
            {"rows": [{"id": oid, "h": digest} for oid, digest in pairs]},
        ).consume()


def apply_links(tx: Tx, groups: Sequence[LinkGroup], result: WriteResult) -> None:
    for group in groups:
        lt = group.link_type
        rel, a, b = ident(lt.rel_type), ident(group.source_type.name), ident(group.target_type.name)
        rows = [{"s": s, "t": t, "p": _link_props(lt, props)} for s, t, props in group.rows()]
        stored = tx_rows(
            tx,
            f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}})-[e:{rel}]->(b:{b} {{id: r.t}}) "
            "RETURN a.id, b.id, properties(e)",
            {"rows": rows},
        )
        have = {(s, t): props for s, t, props in stored}
        todo = []
        for row in rows:
            props = have.get((row["s"], row["t"]))
            if props is not None and all(props.get(k) == v for k, v in row["p"].items()):
                result.links_unchanged += 1
            else:
                todo.append(row)
        if not todo:
            continue
        if lt.cardinality.source_max_targets_one:
            tx.run(
                f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}})-[e:{rel}]->(b) "
                "WHERE b.id <> r.t DELETE e",
                {"rows": todo},
            ).consume()
        if lt.cardinality.target_max_sources_one:
            tx.run(
                f"UNWIND $rows AS r MATCH (a)-[e:{rel}]->(b:{b} {{id: r.t}}) "
                "WHERE a.id <> r.s DELETE e",
                {"rows": todo},
            ).consume()
        tx.run(
            f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}}) MATCH (b:{b} {{id: r.t}}) "
            f"MERGE (a)-[e:{rel}]->(b) SET e += r.p",
            {"rows": todo},
        ).consume()
        result.links_created += len(todo)


def _link_props(lt: LinkType, props: dict[str, Any]) -> dict[str, Any]:
    declared = {p.name: p for p in lt.properties}
    return {k: to_neo4j(declared[k], v) for k, v in props.items()}


def apply_unlinks(tx: Tx, keys: Sequence[LinkKey]) -> int:
    removed = 0
    for key in keys:
        lt = ONTOLOGY.link_type(key.link_type)
        st, tt = ONTOLOGY.type_of_id(key.source_id), ONTOLOGY.type_of_id(key.target_id)
        rows = tx_rows(
            tx,
            f"MATCH (a:{ident(st.name)} {{id: $s}})-[e:{ident(lt.rel_type)}]->"
            f"(b:{ident(tt.name)} {{id: $t}}) DELETE e RETURN count(*)",
            {"s": key.source_id, "t": key.target_id},
        )
        removed += int(rows[0][0]) if rows else 0
    return removed


def check_exist(tx: Tx, ids: Sequence[str], what: str) -> None:
    unique = list(dict.fromkeys(ids))
    found = {
        r[0]
        for r in tx_rows(
            tx,
            f"UNWIND $ids AS i MATCH (n:{ident(COMMON_LABEL)} {{id: i}}) RETURN n.id",
            {"ids": unique},
        )
    }
    missing = [i for i in unique if i not in found]
    if missing:
        raise NotFoundError(
            f"cannot {what}: no object {', '.join(missing[:5])}"
            + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""),
            suggestion="check the ids (see `opencase store info` for what the store holds)",
        )


def apply_deletes(
    tx: Tx,
    soft: Sequence[str],
    hard: Sequence[str],
    restores: Sequence[str],
    actor: str | None,
    now: dt.datetime,
    result: WriteResult,
) -> None:
    label = ident(COMMON_LABEL)
    if soft:
        rows = tx_rows(
            tx,
            f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE n.sys_deleted_at IS NULL "
            "SET n.sys_deleted_at = $now, n.sys_deleted_by = $actor RETURN n.id",
            {"ids": list(dict.fromkeys(soft)), "now": now, "actor": actor},
        )
        result.deleted += len(rows)
        result.changed_ids += [r[0] for r in rows]
    if hard:
        ids = list(dict.fromkeys(hard))
        tx.run(
            f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n", {"ids": ids}
        ).consume()
        result.deleted += len(ids)
        result.changed_ids += ids
    if restores:
        rows = tx_rows(
            tx,
            f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE n.sys_deleted_at IS NOT NULL "
            "SET n.sys_deleted_at = null, n.sys_deleted_by = null RETURN n.id",
            {"ids": list(dict.fromkeys(restores))},
        )
        result.restored += len(rows)
        result.changed_ids += [r[0] for r in rows]
