"""``GET /ontology`` (the schema) and ``GET /export`` (schema and instances) over HTTP.

The format comes from the ``Accept`` header (``text/turtle``,
``application/rdf+xml``, ``application/ld+json``, ``application/n-triples``)
or a ``format`` query parameter. Instances stream: each chunk is one store
batch, read on the API's store thread when the app has one (the embedded store
is a single connection), so a large export never blocks other requests for long.

The router needs the store: it takes ``app.state.store`` when the app sets it,
else ``app.state.services.store`` (OpenCase's API app), and honours the app's
"read key required" setting the same way the GraphQL endpoint does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from opencase.errors import OpenCaseError
from opencase.graph.store import GraphStore

from .exporter import Exporter, ExportOptions, default_base_iri
from .formats import RdfFormat, negotiate, parse_format

router = APIRouter(tags=["export"])
API_KEY_HEADER = "x-api-key"

_FORMAT_HELP = "turtle, xml, json-ld or nt; overrides the Accept header"


@router.get("/ontology", summary="The ontology as OWL 2 (or SHACL shapes)")
async def ontology(
    request: Request,
    format: str | None = Query(None, description=_FORMAT_HELP),
    shacl: bool = Query(False, description="SHACL shapes instead of the OWL axioms"),
) -> Response:
    denied = _check_access(request)
    if denied is not None:
        return denied
    try:
        fmt = _choose(request, format)
        if fmt is None:
            return _not_acceptable()
        exporter = Exporter(ExportOptions(format=fmt, schema_only=True, shacl=shacl))
    except OpenCaseError as exc:
        return _error(400, exc)
    body = await run_in_threadpool(lambda: "".join(exporter.chunks(None)))
    return Response(body, media_type=_media(fmt))


@router.get("/export", summary="The ontology and every object and link as RDF")
async def export(
    request: Request,
    format: str | None = Query(None, description=_FORMAT_HELP),
    shacl: bool = Query(False, description="SHACL shapes instead of the OWL axioms"),
    include_deleted: bool = Query(False, description="also soft-deleted objects"),
    base_iri: str | None = Query(None, description="namespace of the individuals"),
) -> Response:
    denied = _check_access(request)
    if denied is not None:
        return denied
    store = _store(request)
    if store is None:
        return JSONResponse({"error": "the graph store is not open yet"}, status_code=503)
    try:
        fmt = _choose(request, format)
        if fmt is None:
            return _not_acceptable()
        options = ExportOptions(
            format=fmt,
            base_iri=base_iri or default_base_iri(),
            shacl=shacl,
            include_deleted=include_deleted,
        )
        exporter = Exporter(options)
    except OpenCaseError as exc:
        return _error(400, exc)
    chunks = exporter.chunks(store)
    return StreamingResponse(_stream(request, chunks), media_type=_media(fmt))


async def _stream(request: Request, chunks: Iterator[str]) -> AsyncIterator[bytes]:
    """Pull each chunk on the store's thread (when the app has one), then send it."""
    runner = getattr(getattr(request.app.state, "services", None), "runner", None)
    if runner is None:
        async for text in iterate_in_threadpool(chunks):
            yield text.encode("utf-8")
        return
    done = object()
    while True:
        text = await runner.call(next, chunks, done)
        if text is done:
            return
        yield str(text).encode("utf-8")


def _store(request: Request) -> GraphStore | None:
    state = request.app.state
    store = getattr(state, "store", None)
    if store is None:
        store = getattr(getattr(state, "services", None), "store", None)
    return store if isinstance(store, GraphStore) else None


def _check_access(request: Request) -> Response | None:
    """401 when the app requires a key for reads and none (or an unknown one) was sent."""
    services: Any = getattr(request.app.state, "services", None)
    settings = getattr(services, "settings", None)
    if not getattr(settings, "require_read_key", False):
        return None
    raw = request.headers.get(API_KEY_HEADER) or request.query_params.get("apiKey")
    keys = getattr(services, "keys", None)
    key = keys.verify(raw) if (raw and keys is not None) else None
    if key is None:
        return JSONResponse(
            {"error": "this server requires an API key for reads", "hint": "send X-API-Key"},
            status_code=401,
        )
    return None


def _choose(request: Request, explicit: str | None) -> RdfFormat | None:
    if explicit:
        return parse_format(explicit)
    return negotiate(request.headers.get("accept"))


def _media(fmt: RdfFormat) -> str:
    return f"{fmt.media_type}; charset=utf-8"


def _not_acceptable() -> JSONResponse:
    return JSONResponse(
        {
            "error": "none of the accepted media types is an RDF format OpenCase writes",
            "hint": "accept one of: " + ", ".join(f.media_type for f in RdfFormat),
        },
        status_code=406,
    )


def _error(status: int, exc: OpenCaseError) -> JSONResponse:
    return JSONResponse({"error": exc.message, "hint": exc.suggestion}, status_code=status)
