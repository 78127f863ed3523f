"""The Neo4j backend without a server: generated schema, classes, statements, error mapping.

A live Neo4j is exercised by the shared contract suite when ``NEO4J_URI`` is set;
these tests make sure the module imports, generates from the ontology, and fails
fast and clearly when the server is not there.
"""

from __future__ import annotations

import datetime as dt
import re

import neo4j
import pytest
from neo4j import exceptions as nx

from opencase.errors import GraphStoreError, StoreUnavailableError
from opencase.graph import open_store
from opencase.graph.neo4j_conn import COMMON_LABEL, DIALECT, map_error, native
from opencase.graph.neo4j_schema import node_class, node_classes, schema_statements
from opencase.graph.neo4j_store import Neo4jStore
from opencase.graph.neo4j_write import to_neo4j
from opencase.ontology import ONTOLOGY
from opencase.queries import traversal

_STATEMENT = re.compile(
    r"CREATE (CONSTRAINT|INDEX) (opencase_\w+) IF NOT EXISTS FOR \(n:`(\w+)`\) "
    r"(?:REQUIRE n\.`(\w+)` IS UNIQUE|ON \(n\.`(\w+)`\))"
)


def test_one_unique_id_constraint_per_type_and_one_on_the_common_label() -> None:
    """Parsed back by structure: every statement is one of the two forms, nothing else."""
    parsed = []
    for name, statement in schema_statements():
        found = _STATEMENT.fullmatch(statement)
        assert found is not None, statement
        assert found[2] == name
        parsed.append((found[1], found[3], found[4] or found[5]))
    constraints = {(label, prop) for kind, label, prop in parsed if kind == "CONSTRAINT"}
    indexes = {(label, prop) for kind, label, prop in parsed if kind == "INDEX"}
    names = {ot.name for ot in ONTOLOGY.object_types}
    assert constraints == {(n, "id") for n in names | {COMMON_LABEL}}
    assert indexes == {(n, "sys_title") for n in names}
    assert len({n for n, _ in schema_statements()}) == len(parsed)  # names are unique


def test_the_statements_are_read_off_the_neomodel_classes() -> None:
    """The classes are the schema: each unique_index or index property is one statement."""
    declared = []
    for cls in node_classes().values():
        for name, prop in cls.defined_properties(rels=False).items():
            if (prop.unique_index or prop.index) and name in vars(cls):
                declared.append((cls.__label__, prop.db_property or name))
    stated = [s for _, s in schema_statements() if "OntologyObject" not in s]
    assert len(declared) == len(stated)
    for label, prop in declared:
        assert any(f"(n:`{label}`)" in s and f"n.`{prop}`" in s for s in stated)


def test_neomodel_classes_carry_both_labels_and_every_property_typed() -> None:
    from neomodel import (
        ArrayProperty,
        DateTimeNeo4jFormatProperty,
        FloatProperty,
        IntegerProperty,
        JSONProperty,
        StringProperty,
    )

    kinds = {
        "string": StringProperty,
        "enum": StringProperty,
        "int": IntegerProperty,
        "float": FloatProperty,
        "datetime": DateTimeNeo4jFormatProperty,
        "json": JSONProperty,
        "string_list": ArrayProperty,
    }
    classes = node_classes()
    assert set(classes) == {ot.name for ot in ONTOLOGY.object_types}
    for ot in ONTOLOGY.object_types:
        cls = classes[ot.name]
        assert set(cls.inherited_labels()) == {ot.name, COMMON_LABEL}
        by_stored = {
            p.db_property or name: p for name, p in cls.defined_properties(rels=False).items()
        }
        assert set(ot.property_names) | {"id", "sys_title"} <= set(by_stored)
        assert by_stored["id"].unique_index and by_stored["sys_title"].index
        for prop in ot.properties:
            field = by_stored[prop.name]
            assert field.required is prop.required, (ot.name, prop.name)
            if prop.type.value in kinds:
                assert isinstance(field, kinds[prop.type.value]), (ot.name, prop.name)
            if prop.enum:
                assert set(field.choices) == set(ONTOLOGY.enum(prop.enum).values)
    assert node_class("model-work") is classes["ModelWork"]


def test_lineage_level_in_the_neo4j_dialect_skips_the_common_label() -> None:
    query = traversal.lineage_level(
        ONTOLOGY.object_type("ModelWork"), ["MODEL_WORK_HAS_VERSION"], True, DIALECT
    )
    assert "type(e)" in query
    assert f"x <> '{COMMON_LABEL}'" in query
    assert "$ids" in query


def test_values_are_stored_the_neo4j_way() -> None:
    work = ONTOLOGY.object_type("Experiment")
    assert to_neo4j(work.prop("parameters"), {"lr": 0.1}) == '{"lr": 0.1}'
    naive = dt.datetime(2025, 1, 2, 3, 4)
    assert to_neo4j(work.prop("start_time"), naive).tzinfo is dt.UTC
    assert native(neo4j.time.Date(2025, 1, 2)) == dt.date(2025, 1, 2)
    assert native([neo4j.time.Date(2025, 1, 2)]) == [dt.date(2025, 1, 2)]


def test_driver_errors_map_to_ours() -> None:
    assert isinstance(map_error(nx.AuthError("no"), "bolt://x"), StoreUnavailableError)
    assert isinstance(map_error(nx.ServiceUnavailable("down"), "bolt://x"), StoreUnavailableError)
    refused = map_error(nx.ClientError("bad"), "bolt://x")
    assert isinstance(refused, GraphStoreError)
    assert not isinstance(refused, StoreUnavailableError)


def test_unreachable_server_fails_fast_naming_the_uri() -> None:
    uri = "bolt://127.0.0.1:1"  # loopback, a port nothing listens on: refused at once
    with pytest.raises(StoreUnavailableError, match=re.escape(uri)) as info:
        open_store(uri)
    assert info.value.suggestion


def test_open_store_picks_the_neo4j_backend_for_bolt_uris() -> None:
    assert Neo4jStore.backend == "neo4j"
    assert not getattr(Neo4jStore, "__abstractmethods__", None)
