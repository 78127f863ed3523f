"""Export the demo graph in every format, parse it back with rdflib, count what came back."""

from __future__ import annotations

from collections import Counter

import pytest
from export_demo import BASE, DemoExport
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from opencase.ontology import ONTOLOGY, PropertyType
from opencase.ontology.generators.vocab import OC, XSD_OF

#: Links the default export drops because they touch the soft-deleted dataset.
LINKS_TO_DELETED = Counter({"action-log-about": 1, "policy-governs": 1})

PARSERS = {"owl_xml": "xml", "turtle": "turtle", "ntriples": "nt", "json_ld": "json-ld"}


def _counts(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    objects: Counter[str] = Counter()
    links: Counter[str] = Counter()
    for ot in ONTOLOGY.object_types:
        objects[ot.name] = len(set(graph.subjects(RDF.type, OC[ot.name])))
    for lt in ONTOLOGY.link_types:
        links[lt.api_name] = len(list(graph.triples((None, OC[lt.api_name], None))))
    return +objects, +links


@pytest.mark.parametrize("which", sorted(PARSERS))
def test_every_object_and_link_survives_a_round_trip(demo_export: DemoExport, which: str) -> None:
    graph = Graph().parse(getattr(demo_export, which), format=PARSERS[which])
    objects, links = _counts(graph)
    stats = demo_export.stats
    types = [ot.name for ot in ONTOLOGY.object_types]
    assert objects == Counter({name: stats[name] for name in types if name in stats})
    expected_links = Counter(
        {lt.api_name: stats[lt.api_name] for lt in ONTOLOGY.link_types if lt.api_name in stats}
    )
    assert links == expected_links - LINKS_TO_DELETED


def test_soft_deleted_objects_come_back_only_when_asked(demo_export: DemoExport) -> None:
    gone = URIRef(f"{BASE}dataset/retired")
    default = Graph().parse(demo_export.ntriples, format="nt")
    everything = Graph().parse(demo_export.with_deleted_nt, format="nt")
    assert (gone, None, None) not in default
    assert (None, None, gone) not in default
    assert (gone, RDF.type, OC.Dataset) in everything
    assert everything.value(gone, OC.sys_deleted_by) == Literal("test")
    _, links = _counts(everything)
    _, default_links = _counts(default)
    assert links - default_links == LINKS_TO_DELETED


def test_individuals_have_stable_percent_encoded_iris(demo_export: DemoExport) -> None:
    graph = Graph().parse(demo_export.turtle, format="turtle")
    odd = URIRef(f"{BASE}dataset/hard%20to%3Aencode%40%7C")
    assert (odd, RDF.type, OC.Dataset) in graph
    assert graph.value(odd, OC.id) == Literal("dataset:hard to:encode@|")
    name = graph.value(odd, OC["Dataset.name"])
    assert name == Literal('Line one\nline "two"\ttab \\ back\u00e9\u2603 \x07bell')
    assert graph.value(odd, OC["Dataset.pii"]) == Literal(False)
    for model in graph.subjects(RDF.type, OC.ModelWork):
        key = graph.value(model, OC["ModelWork.model_key"])
        assert str(model).startswith(f"{BASE}model-work/")
        assert ":" not in str(model).removeprefix(BASE), f"{key} is not encoded"


def test_values_keep_their_xsd_types(demo_export: DemoExport) -> None:
    graph = Graph().parse(demo_export.ntriples, format="nt")
    log = URIRef(f"{BASE}action-log/log%7C1")
    stamp = graph.value(log, OC["ActionLog.timestamp"])
    assert stamp == Literal("2024-05-01T12:30:15+00:00", datatype=XSD.dateTime)
    assert '"gate": "QG2"' in str(graph.value(log, OC["ActionLog.parameters"]))
    assert graph.value(log, OC["ActionLog.target_ids"]) == Literal("dataset:hard to:encode@|")
    seen: Counter[str] = Counter()
    for ot in ONTOLOGY.object_types:
        for prop in ot.properties:
            datatype = XSD_OF[prop.type]
            for value in graph.objects(None, OC[f"{ot.name}.{prop.name}"]):
                assert isinstance(value, Literal)
                assert value.datatype == (None if datatype == XSD.string else datatype)
                seen[prop.type] += 1
    assert seen[PropertyType.DATE] and seen[PropertyType.DATETIME] and seen[PropertyType.FLOAT]


def test_lineage_reads_as_prov_o(demo_export: DemoExport) -> None:
    """Standard PROV tools need no reasoner: the PROV statements are written out too."""
    graph = Graph().parse(demo_export.turtle, format="turtle")
    log = URIRef(f"{BASE}action-log/log%7C1")
    agent = graph.value(log, PROV.wasAssociatedWith)
    assert agent is not None and (agent, RDF.type, PROV.Agent) in graph
    assert graph.value(agent, RDFS.label) == Literal("ana.lopez@example.com")
    assert (log, RDF.type, PROV.Activity) in graph
    used = list(graph.triples((None, OC["experiment-used-dataset"], None)))
    assert used
    for run, _, data in used:
        assert (run, PROV.used, data) in graph
        assert (run, RDF.type, PROV.Activity) in graph
        assert (data, RDF.type, PROV.Entity) in graph
    for version, _, run in graph.triples((None, OC["model-version-has-experiment"], None)):
        assert (version, PROV.wasGeneratedBy, run) in graph
