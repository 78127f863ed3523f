"""The streaming writers against rdflib: same graph, whatever the text looks like."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from opencase.export import InstanceRenderer
from opencase.export.terms import encode_key, escape_literal
from opencase.export.writers import NTriplesWriter, TurtleWriter
from opencase.graph.store import LinkRecord, StoredObject
from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.owl import bind_prefixes
from opencase.ontology.generators.vocab import OC

BASE = "https://data.example.org/oc/"
WHEN = dt.datetime(2024, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
NASTY = 'quote " backslash \\ newline \n return \r tab \t nul \x00 del \x7f é ☃ 𝄞'

MODEL = StoredObject(
    id="model-work:A330:72:hpc|x y",
    object_type="ModelWork",
    title=NASTY,
    properties={
        "model_key": "A330:72:hpc|x y",
        "name": NASTY,
        "tags": ["prod", "chat bot"],
        "created_on": dt.date(2023, 12, 31),
        "ac_family": "A330",
        "metadata": {"b": [1, 2], "a": "ü"},
    },
    created_at=WHEN,
    updated_at=WHEN,
)
METRIC = StoredObject(
    id="metric:run|auc",
    object_type="Metric",
    title="auc",
    properties={"metric_id": "run|auc", "name": "auc", "value": 0.1, "step": 3, "compliant": True},
)
ODD_FLOATS = StoredObject(
    id="metric:run|inf",
    object_type="Metric",
    title="inf",
    properties={"metric_id": "run|inf", "name": "inf", "value": float("-inf"), "threshold": 1e-7},
)
LINK = LinkRecord(
    "experiment-used-dataset", "experiment:mlflow:1", "dataset-version:d@1", {"context": "train"}
)


def _iri(object_id: str) -> URIRef:
    api, _, key = object_id.partition(":")
    return URIRef(BASE + api + "/" + encode_key(key))


def expected_graph() -> Graph:
    """The same objects built with rdflib's own API, as an independent oracle."""
    g = Graph()
    m = _iri(MODEL.id)
    for cls in (OC.ModelWork, OWL.NamedIndividual, PROV.Entity):
        g.add((m, RDF.type, cls))
    g.add((m, RDFS.label, Literal(NASTY)))
    g.add((m, OC.id, Literal(MODEL.id)))
    g.add((m, OC.sys_title, Literal(NASTY)))
    stamp = Literal("2024-03-04T05:06:07+00:00", datatype=XSD.dateTime)
    g.add((m, OC.sys_created_at, stamp))
    g.add((m, OC.sys_updated_at, stamp))
    g.add((m, OC["ModelWork.model_key"], Literal("A330:72:hpc|x y")))
    g.add((m, OC["ModelWork.name"], Literal(NASTY)))
    g.add((m, OC["ModelWork.tags"], Literal("prod")))
    g.add((m, OC["ModelWork.tags"], Literal("chat bot")))
    g.add((m, OC["ModelWork.created_on"], Literal("2023-12-31T00:00:00", datatype=XSD.dateTime)))
    g.add((m, OC["ModelWork.ac_family"], Literal("A330")))
    g.add((m, OC["ModelWork.metadata"], Literal('{"a": "ü", "b": [1, 2]}')))
    for obj, extra in (
        (METRIC, {"value": Literal(0.1), "step": Literal(3), "compliant": Literal(True)}),
        (
            ODD_FLOATS,
            {
                "value": Literal("-INF", datatype=XSD.double),
                "threshold": Literal("1e-07", datatype=XSD.double),
            },
        ),
    ):
        s = _iri(obj.id)
        for cls in (OC.Metric, OWL.NamedIndividual, PROV.Entity):
            g.add((s, RDF.type, cls))
        g.add((s, RDFS.label, Literal(obj.title)))
        g.add((s, OC.id, Literal(obj.id)))
        g.add((s, OC.sys_title, Literal(obj.title)))
        g.add((s, OC["Metric.metric_id"], Literal(obj.properties["metric_id"])))
        g.add((s, OC["Metric.name"], Literal(obj.properties["name"])))
        for name, value in extra.items():
            g.add((s, OC[f"Metric.{name}"], value))
    run, data = _iri(LINK.source_id), _iri(LINK.target_id)
    g.add((run, OC["experiment-used-dataset"], data))
    g.add((run, PROV.used, data))
    axiom = BNode()
    g.add((axiom, RDF.type, OWL.Axiom))
    g.add((axiom, OWL.annotatedSource, run))
    g.add((axiom, OWL.annotatedProperty, OC["experiment-used-dataset"]))
    g.add((axiom, OWL.annotatedTarget, data))
    g.add((axiom, OC["experiment-used-dataset.context"], Literal("train")))
    return g


def _blocks() -> list:
    renderer = InstanceRenderer(ONTOLOGY, BASE)
    blocks = []
    for obj in (MODEL, METRIC, ODD_FLOATS):
        blocks += renderer.object_blocks(obj)
    return blocks + renderer.link_blocks(LINK)


def test_ntriples_stream_is_isomorphic_to_rdflib() -> None:
    text = NTriplesWriter().chunk(_blocks())
    parsed = Graph().parse(data=text, format="nt")
    assert isomorphic(parsed, expected_graph())
    reserialised = Graph().parse(data=expected_graph().serialize(format="nt"), format="nt")
    assert isomorphic(parsed, reserialised)


def test_turtle_stream_is_isomorphic_to_rdflib_and_uses_prefixes() -> None:
    writer = TurtleWriter.for_graph(bind_prefixes(Graph()))
    text = writer.header() + writer.chunk(_blocks())
    assert "oc:ModelWork.name" in text and "@prefix oc:" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), expected_graph())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_literal_escaping(text: str) -> None:
    line = f'<http://x/s> <http://x/p> "{escape_literal(text)}" .\n'
    graph = Graph().parse(data=line, format="nt")
    assert str(graph.value(URIRef("http://x/s"), URIRef("http://x/p"))) == text


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_primary_key_makes_one_valid_iri(key: str) -> None:
    renderer = InstanceRenderer(ONTOLOGY, BASE)
    node = renderer.individual(f"dataset:{key}")
    graph = Graph().parse(data=f"{node} <http://x/p> <http://x/o> .\n", format="nt")
    (subject,) = set(graph.subjects())
    assert str(subject).startswith(BASE + "dataset/")
    assert "/" not in str(subject).removeprefix(BASE + "dataset/")
