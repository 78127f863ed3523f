"""``opencase export neo4j-import``: neo4j-admin's CSV header format, and the data round-tripped
through the embedded engine's own CSV reader (COPY FROM into typed tables, LOAD FROM)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import ladybug
import pytest
from typer.testing import CliRunner

from opencase.cli import app
from opencase.export.neo4j_import import ARRAY_DELIMITER, ID_SPACE, node_properties, value_of
from opencase.graph import ObjectRecord, WriteBatch, open_store
from opencase.graph.neo4j_write import to_neo4j
from opencase.loaders.demo import build_demo
from opencase.ontology import ONTOLOGY

#: neo4j-admin database import's header grammar (Neo4j 5 operations manual, "CSV header
#: format"): a name with an optional type, the special fields, and ID spaces.
TYPES = (
    "int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
    "|localdatetime|datetime|duration"
)
PROPERTY = re.compile(rf"^[A-Za-z_][A-Za-z0-9_]*(:({TYPES})(\[\])?)?$")
ID_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:ID\([A-Za-z_][A-Za-z0-9_]*\)$")
ENGINE_TYPE = {
    None: "STRING",
    "long": "INT64",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "STRING",
    "string[]": "STRING",
}


AWKWARD = ObjectRecord(
    "Dataset",
    {
        "dataset_id": 'awkward, "quoted"',
        "name": 'Line one\nline "two", with; semicolons',
        "pii": True,
    },
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo graph, an object whose text needs CSV quoting, and a soft-deleted object."""
    path = tmp_path_factory.mktemp("neo4j-import-store") / "graph"
    with open_store(str(path)) as store:
        store.install_schema()
        build_demo(store)
        store.write(WriteBatch(objects=[AWKWARD]))
        gone = store.list("Tool", first=1).items[0].id
        store.write(WriteBatch(soft_deletes=[gone], actor="test"))
    return path


@pytest.fixture(scope="module")
def written(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("neo4j-import")
    result = CliRunner().invoke(
        app, ["export", "neo4j-import", str(out), "--store", str(store_path)]
    )
    assert result.exit_code == 0, result.output
    return out


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def test_headers_follow_the_documented_format(written: Path) -> None:
    for ot in ONTOLOGY.object_types:
        header = _header(written / "nodes" / f"{ot.name}.csv")
        assert header[0] == f"id:ID({ID_SPACE})" and ID_FIELD.match(header[0])
        assert header[1] == ":LABEL"
        assert all(PROPERTY.match(h) for h in header[2:]), header
        assert {h.split(":")[0] for h in header[2:]} >= set(ot.property_names)
        for row in _rows(written / "nodes" / f"{ot.name}.csv"):
            assert row[1] == f"{ot.name};{ID_SPACE}"
            assert ONTOLOGY.type_of_id(row[0]).name == ot.name
    for lt in ONTOLOGY.link_types:
        path = written / "relationships" / f"{lt.rel_type}.csv"
        header = _header(path)
        assert header[:3] == [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"]
        assert [h.split(":")[0] for h in header[3:]] == [p.name for p in lt.properties]
        assert all(PROPERTY.match(h) for h in header[3:]), header
        assert {row[2] for row in _rows(path)} <= {lt.rel_type}


def test_the_script_names_every_file_in_one_import_command(written: Path) -> None:
    script = (written / "import.sh").read_text()
    assert "neo4j-admin database import full" in script
    assert f"--array-delimiter='{ARRAY_DELIMITER}'" in script
    for ot in ONTOLOGY.object_types:
        assert f"--nodes=nodes/{ot.name}.csv" in script
    for lt in ONTOLOGY.link_types:
        assert f"--relationships=relationships/{lt.rel_type}.csv" in script


def _columns(header: list[str]) -> list[tuple[str, str | None]]:
    out = []
    for h in header[2:]:
        name, _, kind = h.partition(":")
        out.append((name, kind or None))
    return out


def _expected(kind: str | None, value: Any) -> Any:
    """A stored value in the form the engine reads the CSV cell back as."""
    if value is None or value == "" or value == []:
        return None
    if kind == "datetime":
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware
    if kind == "string[]":
        return list(value)
    return value


def _read_back(kind: str | None, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "string[]":
        return value.split(ARRAY_DELIMITER)
    return value


def test_the_engines_csv_reader_reads_back_every_object_and_link(
    written: Path, store_path: Path, tmp_path: Path
) -> None:
    db = ladybug.Database(str(tmp_path / "roundtrip"))
    conn = ladybug.Connection(db)

    def rows(query: str) -> list[list[Any]]:
        result = conn.execute(query)
        out = []
        while result.has_next():
            out.append(result.get_next())
        return out

    with open_store(str(store_path), read_only=True) as store:
        for ot in ONTOLOGY.object_types:
            path = written / "nodes" / f"{ot.name}.csv"
            cols = _columns(_header(path))
            if not _rows(path):
                assert not store.count(ot.name), ot.name
                continue
            ddl = ", ".join(f"`{n}` {ENGINE_TYPE[k]}" for n, k in cols)
            conn.execute(
                f"CREATE NODE TABLE `{ot.name}`(id STRING, `:LABEL` STRING, {ddl}, PRIMARY KEY(id))"
            )
            conn.execute(f"COPY `{ot.name}` FROM '{path}' (HEADER=true, PARALLEL=false)")
            names = ", ".join(f"n.`{n}`" for n, _ in cols)
            back = {r[0]: r[1:] for r in rows(f"MATCH (n:`{ot.name}`) RETURN n.id, {names}")}
            props = {p.name: p for p in node_properties(ot)}
            stored = {
                obj.id: {name: to_neo4j(p, value_of(obj, p)) for name, p in props.items()}
                for batch in store.scan_objects(ot.name, include_deleted=True)
                for obj in batch
            }
            assert set(back) == set(stored), ot.name
            for object_id, values in back.items():
                for (name, kind), value in zip(cols, values, strict=True):
                    want = _expected(kind, stored[object_id][name])
                    assert _read_back(kind, value) == want, (object_id, name)
        for lt in ONTOLOGY.link_types:
            path = written / "relationships" / f"{lt.rel_type}.csv"
            if not _rows(path):
                continue
            back_links = {
                tuple(r) for r in rows(f"LOAD FROM '{path}' (HEADER=true, PARALLEL=false) RETURN *")
            }
            stored_links = {
                (
                    lk.source_id,
                    lk.target_id,
                    lt.rel_type,
                    *(lk.properties.get(p.name) for p in lt.properties),
                )
                for batch in store.scan_links(lt.api_name)
                for lk in batch
            }
            assert back_links == stored_links, lt.api_name
