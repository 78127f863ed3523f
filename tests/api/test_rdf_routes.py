"""The served app exposes the RDF export beside GraphQL (issue 6 over HTTP)."""

from __future__ import annotations

from apikit import GraphQLClient
from rdflib import OWL, RDF, Graph, URIRef


def test_ontology_route_serves_the_schema_as_turtle(client: GraphQLClient) -> None:
    response = client.request("GET", "/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    properties = {str(s) for s in graph.subjects(RDF.type, OWL.ObjectProperty)}
    assert any(p.endswith("daia-action-about-model") for p in properties)


def test_export_route_includes_the_seeded_instances(client: GraphQLClient) -> None:
    response = client.request("GET", "/export", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="nt")
    individuals = {s for s in graph.subjects() if isinstance(s, URIRef) and "/model-work/" in s}
    assert individuals, "the seeded model works are exported as individuals"


def test_export_route_refuses_an_unknown_media_type(client: GraphQLClient) -> None:
    response = client.request("GET", "/export", headers={"Accept": "image/png"})
    assert response.status_code == 406
