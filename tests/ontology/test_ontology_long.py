"""``long`` properties are 64-bit in every artefact the ontology generates."""

from __future__ import annotations

from rdflib import RDFS, SH, URIRef
from rdflib.namespace import XSD

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
