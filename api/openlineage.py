"""OpenLineage over HTTP where Marquez has it: ``POST`` and ``GET /api/v1/lineage``.

Pipelines instrumented with an OpenLineage client (Airflow, Spark, dbt, the
Python client) point their HTTP transport at OpenCase as they would at Marquez.
The POST takes one event or a JSON array of them, authenticated by a write key
sent as ``Authorization: Bearer <key>`` (what the transport sends) or
``X-API-Key``; it answers 201 with what was written, or 400 naming the JSON
path of every problem, having written nothing.

The GET answers Marquez's lineage-graph shape for ``nodeId=dataset:<namespace>:<name>``
or ``job:<namespace>:<name>``: datasets and jobs (runs folded into their jobs,
dataset versions into their datasets), each with its in and out edges, so tools
written against Marquez's lineage API read OpenCase's graph.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from opencase.errors import GraphStoreError, NotFoundError, OpenCaseError, ValidationError
from opencase.loaders.openlineage import EventsRejected, ingest_events

from .auth import ApiKey
from .context import Services
from .marquez import lineage_graph

router = APIRouter(tags=["openlineage"])

#: Largest request body the endpoint reads (a batch of events).
MAX_BODY_BYTES = 8 << 20


def _key(request: Request, services: Services) -> ApiKey | None:
    raw = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if not raw and auth.lower().startswith("bearer "):
        raw = auth[7:].strip()
    if not raw or services.keys is None:
        return None
    return services.keys.verify(raw)


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


@router.post("/api/v1/lineage", status_code=201)
async def post_lineage(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    key = _key(request, services)
    if key is None:
        return _error(
            401,
            "UNAUTHENTICATED",
            "sending lineage needs a write key: 'Authorization: Bearer <key>' or 'X-API-Key'",
            suggestion="create one with `opencase apikey create --scope write --name pipelines`",
        )
    if not key.allows("write"):
        return _error(403, "FORBIDDEN", f"the API key {key.name!r} cannot write")
    body = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip":  # the transport's option
        try:  # never inflate past the limit: a small bomb must not fill the memory
            inflater = zlib.decompressobj(wbits=31)
            body = inflater.decompress(body, MAX_BODY_BYTES + 1)
        except zlib.error as exc:
            return _error(400, "BAD_REQUEST", f"the gzip body cannot be read: {str(exc)[:200]}")
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "PAYLOAD_TOO_LARGE", f"at most {MAX_BODY_BYTES} bytes per request")
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _error(400, "BAD_REQUEST", f"the body is not JSON: {str(exc)[:200]}")
    try:
        report = await services.runner.call(ingest_events, services.store, payload)
    except EventsRejected as exc:
        return _error(
            400,
            "BAD_USER_INPUT",
            exc.message,
            problems=[{"path": p.path, "message": p.message} for p in exc.spec_problems[:100]],
        )
    except ValidationError as exc:
        return _error(400, "BAD_USER_INPUT", exc.message)
    except GraphStoreError:
        return _error(503, "STORE_UNAVAILABLE", "the graph store could not take the events")
    return JSONResponse(
        {
            "events": report.rows_read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "linksCreated": report.links_created,
        },
        status_code=201,
    )


@router.get("/api/v1/lineage")
async def get_lineage(
    request: Request,
    node_id: str = Query(..., alias="nodeId", max_length=2000),
    depth: int = Query(20, ge=1, le=50),
) -> JSONResponse:
    services: Services = request.app.state.services
    if services.settings.require_read_key:
        key = _key(request, services)
        if key is None:
            return _error(401, "UNAUTHENTICATED", "reading needs an API key (X-API-Key)")
    try:
        graph = await services.runner.call(lineage_graph, services.store, node_id, depth)
    except NotFoundError as exc:
        return _error(404, "NOT_FOUND", exc.message)
    except OpenCaseError as exc:
        return _error(400, "BAD_USER_INPUT", exc.message)
    return JSONResponse(graph)
