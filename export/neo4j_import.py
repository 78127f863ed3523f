"""``opencase export neo4j-import DIR``: the graph as ``neo4j-admin database import`` CSV files.

Moving a large embedded graph into Neo4j through Bolt writes row by row; the
offline importer loads CSV files at disk speed into an empty database. This
writes one node file per object type and one relationship file per link type
in the importer's header format, and ``import.sh`` with the command:

- nodes: ``id:ID(OntologyObject),:LABEL,<column>:<type>,...``; the labels are
  the type's name and ``OntologyObject``, as the Neo4j backend writes them;
- relationships: ``:START_ID(OntologyObject),:END_ID(OntologyObject),:TYPE,...``
  with the link type's relationship type;
- typed columns (``:long``, ``:double``, ``:boolean``, ``:date``, ``:datetime``,
  ``:string[]`` split on ``;``); JSON is text and datetimes are UTC, as the
  Neo4j backend stores them. Empty cells are absent properties.

One ID space (``OntologyObject``) suffices because global ids are unique
across types. Soft-deleted objects are exported with their mark, so the Neo4j
graph hides exactly what the embedded one hides.
"""

from __future__ import annotations

import csv
import datetime as dt
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opencase.errors import OpenCaseError
from opencase.graph.columns import node_columns
from opencase.graph.neo4j_conn import COMMON_LABEL
from opencase.graph.neo4j_write import to_neo4j
from opencase.graph.store import STORED_ATTRIBUTE, GraphStore, StoredObject
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType

ID_SPACE = COMMON_LABEL
ARRAY_DELIMITER = ";"
#: The importer's type per property kind (none: string).
IMPORT_TYPES: dict[PropertyType, str | None] = {
    PropertyType.STRING: None,
    PropertyType.INT: "long",
    PropertyType.LONG: "long",
    PropertyType.FLOAT: "double",
    PropertyType.BOOL: "boolean",
    PropertyType.DATE: "date",
    PropertyType.DATETIME: "datetime",
    PropertyType.ENUM: None,
    PropertyType.STRING_LIST: "string[]",
    PropertyType.JSON: None,
}


@dataclass
class ImportFiles:
    """What was written: relative paths of node and relationship files, and counts."""

    nodes: list[str]
    relationships: list[str]
    objects: int = 0
    links: int = 0


def column_header(prop: Property) -> str:
    kind = IMPORT_TYPES[prop.type]
    return f"{prop.name}:{kind}" if kind else prop.name


def node_properties(ot: ObjectType) -> list[Property]:
    """The columns after the id: the system fields an object carries, then the declared ones
    (the content hashes are the store's bookkeeping; a write recomputes them)."""
    return [
        p
        for p in node_columns(ot)
        if p.name != "id" and (p.name in STORED_ATTRIBUTE or p in ot.properties)
    ]


def value_of(obj: StoredObject, prop: Property) -> Any:
    """A property of a read object, system fields included."""
    if prop.name in STORED_ATTRIBUTE:
        return getattr(obj, STORED_ATTRIBUTE[prop.name])
    return obj.properties.get(prop.name)


def node_header(ot: ObjectType) -> list[str]:
    return [f"id:ID({ID_SPACE})", ":LABEL"] + [column_header(p) for p in node_properties(ot)]


def relationship_header(api_name: str) -> list[str]:
    props = ONTOLOGY.link_type(api_name).properties
    return [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"] + [
        column_header(p) for p in props
    ]


def cell(prop: Property, value: Any) -> str:
    """One value in the importer's notation, as the Neo4j backend would store it."""
    value = to_neo4j(prop, value)
    if value is None:
        return ""
    if prop.type is PropertyType.BOOL:
        return "true" if value else "false"
    if prop.type is PropertyType.DATETIME and isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if prop.type is PropertyType.DATE and isinstance(value, dt.date):
        return value.isoformat()
    if prop.type is PropertyType.STRING_LIST:
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if prop.type is PropertyType.FLOAT:
        return repr(float(value))
    return str(value)


def write_import(store: GraphStore, directory: Path) -> ImportFiles:
    """Write the node and relationship files and ``import.sh`` into ``directory``."""
    try:
        (directory / "nodes").mkdir(parents=True, exist_ok=True)
        (directory / "relationships").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OpenCaseError(
            f"cannot write neo4j-admin import files to {directory}: {exc.strerror or exc}",
            suggestion="pick a directory you can write to",
        ) from exc
    out = ImportFiles([], [])
    for ot in ONTOLOGY.object_types:
        columns = node_properties(ot)
        labels = f"{ot.name};{ID_SPACE}"
        rel = f"nodes/{ot.name}.csv"
        count = 0
        with (directory / rel).open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(node_header(ot))
            for batch in store.scan_objects(ot.name, include_deleted=True):
                for obj in batch:
                    values = [cell(p, value_of(obj, p)) for p in columns]
                    writer.writerow([obj.id, labels, *values])
                    count += 1
        out.nodes.append(rel)
        out.objects += count
    for lt in ONTOLOGY.link_types:
        rel = f"relationships/{lt.rel_type}.csv"
        with (directory / rel).open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(relationship_header(lt.api_name))
            for links in store.scan_links(lt.api_name):
                for lk in links:
                    values = [cell(p, lk.properties.get(p.name)) for p in lt.properties]
                    writer.writerow([lk.source_id, lk.target_id, lt.rel_type, *values])
                    out.links += 1
        out.relationships.append(rel)
    (directory / "import.sh").write_text(import_script(out), encoding="utf-8")
    (directory / "import.sh").chmod(0o755)
    return out


def import_script(files: ImportFiles) -> str:
    """The ``neo4j-admin database import full`` command for these files (Neo4j 5)."""
    args = [f"--nodes={shlex.quote(n)}" for n in files.nodes]
    args += [f"--relationships={shlex.quote(r)}" for r in files.relationships]
    lines = " \\\n  ".join(
        [
            'neo4j-admin database import full "${1:-neo4j}"',
            f"--array-delimiter='{ARRAY_DELIMITER}'",
            "--multiline-fields=true",
            *args,
        ]
    )
    return (
        "#!/usr/bin/env bash\n"
        "# Loads these files into a new, empty Neo4j 5 database (default: neo4j) with\n"
        "# neo4j-admin's offline importer: stop the database first. Then start Neo4j and\n"
        "# `opencase store install --store bolt://...` adds OpenCase's constraints and indexes.\n"
        "set -euo pipefail\n"
        'cd "$(dirname "$0")"\n'
        f"{lines}\n"
    )
