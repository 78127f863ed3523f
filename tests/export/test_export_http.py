"""``GET /ontology`` and ``GET /export`` with content negotiation, on the demo store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from export_demo import DemoExport
from fastapi import FastAPI
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from opencase.export.http import router
from opencase.graph import open_store
from opencase.ontology.generators.vocab import OC

MEDIA = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def client(demo_export: DemoExport) -> Iterator[httpx.Client]:
    """The router in a real uvicorn server on 127.0.0.1, on the demo store."""
    app = FastAPI()
    app.include_router(router)
    port = _free_port()
    with open_store(str(demo_export.store_path)) as store:
        app.state.store = store
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
                yield http
        finally:
            server.should_exit = True
            thread.join(timeout=20)


@pytest.mark.parametrize("media", sorted(MEDIA))
def test_ontology_negotiates_every_rdf_format(client: httpx.Client, media: str) -> None:
    response = client.get("/ontology", headers={"Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.text, format=MEDIA[media])
    assert (OC.ModelWork, RDF.type, OWL.Class) in graph
    assert not set(graph.subjects(RDF.type, OC.ModelWork))


@pytest.mark.parametrize("media", sorted(MEDIA))
def test_export_streams_schema_and_instances(
    client: httpx.Client, demo_export: DemoExport, media: str
) -> None:
    response = client.get("/export", headers={"Accept": media})
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format=MEDIA[media])
    assert (OC.ModelWork, RDF.type, OWL.Class) in graph
    assert len(set(graph.subjects(RDF.type, OC.ModelWork))) == demo_export.stats["ModelWork"]


def test_query_parameters_override_accept(client: httpx.Client) -> None:
    response = client.get(
        "/export",
        params={"format": "nt", "base_iri": "https://other.example/x/"},
        headers={"Accept": "text/turtle"},
    )
    assert response.headers["content-type"].startswith("application/n-triples")
    assert "<https://other.example/x/model-work/" in response.text


def test_unacceptable_media_type_and_bad_input_are_clear(client: httpx.Client) -> None:
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    bad = client.get("/export", params={"base_iri": "not an iri"})
    assert bad.status_code == 400
    assert "not an absolute IRI" in bad.json()["error"]
    assert client.get("/export", params={"format": "yaml"}).status_code == 400
