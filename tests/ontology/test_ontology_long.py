"""``long`` properties are 64-bit in every artefact the ontology generates."""

from __future__ import annotations

import pytest
from rdflib import RDFS, SH, URIRef
from rdflib.namespace import XSD

from opencase.errors import ValidationError
from opencase.graph import GraphStore
from opencase.graph.store import ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY, PropertyType
from opencase.ontology.generators.jsonschemagen import json_schemas
from opencase.ontology.generators.owl import owl_schema
from opencase.ontology.generators.shacl import shacl_shapes
from opencase.ontology.generators.vocab import VOCAB_IRI, property_term

RELEASE = ONTOLOGY.object_type("Release")
SIZE = RELEASE.prop("size_bytes")
TERM = URIRef(VOCAB_IRI + property_term(RELEASE, SIZE))


def test_sizes_are_declared_long() -> None:
    assert SIZE.type is PropertyType.LONG
    assert ONTOLOGY.object_type("DatasetVersion").prop("size_bytes").type is PropertyType.LONG


def test_json_schema_bounds_long_at_64_bits_and_int_at_32() -> None:
    release = json_schemas()["Release"]["properties"]
    assert release["size_bytes"]["maximum"] == 2**63 - 1
    assert json_schemas()["Deployment"]["properties"]["replicas"]["maximum"] == 2**31 - 1


def test_owl_and_shacl_use_xsd_long() -> None:
    assert (TERM, RDFS.range, XSD.long) in owl_schema()
    shapes = shacl_shapes()
    assert XSD.long in {
        o for s in shapes.subjects(SH.path, TERM) for o in shapes.objects(s, SH.datatype)
    }


def test_the_store_keeps_64_bit_longs_and_refuses_ints_past_32_bits(store: GraphStore) -> None:
    releases = [
        ObjectRecord("Release", {"release_id": f"r{i}", "version": "1", "size_bytes": 15 * 10**9})
        for i in range(80)  # enough for the bulk (column) path
    ]
    assert store.write(WriteBatch(objects=releases)).created == 80
    got = store.get_one("release:r7")
    assert got is not None and got.properties["size_bytes"] == 15_000_000_000
    too_big = [
        ObjectRecord("Deployment", {"deployment_id": f"d{i}", "environment": "DEV", "replicas": n})
        for i, n in enumerate([2] * 79 + [2**33])
    ]
    with pytest.raises(ValidationError) as err:
        store.write(WriteBatch(objects=too_big))
    assert err.value.problems[0].field == "replicas"
    assert "Deployment" not in store.stats()
