"""The embedded store's tables, generated from the ontology and upgraded in place.

One node table per object type (``id`` primary key, system columns, one typed
column per property) and one relationship table per link type with a FROM/TO
pair per target. An existing store is upgraded with ``ALTER TABLE ... ADD``
(columns, and FROM/TO pairs for a new link target), so data is never rebuilt.
A column whose declared type changed is reported, not converted: that needs a
migration the user decides on. The hash columns are the exception: they hold
nothing but hashes the next write recomputes, so one of an older type (stores
before 2026-11-22 kept them as hex text) is dropped and added again, empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opencase.ontology import ONTOLOGY, LinkType, ObjectType, Property
from opencase.queries.dialect import ident

from .columns import DDL_TYPES, node_columns

Run = Callable[[str], list[list[Any]]]

#: Columns of derived values only: rebuilt empty when their type changed.
_DERIVED = frozenset({"sys_hash", "sys_input_hash"})

#: How the engine reports a type we declared under another spelling.
_ENGINE_SPELLING = {"BOOL": "BOOLEAN"}


def _column_ddl(prop: Property) -> str:
    return f"{ident(prop.name)} {DDL_TYPES[prop.type]}"


def create_node_table(ot: ObjectType) -> str:
    cols = ", ".join(
        "id STRING PRIMARY KEY" if p.name == "id" else _column_ddl(p) for p in node_columns(ot)
    )
    return f"CREATE NODE TABLE {ident(ot.name)}({cols})"


def create_rel_table(lt: LinkType) -> str:
    pairs = [f"FROM {ident(lt.source)} TO {ident(t)}" for t in lt.targets]
    cols = [_column_ddl(p) for p in lt.properties]
    return f"CREATE REL TABLE {ident(lt.rel_type)}({', '.join([*pairs, *cols, 'MANY_MANY'])})"


def _tables(run: Run) -> dict[str, str]:
    return {row[1]: row[2] for row in run("CALL show_tables() RETURN *")}


def _table_columns(run: Run, table: str) -> dict[str, str]:
    return {row[1]: row[2] for row in run(f"CALL table_info('{table}') RETURN *")}


def _pairs(run: Run, table: str) -> set[tuple[str, str]]:
    return {(row[0], row[1]) for row in run(f"CALL show_connection('{table}') RETURN *")}


def _add_columns(run: Run, table: str, props: tuple[Property, ...], out: list[str]) -> None:
    have = _table_columns(run, table)
    for prop in props:
        if prop.name == "id":
            continue
        if prop.name not in have:
            run(f"ALTER TABLE {ident(table)} ADD {_column_ddl(prop)}")
            out.append(f"added column {table}.{prop.name}")
        elif _ENGINE_SPELLING.get(have[prop.name], have[prop.name]) == DDL_TYPES[prop.type]:
            continue
        elif prop.name in _DERIVED:
            run(f"ALTER TABLE {ident(table)} DROP {ident(prop.name)}")
            run(f"ALTER TABLE {ident(table)} ADD {_column_ddl(prop)}")
            out.append(
                f"rebuilt column {table}.{prop.name} as {DDL_TYPES[prop.type]} "
                "(hashes are taken again as objects are next written)"
            )
        else:
            out.append(
                f"column {table}.{prop.name} is {have[prop.name]} but the ontology says "
                f"{DDL_TYPES[prop.type]}: left as it is (needs a migration)"
            )


#: The store's own bookkeeping (not an ontology type): the write revision and notes.
META_TABLE = "OpenCaseMeta"


def install(run: Run) -> list[str]:
    """Create what is missing, add what the ontology gained; returns one line per change."""
    changes: list[str] = []
    tables = _tables(run)
    if META_TABLE not in tables:
        columns = "key STRING, revision INT64, text STRING, PRIMARY KEY(key)"
        run(f"CREATE NODE TABLE {META_TABLE}({columns})")
        changes.append(f"created table {META_TABLE}")
    for ot in ONTOLOGY.object_types:
        if ot.name not in tables:
            run(create_node_table(ot))
            changes.append(f"created table {ot.name}")
        else:
            _add_columns(run, ot.name, node_columns(ot), changes)
    for lt in ONTOLOGY.link_types:
        if lt.rel_type not in tables:
            run(create_rel_table(lt))
            changes.append(f"created link table {lt.rel_type}")
            continue
        have = _pairs(run, lt.rel_type)
        for target in lt.targets:
            if (lt.source, target) not in have:
                pair = f"FROM {ident(lt.source)} TO {ident(target)}"
                run(f"ALTER TABLE {ident(lt.rel_type)} ADD {pair}")
                changes.append(f"added {lt.source} -> {target} to link table {lt.rel_type}")
        _add_columns(run, lt.rel_type, lt.properties, changes)
    return changes
