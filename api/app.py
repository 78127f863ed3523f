"""The ASGI app: GraphQL at /graphql (playground for browsers), RDF at /ontology and
/export, /healthz, playground assets.

``create_app`` opens the store in the lifespan and closes it at shutdown: the
embedded store allows one writer process, so the server holds it for its
whole life. Tests may pass an already open ``store`` instead, which the app
then uses but never closes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import HTTPConnection
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from opencase.config import store_uri as resolve_store_uri
from opencase.errors import OpenCaseError
from opencase.export.http import router as rdf_router
from opencase.export.neo4j_kit import router as neo4j_kit_router
from opencase.graph.store import GraphStore

from .auth import ApiKeyStore, default_keys_path
from .body_limit import BodySizeLimit
from .context import RequestContext, Services, Settings
from .errors import RequestTimeoutError, error_code
from .explore import install as install_explorer
from .graphql_http import GraphQLHTTPRouter
from .limits import Limits, default_limits
from .openlineage import router as openlineage_router
from .playground import VENDOR_DIR
from .playground.page import VENDOR_URL
from .runner import StoreRunner
from .schema import build_schema

log = logging.getLogger("opencase.api")
API_KEY_HEADER = "x-api-key"


async def _context(connection: HTTPConnection) -> RequestContext:
    services: Services = connection.app.state.services
    raw = connection.headers.get(API_KEY_HEADER) or connection.query_params.get("apiKey")
    key = services.keys.verify(raw) if (raw and services.keys is not None) else None
    client = connection.client
    caller = {
        "client_ip": client.host if client is not None else None,
        "user_agent": connection.headers.get("user-agent"),
    }
    return RequestContext(services, key, key_given=bool(raw), caller=caller)


#: How long /healthz waits for the store's answer before calling it unusable.
PROBE_TIMEOUT_S = 2.0


async def _probe(services: Services) -> str | None:
    """Why the store cannot serve requests now (a cheap read on the store's worker), or None."""
    deadline = asyncio.get_running_loop().time() + PROBE_TIMEOUT_S
    try:
        await services.runner.call_method("probe", deadline=deadline)
    except RequestTimeoutError:
        return f"the store did not answer within {PROBE_TIMEOUT_S:g} s"
    except OpenCaseError as exc:
        return f"the store failed: {error_code(exc)}"
    return None


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def create_app(
    store_uri: str | None = None,
    *,
    store: GraphStore | None = None,
    require_read_key: bool = False,
    keys_path: Path | None = None,
    request_timeout: float | None = None,
    on_start: Any = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The OpenCase API app.

    ``on_start(store)`` runs once after the store is open and its schema
    installed (``serve --demo`` loads the demo graph there). ``limits`` default to
    the environment's (api/limits.py); ``request_timeout`` overrides theirs.
    """
    uri = resolve_store_uri(store_uri)
    limits = limits or default_limits()
    if request_timeout is not None:
        limits = dataclasses.replace(limits, request_timeout=request_timeout)
    settings = Settings(
        require_read_key=require_read_key or _env_flag("OPENCASE_REQUIRE_READ_KEY"),
        limits=limits,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from opencase.graph import open_store

        owned = store is None
        active = open_store(uri) if owned else store
        assert active is not None
        try:
            if owned:
                for line in active.install_schema():
                    log.info("schema: %s", line)
            if on_start is not None:
                on_start(active)
            keys = ApiKeyStore(keys_path or default_keys_path(uri))
            # the store stops any statement at the request time limit itself, too
            active.set_statement_timeout(limits.request_timeout)
            runner = StoreRunner(active)
            app.state.services = Services(active, runner, keys, settings)
            # Everything alive now (schema, ontology, modules, the store's caches)
            # lives as long as the server: out of the collector's generations, a
            # full collection during a request no longer walks it (pauses of
            # 100 ms and more at the p99). Given back at shutdown, so that an app
            # started and stopped in a longer process (tests) leaves no garbage.
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()
                runner.close()
                active.set_statement_timeout(None)
        finally:
            if owned:
                active.close()

    app = FastAPI(
        title="OpenCase",
        description="ML model lineage as one typed graph, generated from the ontology.",
        lifespan=lifespan,
    )
    schema = build_schema()
    router = GraphQLHTTPRouter(
        schema,
        context_getter=_context,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL],
    )
    app.include_router(router, prefix="/graphql")
    # outermost: a body over the limit is refused before anything reads it
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    app.include_router(rdf_router)  # GET /ontology and /export (RDF, content-negotiated)
    app.include_router(openlineage_router)  # POST and GET /api/v1/lineage (OpenLineage, Marquez)
    app.mount(VENDOR_URL, StaticFiles(directory=VENDOR_DIR, check_dir=False), name="playground")
    install_explorer(app)  # /explore: the graph in the browser, over /graphql
    app.include_router(neo4j_kit_router)  # /neo4j/: style file, guide and favourites for Neo4j

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> JSONResponse:
        services: Services | None = getattr(app.state, "services", None)
        if services is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        body = {
            "status": "ok",
            "backend": services.store.backend,
            "requireReadKey": services.settings.require_read_key,
        }
        problem = await _probe(services)
        if problem is not None:
            return JSONResponse(body | {"status": "unavailable", "reason": problem}, 503)
        return JSONResponse(body)

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(
            '<p>OpenCase: the API and its playground are at <a href="/graphql">/graphql</a>, '
            'the explorer at <a href="/explore">/explore</a>.</p>'
        )

    return app
