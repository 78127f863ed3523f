"""``opencase serve``: the API on the configured store, optionally with the demo graph."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console

from opencase.config import store_uri
from opencase.graph.store import GraphStore

err = Console(stderr=True)


def _demo_loader() -> Callable[[GraphStore], None]:
    """Fills an empty store with the demo graph; leaves a non-empty one alone."""

    def load(store: GraphStore) -> None:
        if store.stats():
            err.print("demo: the store already holds objects; nothing loaded")
            return
        try:
            from opencase.loaders.demo import build_demo
        except ImportError:
            build_demo = None
        if build_demo is not None:
            build_demo(store)
            err.print(f"demo: loaded {sum(store.stats().values()):,} objects and links")
            return
        try:
            from bench.generate import generate  # type: ignore[import-not-found]
        except ImportError:
            err.print(
                "[yellow]demo: no demo loader is installed (opencase.loaders.demo) and "
                "bench/generate.py is not importable; serving the empty store[/]"
            )
            return
        objects, links = generate(2_000)
        for _ in store.upsert(objects, links):
            pass
        err.print("demo: loaded a generated graph of about 2,000 objects (bench/generate.py)")

    return load


def serve(
    store: str | None = typer.Option(
        None, "--store", "-s", help="Store path or bolt:// URI (default: $OPENCASE_STORE)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Load the demo graph into an empty store."),
    require_read_key: bool = typer.Option(
        False, "--require-read-key", help="Queries need an API key too (X-API-Key)."
    ),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        help="Request time limit in seconds (default: $OPENCASE_REQUEST_TIMEOUT or 30).",
    ),
) -> None:
    """Serve the GraphQL API (and its playground) at http://HOST:PORT/graphql."""
    import uvicorn

    from .app import create_app

    uri = store_uri(store)
    app = create_app(
        uri,
        require_read_key=require_read_key,
        request_timeout=timeout,
        on_start=_demo_loader() if demo else None,
    )
    err.print(f"OpenCase API on [bold]http://{host}:{port}/graphql[/] (store: {uri})")
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
