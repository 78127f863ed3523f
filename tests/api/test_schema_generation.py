"""The schema is generated from the ontology: every declaration appears, nothing else is needed."""

from __future__ import annotations

from typing import Any

import pytest

from opencase.api.schema import build_schema
from opencase.api.schema.links import link_sides
from opencase.api.schema.naming import lower_camel, plural_field, property_field, single_field
from opencase.ontology import ONTOLOGY

INTROSPECT = """
query($name: String!) {
  __type(name: $name) {
    name kind description
    interfaces { name }
    fields { name description type { ...deep } args { name type { ...deep } } }
    enumValues { name }
  }
}
fragment deep on __Type { kind name ofType { kind name ofType { kind name ofType { name } } } }
"""


def _type(client: Any, name: str) -> dict[str, Any]:
    found = client.data(INTROSPECT, {"name": name})["__type"]
    assert found is not None, f"type {name} missing from the schema"
    return found


def _named(t: dict[str, Any]) -> str | None:
    while t.get("name") is None and t.get("ofType"):
        t = t["ofType"]
    return t.get("name")


@pytest.mark.parametrize("ot", ONTOLOGY.object_types, ids=lambda ot: ot.name)
def test_every_object_type_is_a_graphql_type_with_its_properties(client: Any, ot: Any) -> None:
    t = _type(client, ot.name)
    assert t["kind"] == "OBJECT"
    assert t["description"] == ot.description
    assert [i["name"] for i in t["interfaces"]] == ["OntologyObject"]
    fields = {f["name"]: f for f in t["fields"]}
    for name in ("id", "objectType", "title"):
        assert name in fields
    for prop in ot.properties:
        gql = property_field(ot, prop.camel_name)
        if gql is None:
            continue
        assert fields[gql]["description"] == prop.description
        non_null = fields[gql]["type"]["kind"] == "NON_NULL"
        assert non_null == prop.required, f"{ot.name}.{gql}"
        if prop.enum:
            assert _named(fields[gql]["type"]) == prop.enum


@pytest.mark.parametrize("ot", ONTOLOGY.object_types, ids=lambda ot: ot.name)
def test_link_fields_on_both_ends_follow_cardinality(client: Any, ot: Any) -> None:
    fields = {f["name"]: f for f in _type(client, ot.name)["fields"]}
    for name, side in link_sides(ot.name).items():
        field = fields[name]
        target = side.target_name or "OntologyObject"
        if side.many and side.link.properties:  # its edges carry the link's properties
            assert _named(field["type"]) == f"{ot.name}{name[0].upper()}{name[1:]}Connection"
        elif side.many:
            assert _named(field["type"]) == f"{target}Connection"
            assert {a["name"] for a in field["args"]} == {"where", "orderBy", "first", "after"}
        else:
            assert _named(field["type"]) == target
            assert field["type"]["kind"] != "NON_NULL"


def test_every_enum_is_a_graphql_enum(client: Any) -> None:
    for enum in ONTOLOGY.enums:
        t = _type(client, enum.name)
        assert t["kind"] == "ENUM"
        assert [v["name"] for v in t["enumValues"]] == list(enum.values)


def test_root_fields_for_every_object_type(client: Any) -> None:
    fields = {f["name"]: f for f in _type(client, "Query")["fields"]}
    for ot in ONTOLOGY.object_types:
        assert _named(fields[single_field(ot)]["type"]) == ot.name
        listing = fields[plural_field(ot)]
        assert _named(listing["type"]) == f"{ot.name}Connection"
        assert {a["name"] for a in listing["args"]} == {"where", "orderBy", "first", "after"}
    for name in ("object", "search", "lineage", "path", "aggregate", "ontology"):
        assert name in fields


def test_every_action_type_is_a_mutation_with_typed_arguments(client: Any) -> None:
    fields = {f["name"]: f for f in _type(client, "Mutation")["fields"]}
    assert set(fields) == {at.name for at in ONTOLOGY.action_types}
    scalar = {"string": "String", "int": "Int", "float": "Float", "bool": "Boolean"}
    scalar |= {"date": "Date", "datetime": "DateTime", "json": "JSON", "string_list": "String"}
    for at in ONTOLOGY.action_types:
        args = {a["name"]: a["type"] for a in fields[at.name]["args"]}
        assert set(args) == {p.camel_name for p in at.parameters}
        for p in at.parameters:
            t = args[p.camel_name]
            assert (t["kind"] == "NON_NULL") == p.required, f"{at.name}.{p.camel_name}"
            assert _named(t) == (p.enum if p.enum else scalar[p.type.value])
        assert _named(fields[at.name]["type"]) == "ActionResult"


def test_names_are_lower_camel() -> None:
    assert lower_camel("ModelWork") == "modelWork"
    assert lower_camel("KPIs") == "kpis"
    assert lower_camel("HTTPServer") == "httpServer"
    assert lower_camel("People") == "people"


def test_schema_is_built_once_per_process() -> None:
    assert build_schema() is build_schema()
