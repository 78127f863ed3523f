"""``opencase export owl`` on the demo store, and its error for a bad base IRI."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_demo import DemoExport
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH
from typer.testing import CliRunner

from opencase.cli import app
from opencase.errors import OpenCaseError
from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.vocab import OC

runner = CliRunner()


def test_export_writes_ntriples_of_the_store(demo_export: DemoExport, tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    args = ["export", "owl", "--store", str(demo_export.store_path), "-f", "nt", "-o", str(out)]
    result = runner.invoke(app, [*args, "--base-iri", "urn:opencase:"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format="nt")
    models = set(graph.subjects(RDF.type, OC.ModelWork))
    assert len(models) == demo_export.stats["ModelWork"]
    assert all(str(m).startswith("urn:opencase:/model-work/") for m in models)
    assert (URIRef("https://w3id.org/opencase/ontology"), RDF.type, OWL.Ontology) in graph


def test_schema_only_needs_no_store_and_goes_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "owl", "--schema-only", "-f", "xml", "--store", str(tmp_path / "none")]
    )
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="xml")
    assert len(set(graph.subjects(RDF.type, OWL.Class))) >= len(ONTOLOGY.object_types)
    assert not (tmp_path / "none").exists()


def test_shacl_schema_only_writes_the_shapes() -> None:
    result = runner.invoke(app, ["export", "owl", "--schema-only", "--shacl"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.NodeShape))) == len(ONTOLOGY.object_types)
    assert not set(graph.subjects(RDF.type, OWL.Class))


def test_a_base_iri_that_is_not_an_iri_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "owl", "--schema-only", "--base-iri", "my data"])
    assert isinstance(result.exception, OpenCaseError)
    assert "not an absolute IRI" in result.exception.message


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_every_format_parses(demo_export: DemoExport, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    store = str(demo_export.store_path)
    result = runner.invoke(app, ["export", "owl", "--store", store, "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format=fmt)
    assert len(set(graph.subjects(RDF.type, OC.Person))) == demo_export.stats["Person"]
