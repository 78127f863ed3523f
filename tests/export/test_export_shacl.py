"""The demo graph conforms to the SHACL shapes generated from the ontology; broken data does not."""

from __future__ import annotations

import pyshacl
from export_demo import DemoExport
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.shacl import SHAPES, shacl_shapes
from opencase.ontology.generators.vocab import OC


def _validate(data: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = pyshacl.validate(data, shacl_graph=shacl_shapes())
    return bool(conforms), report, str(text)


def _data(demo_export: DemoExport) -> Graph:
    return Graph().parse(demo_export.ntriples, format="nt")


def test_demo_instances_conform_to_the_generated_shapes(demo_export: DemoExport) -> None:
    conforms, _, text = _validate(_data(demo_export))
    assert conforms, text


def test_the_shacl_export_validates_on_its_own(demo_export: DemoExport) -> None:
    """``--shacl`` writes shapes plus instances: one file pyshacl can check as it is."""
    graph = Graph().parse(demo_export.shacl_turtle, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.NodeShape))) == len(ONTOLOGY.object_types)
    conforms, _, text = pyshacl.validate(graph)
    assert conforms, text


def _violations(report: Graph) -> set[tuple[str, str]]:
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        out.add((str(path).rsplit("#", 1)[-1], str(component).rsplit("#", 1)[-1]))
    return out


def test_shapes_catch_enum_required_datatype_target_and_cardinality(
    demo_export: DemoExport,
) -> None:
    data = _data(demo_export)
    has_version = OC["model-work-has-version"]
    owner, _, version = next(iter(data.triples((None, has_version, None))))
    model = next(m for m in data.subjects(RDF.type, OC.ModelWork) if m != owner)
    person = next(iter(data.subjects(RDF.type, OC.Person)))
    data.set((model, OC["ModelWork.ac_family"], Literal("A999")))
    data.remove((model, OC["ModelWork.name"], None))
    data.set((model, OC["ModelWork.created_on"], Literal("soon")))
    data.add((model, has_version, person))  # a person is no ModelVersion
    data.add((model, has_version, version))  # the version now has two models
    conforms, report, _ = _validate(data)
    assert not conforms
    found = _violations(report)
    assert ("ModelWork.ac_family", "InConstraintComponent") in found
    assert ("ModelWork.name", "MinCountConstraintComponent") in found
    assert ("ModelWork.created_on", "DatatypeConstraintComponent") in found
    assert ("model-work-has-version", "ClassConstraintComponent") in found
    assert any(c == "MaxCountConstraintComponent" for _, c in found)


def test_one_node_shape_per_object_type_targets_its_class() -> None:
    shapes = shacl_shapes()
    for ot in ONTOLOGY.object_types:
        assert shapes.value(SHAPES[ot.name], SH.targetClass) == OC[ot.name]
